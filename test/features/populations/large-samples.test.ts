// Samples above the firm's limit (issue 12, item 9): a senior's selection waits, frozen and undrawn, for a
// manager's or the partner's approval, which is recorded, in the trail and shown; a manager's own is drawn at
// once as approved by them; an extension past the limit is theirs to draw; nothing goes beyond 10,000 items.
import { describe, expect, it } from 'vitest';
import { selectRandom } from '../../../src/domain/selection.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';
import { useMethodology } from '../../helpers/methodology.js';
import { completeCa } from '../../helpers/ca.js';

const LIMIT = 50;
const rows = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const one = (t: TestApp, sql: string, ...args: unknown[]) => rows(t, sql, ...args)[0]!;

async function setup(rowCount = 400) {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  useMethodology(t, eid, { largeSampleItems: LIMIT });
  const controlId = buildControl(t, eid, { reference: 'CHG-BIG' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'changes.csv', content: ticketsCsv(rowCount) },
  );
  const mappingUrl = String(res.headers.location);
  await senior.get(mappingUrl);
  await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso' });
  for (
    let i = 0;
    i < 400 &&
    (one(t, 'SELECT status FROM populations WHERE id = ?', Number(/populations\/(\d+)/.exec(mappingUrl)![1]))
      .status as string) === 'importing';
    i++
  )
    await new Promise((r) => setTimeout(r, 25));
  const pid = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
  await completeCa(t, senior, eid, pid);
  await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`);
  return { t, eid, controlId, pid, senior };
}

async function select(client: Client, eid: number, pid: number, size: number, seed = '4711') {
  return client.post(`/engagements/${eid}/populations/${pid}/samples`, {
    sizing: 'table',
    method: 'random',
    seed,
    overrideSize: String(size),
    overrideReason: 'Client asked for wider coverage of the year.',
  });
}

const sampleIdOf = (res: { headers: Record<string, unknown> }) =>
  Number(/samples\/(\d+)/.exec(String(res.headers.location))![1]);
const positionsOf = (t: TestApp, sampleId: number) =>
  rows(
    t,
    'SELECT pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
    sampleId,
  ).map((r) => r.position);
const trail = (t: TestApp, sampleId: number) =>
  rows(
    t,
    "SELECT action, changes FROM audit_entries WHERE entity = 'sample' AND entity_id = ? ORDER BY id",
    String(sampleId),
  ).map((r) => ({ action: r.action, changes: JSON.parse(String(r.changes)) as Record<string, [unknown, unknown]> }));

describe('samples above the firm’s limit', () => {
  it('a senior’s selection waits, frozen and undrawn, until a manager approves it; then it is drawn as asked', async () => {
    const { t, eid, controlId, pid, senior } = await setup();
    const res = await select(senior, eid, pid, 60);
    expect(res.statusCode).toBe(303);
    const sampleId = sampleIdOf(res);
    expect(one(t, 'SELECT status, planned_size, approved_by FROM samples WHERE id = ?', sampleId)).toEqual({
      status: 'pending',
      planned_size: 60,
      approved_by: null,
    });
    expect(positionsOf(t, sampleId)).toEqual([]);
    expect(one(t, 'SELECT status FROM populations WHERE id = ?', pid).status).toBe('frozen');
    expect(trail(t, sampleId).map((e) => e.action)).toEqual(['request-approval']);
    const page = await senior.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(page.body).toContain('Selection of 60 items from 400, awaiting approval');
    expect(page.body).toContain('Waiting for a manager or the engagement partner on the team to approve it.');
    const workpaper = await senior.get(`/engagements/${eid}/controls/${controlId}/workpaper/${pid}`);
    expect(workpaper.body).toContain('awaits a manager’s approval');
    // A second selection is refused while this one waits; the senior and staff cannot approve it.
    expect((await select(senior, eid, pid, 30, '1')).body).toContain('This population already has a selection.');
    expect((await senior.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(403);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/samples/${sampleId}`);
    expect((await staff.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(403);
    expect(positionsOf(t, sampleId)).toEqual([]);

    const manager = await loginAs(t.app, 'manager');
    const forManager = await manager.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(forManager.body).toContain('Approve and draw 60 items');
    expect((await manager.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(303);
    expect(positionsOf(t, sampleId)).toEqual(selectRandom({ populationSize: 400, sampleSize: 60, seed: 4711 }));
    const approved = one(
      t,
      'SELECT s.status, u.email FROM samples s JOIN users u ON u.id = s.approved_by WHERE s.id = ?',
      sampleId,
    );
    expect(approved).toEqual({ status: 'active', email: 'manager@demo.tickmark.test' });
    const entries = trail(t, sampleId);
    expect(entries.map((e) => e.action)).toEqual(['request-approval', 'approve']);
    expect(entries[1]!.changes.approvedBy).toEqual([null, 'manager@demo.tickmark.test']);
    const shown = await senior.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(shown.body).toMatch(/Above the firm’s limit of 50: approved by [^<]+, 20\d\d-/);
    expect((await senior.post(`/engagements/${eid}/samples/${sampleId}/verify`)).body).toContain('✓ Matches');
    for (const url of [
      `/engagements/${eid}/controls/${controlId}/workpaper/${pid}`,
      `/engagements/${eid}/controls/${controlId}/workpaper/${pid}/print`,
    ]) {
      expect((await senior.get(url)).body).toMatch(/Above the firm’s limit of 50: approved by [^<]+, 20\d\d-/);
    }
    // Approving twice draws nothing more.
    expect((await manager.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(409);
    expect(positionsOf(t, sampleId)).toHaveLength(60);
  });

  it('a manager’s own selection above the limit is drawn at once, recorded as approved by them', async () => {
    const { t, eid, pid } = await setup();
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/controls/1/sampling`);
    const sampleId = sampleIdOf(await select(manager, eid, pid, 80));
    expect(
      one(t, 'SELECT s.status, u.email FROM samples s JOIN users u ON u.id = s.approved_by WHERE s.id = ?', sampleId),
    ).toEqual({ status: 'active', email: 'manager@demo.tickmark.test' });
    expect(positionsOf(t, sampleId)).toHaveLength(80);
    const [entry] = trail(t, sampleId);
    expect(entry).toMatchObject({
      action: 'select',
      changes: { approvedBy: [null, 'manager@demo.tickmark.test'], size: [null, 80] },
    });
  });

  it('a selection within the limit is drawn at once, with no approval', async () => {
    const { t, eid, pid, senior } = await setup();
    const sampleId = sampleIdOf(await select(senior, eid, pid, LIMIT));
    expect(one(t, 'SELECT status, approved_by FROM samples WHERE id = ?', sampleId)).toEqual({
      status: 'active',
      approved_by: null,
    });
    expect(positionsOf(t, sampleId)).toHaveLength(LIMIT);
  });

  it('a declined selection is kept with the reason, and the population can be sampled again', async () => {
    const { t, eid, pid, senior } = await setup();
    const sampleId = sampleIdOf(await select(senior, eid, pid, 60));
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/samples/${sampleId}`);
    expect((await partner.post(`/engagements/${eid}/samples/${sampleId}/decline`, { reason: '' })).statusCode).toBe(
      422,
    );
    expect(
      (
        await partner.post(`/engagements/${eid}/samples/${sampleId}/decline`, {
          reason: 'Twenty-five items answer the risk; test those.',
        })
      ).statusCode,
    ).toBe(303);
    expect(one(t, 'SELECT status, discarded_reason FROM samples WHERE id = ?', sampleId)).toEqual({
      status: 'discarded',
      discarded_reason: expect.stringContaining('Twenty-five items answer the risk'),
    });
    expect(trail(t, sampleId).map((e) => e.action)).toEqual(['request-approval', 'decline']);
    await senior.get(`/engagements/${eid}/controls/1/sampling`);
    const again = await select(senior, eid, pid, 25, '99');
    expect(again.statusCode).toBe(303);
    expect(positionsOf(t, sampleIdOf(again))).toHaveLength(25);
  });

  it('replacing the population discards a selection still awaiting approval', async () => {
    const { t, eid, pid, senior } = await setup();
    const sampleId = sampleIdOf(await select(senior, eid, pid, 60));
    await senior.get(`/engagements/${eid}/populations/${pid}`);
    expect(
      (
        await senior.post(`/engagements/${eid}/populations/${pid}/replace`, {
          reason: 'The client sent a corrected list.',
        })
      ).statusCode,
    ).toBe(303);
    expect(one(t, 'SELECT status FROM samples WHERE id = ?', sampleId).status).toBe('discarded');
  });

  it('an extension past the limit is refused to a senior and drawn by a manager, recorded as their approval', async () => {
    const { t, eid, controlId, pid, senior } = await setup();
    const sampleId = sampleIdOf(await select(senior, eid, pid, 40));
    t.app.conn.sqlite
      .prepare("INSERT INTO test_attributes (control_id, letter, text) VALUES (?, 'A', 'The change was approved.')")
      .run(controlId);
    // One deviation in 40: the one extension, to 64 items, passes the firm's limit of 50.
    const url = `/engagements/${eid}/controls/${controlId}/workpaper/${pid}`;
    await senior.get(url);
    const first = Number(
      rows(t, 'SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence LIMIT 1', sampleId)[0]!.id,
    );
    await senior.post(
      `${url}/cells`,
      { item: String(first), attribute: 'A', result: 'exception', naReason: '', version: '0' },
      { 'hx-request': 'true' },
    );
    await senior.post(`${url}/bulk-pass`, { attribute: 'A' });
    const refused = await senior.post(`${url}/extend`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'A sample of 64 items is above the firm’s limit of 50: a manager or the engagement partner must approve it. Ask one of them to draw this extension.',
    );
    expect(positionsOf(t, sampleId)).toHaveLength(40);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(url);
    expect((await manager.post(`${url}/extend`)).statusCode).toBe(303);
    expect(positionsOf(t, sampleId)).toHaveLength(64);
    const extensions = trail(t, sampleId).filter((e) => e.action === 'extend');
    expect(extensions.map((e) => e.changes.approvedBy ?? null)).toEqual([[null, 'manager@demo.tickmark.test']]);
  });

  it('nothing above 10,000 items is accepted, and a refused selection freezes nothing', async () => {
    const { t, eid, pid, senior } = await setup(10_050);
    const form = await select(senior, eid, pid, 10_001);
    expect(form.statusCode).toBe(422);
    expect(form.body).toContain('The size is a whole number of items, at most 10,000.');
    const all = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'table',
      method: 'all',
      seed: '5',
    });
    expect(all.statusCode).toBe(422);
    expect(all.body).toContain('A sample holds at most 10,000 items; 10,050 is more.');
    expect(one(t, 'SELECT status FROM populations WHERE id = ?', pid).status).toBe('draft');
    expect(rows(t, 'SELECT id FROM samples WHERE population_id = ?', pid)).toEqual([]);
  });
});
