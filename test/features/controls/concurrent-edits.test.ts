// Two people open the same section of a control page and both save: the first save stands, the second is
// refused with 409, writes nothing, and shows what the first one stored (and who, when) beside its own input,
// with the current version, so saving again is a decision taken with both in view.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';
import { formsOf } from '../../security/sweep/forms.js';
import { controlId, count } from './helpers.js';

const HX = { 'hx-request': 'true' };
const nameOf = (t: TestApp, who: string) =>
  (
    t.app.conn.sqlite.prepare('SELECT name FROM users WHERE email = ?').get(`${who}@demo.tickmark.test`) as {
      name: string;
    }
  ).name;
const trailCount = (t: TestApp) => count(t, 'SELECT count(*) AS n FROM audit_entries');

const details = (description: string) => ({
  reference: 'CC6.2-01',
  description,
  owner: 'IT manager',
  frequency: 'event-driven',
  nature: 'manual',
  controlType: 'preventive',
  risk: 'higher',
  isKey: 'yes',
  criteria: ['CC6.2'],
});

interface Race {
  t: TestApp;
  url: string;
  first: Client;
  second: Client;
  /** The version both forms were opened at. */
  version: string;
}

/** The senior and the manager both open the section's form, for htmx or as a full page. */
async function bothOpen(section: string, reference = 'CC6.2-01', headers: Record<string, string> = HX): Promise<Race> {
  const t = await buildTestApp();
  const url = `/engagements/${demoEngagementId(t)}/controls/${controlId(t, reference)}/${section}`;
  const first = await loginAs(t.app, 'senior');
  const second = await loginAs(t.app, 'manager');
  const version = versionIn((await first.get(`${url}/edit`, headers)).body);
  expect(versionIn((await second.get(`${url}/edit`, headers)).body)).toBe(version);
  return { t, url, first, second, version };
}

