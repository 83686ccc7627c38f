import { describe, expect, it } from 'vitest';
import { selectRandom } from '../../../src/domain/selection.js';
import { loginAs } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';
import { completeCa } from '../../helpers/ca.js';
import { exceptionOn, formVersion, passAll, rows, workpaper } from './helpers.js';

const evaluation = async (w: Awaited<ReturnType<typeof workpaper>>) =>
  (await w.staff.get(`${w.url}/evaluation`, { 'hx-request': 'true' })).body;
const version = formVersion;

describe('exceptions', () => {
  it('an exception cell gets its record; the register lists it with filters and links back to the cell', async () => {
    const w = await workpaper();
    const item = w.items[6]!;
    expect((await w.mark(w.staff, item, 'B', 'exception')).body).toContain('record needed');
    const form = await w.staff.get(`${w.url}/items/${item}/exceptions/B`);
    expect(form.statusCode).toBe(200);
    const url = `${w.url}/items/${item}/exceptions/B`;
    expect((await w.staff.post(url, { description: '' })).body).toContain('What happened is required.');
    expect((await w.staff.post(url, { description: 'x', compensatingControlId: String(w.controlId) })).body).toContain(
      'A control cannot compensate for itself',
    );
    const other = rows(w.t, "SELECT id FROM controls WHERE reference = 'CC8.1-02'")[0]!.id;
    const saved = await w.staff.post(url, {
      description: 'the change was deployed before approval',
      cause: 'Approval was given in chat, not in the pull request.',
      nature: 'isolated',
      managementResponse: 'Agreed; branch protection now enforces approval.',
      compensatingControlId: String(other),
      status: 'open',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${w.url}?item=${item}#cell-${item}-B`);
    expect((await w.staff.get(w.url)).body).not.toContain('record needed');
    const register = await w.staff.get(`/engagements/${w.eid}/exceptions?control=${w.controlId}`);
    expect(register.body).toContain('1 exception');
    expect(register.body).toContain(`href="${w.url}#cell-${item}-B">${w.keyOf(item)} / B</a>`);
    expect(register.body).toContain('Agreed; branch protection now enforces approval.');
    expect(register.body).toContain('CC8.1-02');
    expect(
      (await w.staff.get(`/engagements/${w.eid}/exceptions?control=${w.controlId}&status=resolved`)).body,
    ).toContain('No exceptions match these filters.');
    expect(
      (await w.staff.get(`/engagements/${w.eid}/exceptions?control=${w.controlId}&nature=systemic`)).body,
    ).toContain('No exceptions match these filters.');
    const all = await w.staff.get(`/engagements/${w.eid}/exceptions?nature=isolated`);
    expect(all.body).toContain('The background check was completed after the employee&#39;s start date');
    // A cell re-marked as passed takes its record out of the register (the record itself is kept).
    await w.mark(w.staff, item, 'B', 'pass', 1);
    expect((await w.staff.get(`/engagements/${w.eid}/exceptions?control=${w.controlId}`)).body).toContain(
      'No exceptions match',
    );
    expect(rows(w.t, 'SELECT count(*) AS n FROM exceptions WHERE sample_item_id = ?', item)[0]!.n).toBe(1);
  });
});

describe('evaluation and conclusion', () => {
  it('draws the extension the figures call for, continuing the seeded sequence, and concludes on it', async () => {
    const w = await workpaper({ rows: 400, seed: '2025' });
    await exceptionOn(w, 6);
    await passAll(w);
    const before = await evaluation(w);
    expect(before).toContain('Extend the sample');
    expect(before).toContain('the sample must reach <strong>41 items</strong>');
    const drawn = await w.staff.post(`${w.url}/extend`);
    expect(drawn.statusCode).toBe(303);
    const positions = rows(
      w.t,
      'SELECT pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
      w.sampleId,
    ).map((r) => r.position);
    expect(positions).toEqual(selectRandom({ populationSize: 400, sampleSize: 41, seed: 2025 }));
    const firstNew = rows(w.t, 'SELECT id FROM sample_items WHERE sample_id = ? AND sequence = 25', w.sampleId)[0]!.id;
    expect(drawn.headers.location).toBe(`${w.url}?item=${firstNew}#cell-${firstNew}-A`);
    expect(await evaluation(w)).toContain('The extension to 41 items is drawn: test its items to conclude.');
    expect((await w.staff.post(`${w.url}/extend`)).statusCode).toBe(422);
    await passAll(w);
    const after = await evaluation(w);
    expect(after).toContain('Exceptions noted, operated effectively');
    expect(after).toContain(
      'Exception noted. For 1 of 41 items sampled, the change was deployed before it was approved.',
    );
  });

  it('accepts the proposal, lets the auditor go harsher freely and softer only with a written rationale', async () => {
    const w = await workpaper();
    await exceptionOn(w, 2);
    await passAll(w);
    const accept = await w.staff.post(`${w.url}/conclusion`, { accept: '1', version: version(w) });
    expect(accept.statusCode).toBe(422);
    expect(accept.body).toContain('The figures call for an extension');
    const softer = await w.staff.post(`${w.url}/conclusion`, {
      conclusion: 'exceptions-effective',
      reason: '',
      version: version(w),
    });
    expect(softer.statusCode).toBe(422);
    expect(softer.body).toContain(
      'This conclusion is softer than the figures support (Not operating effectively): give a written rationale.',
    );
    const harsher = await w.staff.post(
      `${w.url}/conclusion`,
      { conclusion: 'not-effective', reason: '', version: version(w) },
      { 'hx-request': 'true' },
    );
    expect(harsher.statusCode).toBe(200);
    expect(harsher.headers['hx-trigger']).toBe('workpaper-changed');
    expect(harsher.body).toContain('Not operating effectively</strong>');
    const stale = await w.staff.post(`${w.url}/conclusion`, { conclusion: 'not-effective', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this workpaper’s conclusion or wording');
    // Softer, with a rationale: an override, set only once a manager approves it.
    const explained = await w.staff.post(`${w.url}/conclusion`, {
      conclusion: 'exceptions-effective',
      reason: 'Compensating control CC8.1-02 tested without exception.',
      version: version(w),
    });
    expect(explained.statusCode).toBe(303);
    expect(rows(w.t, 'SELECT conclusion FROM workpapers WHERE sample_id = ?', w.sampleId)[0]).toEqual({
      conclusion: 'not-effective',
    });
    const manager = await loginAs(w.t.app, 'manager');
    const page = await manager.get(w.url);
    const overrideId = /overrides\/(\d+)\/approve/.exec(page.body)![1];
    expect((await manager.post(`${w.url}/overrides/${overrideId}/approve`)).statusCode).toBe(303);
    expect(
      rows(
        w.t,
        'SELECT conclusion, conclusion_reason, conclusion_proposed FROM workpapers WHERE sample_id = ?',
        w.sampleId,
      )[0],
    ).toEqual({
      conclusion: 'exceptions-effective',
      conclusion_reason: 'Compensating control CC8.1-02 tested without exception.',
      conclusion_proposed: 'extend',
    });
    expect(
      rows(w.t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'workpaper' AND action = 'conclude'")[0]!.n,
    ).toBeGreaterThanOrEqual(2);
  });

  it('does not treat a conclusion form opened before the first mark as stale', async () => {
    const w = await workpaper();
    const page = await w.staff.get(w.url);
    const formVersion = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    await w.mark(w.staff, w.items[0]!, 'A', 'exception');
    expect(
      (await w.staff.post(`${w.url}/conclusion`, { conclusion: 'not-effective', version: formVersion })).statusCode,
    ).toBe(303);
  });

  it('marks the workpaper prepared only when it is complete, saying exactly what is missing', async () => {
    const w = await workpaper();
    await w.mark(w.staff, w.items[0]!, 'B', 'exception');
    await w.staff.post(`${w.url}/bulk-pass`, { attribute: 'A' });
    const refused = await w.staff.post(`${w.url}/prepared`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(`Item ${w.keyOf(w.items[1]!)}: attributes B, C not marked.`);
    expect(refused.body).toContain(`Item ${w.keyOf(w.items[0]!)}: attribute C not marked.`);
    expect(refused.body).toContain(`Item ${w.keyOf(w.items[0]!)}, attribute B: the exception record is not written.`);
    expect(refused.body).toContain('No conclusion is set.');
    await w.staff.post(`${w.url}/items/${w.items[0]}/exceptions/B`, {
      description: 'approval was missing',
      status: 'open',
    });
    await passAll(w);
    await w.staff.post(`${w.url}/conclusion`, { conclusion: 'not-effective', version: version(w) });
    const prepared = await w.staff.post(`${w.url}/prepared`);
    expect(prepared.statusCode).toBe(303);
    const row = rows(
      w.t,
      'SELECT p.email, w.prepared_at, w.changed_at, w.result_text FROM workpapers w JOIN users p ON p.id = w.prepared_by WHERE w.sample_id = ?',
      w.sampleId,
    )[0]!;
    expect(row).toMatchObject({
      email: 'staff@demo.tickmark.test',
      result_text: 'Exception noted. For 1 of 25 items sampled, approval was missing.',
    });
    expect(row.changed_at).toBe(row.prepared_at);
  });

  it('keeps the auditor’s own result wording when the data changes, until they go back to the generated one', async () => {
    const w = await workpaper();
    await exceptionOn(w, 1, 'approval was given after deployment');
    await passAll(w);
    const page = await w.staff.get(w.url);
    const shown = 'Exception noted. For 1 of 25 items sampled, approval was given after deployment.';
    expect(page.body).toContain(shown);
    expect(
      (
        await w.staff.post(`${w.url}/wording`, {
          itemNoun: 'changes',
          text: shown,
          basedOn: shown,
          version: version(w),
        })
      ).statusCode,
    ).toBe(303);
    expect(rows(w.t, 'SELECT item_noun, result_edited FROM workpapers WHERE sample_id = ?', w.sampleId)[0]).toEqual({
      item_noun: 'changes',
      result_edited: 0,
    });
    const generated = 'Exception noted. For 1 of 25 changes sampled, approval was given after deployment.';
    expect((await w.staff.get(w.url)).body).toContain(generated);
    const own =
      'Exception noted. For 1 of 25 changes sampled, the change (CHG-00012) was approved in chat after deployment.';
    await w.staff.post(`${w.url}/wording`, { itemNoun: 'changes', text: own, basedOn: generated, version: version(w) });
    await w.staff.post(`${w.url}/items/${w.items[1]}/exceptions/B`, {
      description: 'the approval came a day late',
      status: 'open',
      version: '1',
    });
    expect((await w.staff.get(w.url)).body).toContain(own);
    expect(rows(w.t, 'SELECT result_edited, result_text FROM workpapers WHERE sample_id = ?', w.sampleId)[0]).toEqual({
      result_edited: 1,
      result_text: own,
    });
    await w.staff.post(`${w.url}/wording`, { itemNoun: 'changes', text: '', basedOn: own, version: version(w) });
    expect((await w.staff.get(w.url)).body).toContain(
      'Exception noted. For 1 of 25 changes sampled, the approval came a day late.',
    );
  });

  it('concludes "no testing performed", with the reason, for a window without occurrences', async () => {
    const w = await workpaper();
    const controlId = buildControl(w.t, w.eid, { frequency: 'event-driven' });
    const senior = await loginAs(w.t.app, 'senior');
    await senior.get(`/engagements/${w.eid}/controls/${controlId}/population`);
    const res = await upload(
      w.t.app,
      senior,
      `/engagements/${w.eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'none.csv', content: 'Change ID,Deployed,Summary\n' },
    );
    await senior.post(String(res.headers.location), {
      header: 'on',
      key: '0',
      date: '1',
      description: '2',
      dateFormat: 'iso',
    });
    const page = await senior.get(`/engagements/${w.eid}/controls/${controlId}/workpaper`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The population has no occurrences in the window');
    const url = String(/action="([^"]+)\/conclusion"/.exec(page.body)![1]);
    expect((await senior.post(`${url}/conclusion`, { accept: '1', reason: '', version: '0' })).body).toContain(
      'Say why no testing was performed',
    );
    expect(
      (
        await senior.post(`${url}/conclusion`, {
          accept: '1',
          reason: 'No changes were deployed to the system in the period.',
          version: '0',
        })
      ).statusCode,
    ).toBe(303);
    const after = await senior.get(`${url}`);
    expect(after.body).toContain(
      'No testing performed: the circumstances that warrant the operation of the control did not occur during the period.',
    );
    // An empty list is the client's word that nothing happened: its completeness is the whole question.
    const refused = await senior.post(`${url}/prepared`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Completeness and accuracy of the population (none.csv) is open');
    await completeCa(w.t, senior, w.eid, Number(/workpaper\/(\d+)/.exec(url)![1]));
    expect((await senior.post(`${url}/prepared`)).statusCode).toBe(303);
  });
});
