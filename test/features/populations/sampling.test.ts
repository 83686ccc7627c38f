import { describe, expect, it } from 'vitest';
import { selectRandom } from '../../../src/domain/selection.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';
import { useMethodology } from '../../helpers/methodology.js';
import { completeCa } from '../../helpers/ca.js';

async function importedPopulation(
  t: TestApp,
  eid: number,
  controlId: number,
  senior: Client,
  rows = 1200,
): Promise<number> {
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'changes.csv', content: ticketsCsv(rows, [10, 20]) },
  );
  const mappingUrl = String(res.headers.location);
  await senior.get(mappingUrl);
  await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso' });
  const pid = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
  await completeCa(t, senior, eid, pid);
  return pid;
}

const rows = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];

describe('sampling', () => {
  it('proposes the table size with its rationale, freezes the population and selects replayably', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { frequency: 'event-driven', risk: 'lower' });
    const senior = await loginAs(t.app, 'senior');
    const pid = await importedPopulation(t, eid, controlId, senior);
    const page = await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`);
    expect(page.body).toContain('Proposed size: 25');
    const res = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'random',
      seed: '424242',
      spreadBy: 'quarter',
    });
    expect(res.statusCode).toBe(303);
    const sampleId = Number(/samples\/(\d+)/.exec(String(res.headers.location))![1]);
    const population = rows(t, 'SELECT status, content_hash, sampleable_count FROM populations WHERE id = ?', pid)[0]!;
    expect(population.status).toBe('frozen');
    expect(String(population.content_hash)).toMatch(/^[0-9a-f]{64}$/);
    const positions = rows(
      t,
      'SELECT pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
      sampleId,
    ).map((r) => r.position);
    expect(positions).toEqual(selectRandom({ populationSize: 1198, sampleSize: 25, seed: 424242 }));
    const verify = await senior.post(`/engagements/${eid}/samples/${sampleId}/verify`);
    expect(verify.body).toContain('✓ Matches');
    const detail = await senior.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(detail.body).toContain('<svg class="timeline"');
  });

  it('verification catches a population changed behind the application’s back', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const senior = await loginAs(t.app, 'senior');
    const pid = await importedPopulation(t, eid, controlId, senior, 100);
    const res = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'random',
      seed: '7',
    });
    const sampleId = Number(/samples\/(\d+)/.exec(String(res.headers.location))![1]);
    t.app.conn.sqlite
      .prepare("UPDATE population_items SET description = 'tampered' WHERE population_id = ? AND position = 3")
      .run(pid);
    const verify = await senior.post(`/engagements/${eid}/samples/${sampleId}/verify`);
    expect(verify.body).toContain('✕ Differs');
    expect(verify.body).toContain('content hash is now');
  });

  it('extends a sample only from its workpaper: the selection page draws no extension of any size asked', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const pid = await importedPopulation(t, eid, controlId, await loginAs(t.app, 'senior'), 500);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/controls/${controlId}/sampling`);
    const res = await staff.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'random',
      seed: '99',
    });
    const sampleId = Number(/samples\/(\d+)/.exec(String(res.headers.location))![1]);
    const page = await staff.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(page.body).not.toContain(`samples/${sampleId}/extend`);
    expect(page.body).toContain(`href="/engagements/${eid}/controls/${controlId}/workpaper/${pid}">workpaper</a>`);
    // Once, the app let anyone add any number of items here: a sample could be extended until it passed.
    expect((await staff.post(`/engagements/${eid}/samples/${sampleId}/extend`, { additional: '16' })).statusCode).toBe(
      404,
    );
    expect(rows(t, 'SELECT count(*) AS n FROM sample_items WHERE sample_id = ?', sampleId)[0]!.n).toBe(25);
  });

  it('a frozen population is replaced only with a reason, by a senior, and its selection is discarded', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const senior = await loginAs(t.app, 'senior');
    const pid = await importedPopulation(t, eid, controlId, senior, 60);
    await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'systematic',
      seed: '5',
    });
    const again = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'random',
      seed: '6',
    });
    expect(again.statusCode).toBe(422);
    const mapping = await senior.post(`/engagements/${eid}/populations/${pid}/mapping`, {
      header: 'on',
      key: '0',
      date: '1',
      dateFormat: 'iso',
    });
    expect(mapping.statusCode).toBe(409);
    const staff = await loginAs(t.app, 'staff');
    expect(
      (await staff.post(`/engagements/${eid}/populations/${pid}/replace`, { reason: 'Client sent a corrected list' }))
        .statusCode,
    ).toBe(403);
    expect((await senior.post(`/engagements/${eid}/populations/${pid}/replace`, { reason: '' })).statusCode).toBe(422);
    expect(
      (await senior.post(`/engagements/${eid}/populations/${pid}/replace`, { reason: 'Client sent a corrected list' }))
        .statusCode,
    ).toBe(303);
    expect(rows(t, 'SELECT status FROM populations WHERE id = ?', pid)[0]!.status).toBe('replaced');
    expect(rows(t, 'SELECT status, discarded_reason FROM samples WHERE population_id = ?', pid)[0]).toEqual({
      status: 'discarded',
      discarded_reason: 'Population replaced: Client sent a corrected list',
    });
    const history = await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    expect(history.body).toContain('Client sent a corrected list');
    const trail = rows(
      t,
      "SELECT action FROM audit_entries WHERE (entity = 'population' AND entity_id = ?) OR (entity = 'sample' AND entity_id IN (SELECT CAST(id AS TEXT) FROM samples WHERE population_id = ?)) ORDER BY id",
      String(pid),
      pid,
    ).map((r) => r.action);
    expect(trail).toEqual(['upload', 'import', 'freeze', 'select', 'replace']);
  });

  it('generates periodic occurrences, split at a change date, and sizes them from the table', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { frequency: 'monthly', risk: 'higher', changedOn: '2025-07-15' });
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    expect((await senior.post(`/engagements/${eid}/controls/${controlId}/populations/generate`)).statusCode).toBe(303);
    const pops = rows(
      t,
      "SELECT id, label, window_start, window_end, row_count FROM populations WHERE control_id = ? AND status = 'draft' ORDER BY window_start",
      controlId,
    );
    expect(pops.map((p) => [p.label, p.window_start, p.window_end, p.row_count])).toEqual([
      ['Before the change', '2025-01-01', '2025-07-14', 7],
      ['After the change', '2025-07-15', '2025-12-31', 6],
    ]);
    const partial = rows(
      t,
      'SELECT key FROM population_items WHERE population_id = ? AND partial = 1',
      pops[0]!.id,
    ).map((r) => r.key);
    expect(partial).toEqual(['2025-07']);
    // Pro rata is off in the engagement's methodology (the default): each window gets min(3, its occurrences),
    // not 3 scaled to ~6.5 months; with pro rata on, ~6.5 months take 2.
    const page = await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`);
    expect(page.body.match(/Proposed size: \d+/g)).toEqual(['Proposed size: 3', 'Proposed size: 3']);
    expect(page.body).toContain('Period of 6.5 months: the table size holds, capped at the occurrences in the window.');
    useMethodology(t, eid, { proRata: true });
    const proRata = await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`);
    expect(proRata.body.match(/Proposed size: \d+/g)).toEqual(['Proposed size: 2', 'Proposed size: 2']);
  });

  it('refuses judgmental picks that are not in the population and asks for the reason', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const senior = await loginAs(t.app, 'senior');
    const pid = await importedPopulation(t, eid, controlId, senior, 40);
    const noReason = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'judgmental',
      seed: '1',
      pickedKeys: 'CHG-00001',
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Say how and why the items were picked.');
    const unknown = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'judgmental',
      seed: '1',
      pickedKeys: 'CHG-00001\nNOPE-1',
      selectionReason: 'Largest changes',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('NOPE-1');
    expect(rows(t, 'SELECT status FROM populations WHERE id = ?', pid)[0]!.status).toBe('draft');
  });

  it('sizes only a random selection statistically; a haphazard one is evaluated with no upper limit', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const senior = await loginAs(t.app, 'senior');
    const pid = await importedPopulation(t, eid, controlId, senior, 40);
    // As many items as the table proposes (25), so no approval of a smaller sample is needed; 10 and 20 are
    // outside the period.
    const keys = Array.from({ length: 27 }, (_, i) => i + 1)
      .filter((i) => i !== 10 && i !== 20)
      .map((i) => `CHG-${String(i).padStart(5, '0')}`);
    const picked = {
      method: 'haphazard',
      seed: '1',
      pickedKeys: keys.join('\n'),
      selectionReason: 'Picked across the list by eye.',
    };
    const statistical = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      ...picked,
      sizing: 'statistical',
      confidence: '95',
      tolerableRate: '10',
      expectedRate: '0',
    });
    expect(statistical.statusCode).toBe(422);
    expect(statistical.body).toContain(
      'A haphazard selection is not a statistical sample: size it from the firm’s table',
    );
    expect(rows(t, 'SELECT status FROM populations WHERE id = ?', pid)[0]!.status).toBe('draft');
    expect(rows(t, 'SELECT count(*) AS n FROM samples WHERE population_id = ?', pid)[0]!.n).toBe(0);
    const table = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, { ...picked, sizing: 'table' });
    expect(table.statusCode).toBe(303);
    t.app.conn.sqlite
      .prepare("INSERT INTO test_attributes (control_id, letter, text) VALUES (?, 'A', 'The change was approved.')")
      .run(controlId);
    const url = `/engagements/${eid}/controls/${controlId}/workpaper/${pid}`;
    await senior.get(url);
    await senior.post(`${url}/bulk-pass`, { attribute: 'A' });
    const evaluation = (await senior.get(`${url}/evaluation`, { 'hx-request': 'true' })).body;
    expect(evaluation).toContain('None: not a statistical sample');
    expect(evaluation).not.toContain('at 95% confidence');
    expect((await senior.get(`${url}/print`)).body).toContain(
      'None: not a statistical sample (concluded by the table rule)',
    );
  });
});