describe('a control page section saved by two people at once', () => {
  it('control details: the second save is refused with the first one’s values and keeps its own input', async () => {
    const { t, url, first, second, version } = await bothOpen('details');
    expect(
      (await first.post(url, { ...details('Access is approved by the IT manager before it is granted.'), version }, HX))
        .statusCode,
    ).toBe(200);
    const trail = trailCount(t);
    const refused = await second.post(url, { ...details('Access is approved by the system owner.'), version }, HX);
    expect(refused.statusCode).toBe(409);
    expect(refused.body.trimStart()).toMatch(/^<section class="card" id="control-details"/);
    expect(refused.body).toContain(`${nameOf(t, 'senior')} saved this control on`);
    expect(refused.body).toContain('<dd class="pre">Access is approved by the IT manager before it is granted.</dd>');
    expect(refused.body).toContain('>Access is approved by the system owner.</textarea>');
    const current = t.app.conn.sqlite
      .prepare('SELECT description, version FROM controls WHERE reference = ?')
      .get('CC6.2-01') as { description: string; version: number };
    expect(current.description).toBe('Access is approved by the IT manager before it is granted.');
    expect(trailCount(t)).toBe(trail);
    // Saving again from the refused form is a deliberate replacement.
    expect(versionIn(refused.body)).toBe(String(current.version));
    const again = await second.post(
      url,
      { ...details('Access is approved by the system owner.'), version: versionIn(refused.body) },
      HX,
    );
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Access is approved by the system owner.');
  });

  it('without JavaScript the refused form is a full page, answered 409', async () => {
    const { t, url, first, second, version } = await bothOpen('details', 'CC6.2-01', {});
    expect((await first.post(url, { ...details('First.'), version })).statusCode).toBe(303);
    const refused = await second.post(url, { ...details('Second.'), version });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('<h1>Edit control CC6.2-01</h1>');
    expect(refused.body).toContain('<dd class="pre">First.</dd>');
    expect(
      (
        t.app.conn.sqlite.prepare('SELECT description FROM controls WHERE reference = ?').get('CC6.2-01') as {
          description: string;
        }
      ).description,
    ).toBe('First.');
  });

  it('test plan: saving the form unchanged writes nothing, so no change escapes the trail', async () => {
    const { t, url, first } = await bothOpen('test-plan');
    const fields = formsOf((await first.get(`${url}/edit`, HX)).body).get(url)!;
    const rows = () =>
      t.app.conn.sqlite
        .prepare(
          "SELECT (SELECT plan_version FROM controls WHERE reference = 'CC6.2-01') AS version, (SELECT group_concat(id) FROM test_attributes) AS attributes, (SELECT group_concat(id) FROM test_procedures) AS procedures",
        )
        .get();
    const [before, trail] = [rows(), trailCount(t)];
    expect((await first.post(url, fields, HX)).statusCode).toBe(200);
    expect([rows(), trailCount(t)]).toEqual([before, trail]);
  });

  it('test plan: the second save is refused and the first plan stays', async () => {
    const { t, url, first, second, version } = await bothOpen('test-plan');
    const plan = (text: string) => ({
      procedureKind: ['inspection'],
      procedureText: [text],
      procedureOrder: ['1'],
      attributeText: ['Approved before access'],
      version,
    });
    expect((await first.post(url, plan('Inspected the access request.'), HX)).statusCode).toBe(200);
    const refused = await second.post(url, plan('Reperformed the provisioning.'), HX);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`${nameOf(t, 'senior')} saved the test plan on`);
    expect(refused.body).toContain('Inspection: Inspected the access request.');
    expect(refused.body).toContain('Reperformed the provisioning.</textarea>');
    const stored = t.app.conn.sqlite
      .prepare('SELECT p.text FROM test_procedures p JOIN controls c ON c.id = p.control_id WHERE c.reference = ?')
      .all('CC6.2-01');
    expect(stored).toEqual([{ text: 'Inspected the access request.' }]);
  });

  it('walkthrough: the second record is refused, also when both start from none', async () => {
    const { t, url, first, second, version } = await bothOpen('walkthrough', 'CC1.1-01');
    expect(version).toBe('0');
    const staffId = String(
      (
        t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as {
          id: number;
        }
      ).id,
    );
    const walk = (traced: string) => ({
      performedOn: '2025-04-02',
      performedBy: staffId,
      traced,
      conclusion: 'suitably-designed',
      version,
    });
    expect((await first.post(url, walk('Traced one new hire from offer to acknowledgement.'), HX)).statusCode).toBe(
      200,
    );
    const refused = await second.post(url, walk('Traced the March starter.'), HX);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`${nameOf(t, 'senior')} saved the walkthrough on`);
    expect(refused.body).toContain('<dd class="pre">Traced one new hire from offer to acknowledgement.</dd>');
    expect(refused.body).toContain('Traced the March starter.</textarea>');
    expect(
      t.app.conn.sqlite
        .prepare('SELECT traced FROM walkthroughs w JOIN controls c ON c.id = w.control_id WHERE c.reference = ?')
        .all('CC1.1-01'),
    ).toEqual([{ traced: 'Traced one new hire from offer to acknowledgement.' }]);
  });

  it('the details and the test plan are versioned apart, and a form without a version is refused', async () => {
    const { t, url, first, version } = await bothOpen('details');
    const planUrl = url.replace(/details$/, 'test-plan');
    const planVersion = versionIn((await first.get(`${planUrl}/edit`, HX)).body);
    expect(
      (
        await first.post(
          planUrl,
          {
            procedureKind: ['inspection'],
            procedureText: ['Inspected.'],
            procedureOrder: ['1'],
            attributeText: ['Approved'],
            version: planVersion,
          },
          HX,
        )
      ).statusCode,
    ).toBe(200);
    expect((await first.post(url, { ...details('Saved after the plan changed.'), version }, HX)).statusCode).toBe(200);
    const before = t.app.conn.sqlite.prepare('SELECT * FROM controls WHERE reference = ?').get('CC6.2-01');
    expect((await first.post(url, details('No version: an old page or a forged post.'), HX)).statusCode).toBe(409);
    expect(t.app.conn.sqlite.prepare('SELECT * FROM controls WHERE reference = ?').get('CC6.2-01')).toEqual(before);
  });
});
