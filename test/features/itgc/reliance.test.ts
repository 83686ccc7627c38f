// Automated controls rely on tested ITGCs (issue 13, item 9): a control is linked, on its page, to the controls
// of the same matrix it depends on, and its test proposes an effective conclusion only once every linked ITGC is
// concluded effective; until then the proposal names the ITGC missing or failed and asks for more testing.
import { describe, expect, it } from 'vitest';
import { loginAs, type Client } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { sampledControl } from '../../helpers/workpaper-fixture.js';
import { formVersion, passAll, rows, workpaper, type Workpaper } from '../testing/helpers.js';

const controlUrl = (w: Workpaper, id = w.controlId) => `/engagements/${w.eid}/controls/${id}`;
const basedOn = async (client: Client, url: string) =>
  /name="basedOn" value="([^"]*)"/.exec((await client.get(url)).body)![1]!;
const link = async (client: Client, w: Workpaper, itgc: (number | string)[], based?: string) =>
  client.post(`${controlUrl(w)}/itgcs`, {
    itgc: itgc.map(String),
    basedOn: based ?? (await basedOn(client, controlUrl(w))),
  });
const conclude = async (client: Client, url: string, body: Record<string, string>) =>
  client.post(`${url}/conclusion`, {
    reason: '',
    ...body,
    version: /name="version" value="(\d+)"/.exec((await client.get(url)).body)![1]!,
  });

describe('linking a control to its ITGCs', () => {
  it('a senior links controls of the same matrix on the control page, recorded in the trail; nothing else is accepted', async () => {
    const w = await workpaper({ nature: 'automated' });
    const itgc = buildControl(w.t, w.eid, { reference: 'ITGC-01' });
    const senior = await loginAs(w.t.app, 'senior');
    const page = (await senior.get(controlUrl(w))).body;
    expect(page).toContain('IT general controls it depends on');
    expect(page).toContain('Depends on no ITGC.');
    expect((await link(senior, w, [itgc])).statusCode).toBe(303);
    expect((await senior.get(controlUrl(w))).body).toContain('ITGC ITGC-01 is not yet concluded effective.');
    const trail = rows(
      w.t,
      "SELECT changes FROM audit_entries WHERE entity = 'control' AND entity_id = ? AND action = 'update' ORDER BY id DESC LIMIT 1",
      String(w.controlId),
    );
    expect(JSON.parse(String(trail[0]!.changes))).toEqual({ itgcs: [[], ['ITGC-01']] });

    const self = await link(senior, w, [w.controlId]);
    expect(self.statusCode).toBe(422);
    expect(self.body).toContain('A control cannot depend on itself.');
    const foreign = await link(senior, w, [999999]);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('Choose ITGCs from the controls of this matrix.');
    const stale = await link(senior, w, [], '');
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone changed the ITGCs');
    expect(rows(w.t, 'SELECT itgc_id FROM control_itgc_links WHERE control_id = ?', w.controlId)).toEqual([
      { itgc_id: itgc },
    ]);
    // Staff test controls but do not change the matrix.
    expect((await link(w.staff, w, [], String(itgc))).statusCode).toBe(403);
  });
});

describe('the proposal of a control that relies on ITGCs', () => {
  it('is not effective, naming the ITGC, until the ITGC is concluded effective; then the figures stand', async () => {
    const w = await workpaper({ nature: 'automated' });
    const senior = await loginAs(w.t.app, 'senior');
    const itgc = await sampledControl(w.t.app.conn, w.t.dir, w.eid, { reference: 'ITGC-02', ca: 'complete' });
    await link(senior, w, [itgc.controlId]);
    await passAll(w);

    const open = (await w.staff.get(w.url)).body;
    expect(open).toMatch(/id="proposal"><strong class="proposal-not-effective">/);
    expect(open).toContain('ITGC ITGC-02 is not yet concluded effective.');
    expect(open).toContain('More testing is needed before this control can be relied on');
    // Concluding "no exceptions" anyway is softer than the proposal: it needs a written rationale.
    const softer = await conclude(w.staff, w.url, { conclusion: 'no-exceptions' });
    expect(softer.statusCode).toBe(422);
    expect(softer.body).toContain('softer than the figures support');

    // The ITGC tested and concluded effective: the automated control's own figures are proposed.
    await w.staff.get(itgc.url);
    await passAll({ ...w, url: itgc.url });
    expect((await conclude(w.staff, itgc.url, { accept: '1' })).statusCode).toBeLessThan(400);
    const relied = (await w.staff.get(w.url)).body;
    expect(relied).toMatch(/id="proposal"><strong class="proposal-no-exceptions">/);
    expect(relied).not.toContain('id="itgc-reliance"');
    expect((await conclude(w.staff, w.url, { accept: '1' })).statusCode).toBeLessThan(400);
    expect(rows(w.t, 'SELECT conclusion FROM workpapers WHERE sample_id = ?', w.sampleId)).toEqual([
      { conclusion: 'no-exceptions' },
    ]);

    // The ITGC later found not effective: the control is proposed not effective again, and the printout says why.
    expect(
      (
        await conclude(w.staff, itgc.url, {
          conclusion: 'not-effective',
          reason: 'Emergency changes bypassed approval.',
        })
      ).statusCode,
    ).toBeLessThan(400);
    const failed = (await w.staff.get(w.url)).body;
    expect(failed).toContain('ITGC ITGC-02 is concluded not operating effectively.');
    const prepared = await w.staff.post(`${w.url}/prepared`);
    expect(prepared.statusCode).toBe(422);
    expect(prepared.body).toContain('ITGC ITGC-02 is concluded not operating effectively.');
    expect((await w.staff.get(`${w.url}/print`)).body).toContain(
      'ITGC ITGC-02 is concluded not operating effectively.',
    );
    expect(formVersion(w)).not.toBe('0');
  });
});
