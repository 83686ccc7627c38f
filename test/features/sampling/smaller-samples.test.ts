// A sample smaller than proposed (issue 13, item 4): it needs a reason and a manager's approval before anything is
// drawn (the large-sample approval, reused), is recorded in the trail and shown on the selection, the workpaper
// and the printout, and is evaluated against the tolerable rate the proposal implied, not the smaller one's.
import { describe, expect, it } from 'vitest';
import { extensionSize } from '../../../src/domain/evaluation.js';
import { selectRandom } from '../../../src/domain/selection.js';
import { writeTestPlan } from '../../../src/features/controls/test-plan-service.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';

const rows = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const one = (t: TestApp, sql: string, ...args: unknown[]) => rows(t, sql, ...args)[0]!;
const REASON = 'Walkthrough and a clean prior year: the manager agreed to 15 days.';

/** A daily control (lower risk: 20 from the table) with a two-attribute plan and its generated occurrences. */
async function dailyControl() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'OPS-DAILY', frequency: 'daily', risk: 'lower' });
  t.app.conn.db.transaction((tx) =>
    writeTestPlan(tx, controlId, {
      procedures: [{ kind: 'inspection', text: 'Inspected the daily reconciliation.' }],
      attributes: ['Reconciliation prepared.', 'Reviewed the same day.'],
    }),
  );
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  expect((await senior.post(`/engagements/${eid}/controls/${controlId}/populations/generate`)).statusCode).toBe(303);
  const pid = Number(one(t, "SELECT id FROM populations WHERE control_id = ? AND status = 'draft'", controlId).id);
  const sampling = await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`);
  expect(sampling.body).toContain('Proposed size: 20');
  return {
    t,
    eid,
    controlId,
    pid,
    senior,
    populationSize: Number(one(t, 'SELECT sampleable_count AS n FROM populations WHERE id = ?', pid).n),
  };
}

const select = (client: Client, eid: number, pid: number, body: Record<string, string>) =>
  client.post(`/engagements/${eid}/populations/${pid}/samples`, {
    sizing: 'table',
    method: 'random',
    seed: '777',
    ...body,
  });
const sampleIdOf = (res: { headers: Record<string, unknown> }) =>
  Number(/samples\/(\d+)/.exec(String(res.headers.location))![1]);
const itemsOf = (t: TestApp, sampleId: number) =>
  rows(
    t,
    'SELECT si.id, pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
    sampleId,
  );
const trail = (t: TestApp, sampleId: number) =>
  rows(
    t,
    "SELECT action, changes FROM audit_entries WHERE entity = 'sample' AND entity_id = ? ORDER BY id",
    String(sampleId),
  ).map((r) => ({ action: r.action, changes: JSON.parse(String(r.changes)) as Record<string, [unknown, unknown]> }));

describe('a sample smaller than proposed', () => {
  it('needs a reason, then waits undrawn for a manager, who approves it; the trail and every page say so', async () => {
    const { t, eid, controlId, pid, senior, populationSize } = await dailyControl();
    const unexplained = await select(senior, eid, pid, { overrideSize: '15' });
    expect(unexplained.statusCode).toBe(422);
    expect(unexplained.body).toContain('Say why the size differs from the proposal.');
    expect(one(t, 'SELECT status FROM populations WHERE id = ?', pid).status).toBe('draft');

    const asked = await select(senior, eid, pid, { overrideSize: '15', overrideReason: REASON });
    expect(asked.statusCode).toBe(303);
    const sampleId = sampleIdOf(asked);
    expect(
      one(
        t,
        'SELECT status, planned_size, proposed_size, approval_grounds, approved_by FROM samples WHERE id = ?',
        sampleId,
      ),
    ).toEqual({
      status: 'pending',
      planned_size: 15,
      proposed_size: 20,
      approval_grounds: 'Smaller than the proposed 20 items',
      approved_by: null,
    });
    expect(itemsOf(t, sampleId)).toEqual([]);
    const [request] = trail(t, sampleId);
    expect(request).toMatchObject({
      action: 'request-approval',
      changes: {
        size: [null, 15],
        proposedSize: [null, 20],
        approvalGrounds: [null, 'Smaller than the proposed 20 items'],
        overrideReason: [null, REASON],
      },
    });
    const waiting = await senior.get(`/engagements/${eid}/samples/${sampleId}`);
    expect(waiting.body).toContain(
      'The sample of 15 items is smaller than the proposed 20 items: it is drawn once a manager or the engagement partner approves it.',
    );
    expect(waiting.body).toContain(
      'Smaller than the proposed 20 items: a sample like this needs a manager’s or the engagement partner’s approval before anything is drawn.',
    );
    expect(waiting.body).toContain('15 planned (20 proposed)');
    expect((await senior.get(`/engagements/${eid}/controls/${controlId}/workpaper/${pid}`)).body).toContain(
      'A selection of 15 items (smaller than the proposed 20 items)',
    );
    expect((await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`)).body).toContain(
      'smaller than the proposed 20 items, drawn once a manager or the partner approves it.',
    );
    expect((await senior.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(403);

    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/samples/${sampleId}`);
    expect((await manager.post(`/engagements/${eid}/samples/${sampleId}/approve`)).statusCode).toBe(303);
    expect(itemsOf(t, sampleId).map((r) => r.position)).toEqual(
      selectRandom({ populationSize, sampleSize: 15, seed: 777 }),
    );
    expect(trail(t, sampleId).map((e) => e.action)).toEqual(['request-approval', 'approve']);
    const approved = /Smaller than the proposed 20 items: approved by [^<]+, 20\d\d-/;
    expect((await senior.get(`/engagements/${eid}/samples/${sampleId}`)).body).toMatch(approved);
    for (const url of [
      `/engagements/${eid}/controls/${controlId}/workpaper/${pid}`,
      `/engagements/${eid}/controls/${controlId}/workpaper/${pid}/print`,
    ]) {
      const body = (await senior.get(url)).body;
      expect(body).toMatch(approved);
      expect(body).toContain(REASON);
      expect(body).toContain('(20 proposed)');
    }
  });

  it('a manager’s own smaller selection is drawn at once, recorded as approved by them', async () => {
    const { t, eid, pid } = await dailyControl();
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/controls/1/sampling`);
    const sampleId = sampleIdOf(await select(manager, eid, pid, { overrideSize: '12', overrideReason: REASON }));
    expect(
      one(
        t,
        'SELECT s.status, s.approval_grounds, u.email FROM samples s JOIN users u ON u.id = s.approved_by WHERE s.id = ?',
        sampleId,
      ),
    ).toEqual({
      status: 'active',
      approval_grounds: 'Smaller than the proposed 20 items',
      email: 'manager@demo.tickmark.test',
    });
    expect(itemsOf(t, sampleId)).toHaveLength(12);
    expect(trail(t, sampleId)[0]).toMatchObject({
      action: 'select',
      changes: { approvedBy: [null, 'manager@demo.tickmark.test'], proposedSize: [null, 20] },
    });
  });

  it('fewer picked items than proposed need the same reason and approval; the proposal or more need none', async () => {
    const { t, eid, pid, senior } = await dailyControl();
    const keys = rows(t, 'SELECT key FROM population_items WHERE population_id = ? ORDER BY position LIMIT 3', pid).map(
      (r) => String(r.key),
    );
    const picked = { method: 'judgmental', pickedKeys: keys.join('\n'), selectionReason: 'The month-end days.' };
    const refused = await select(senior, eid, pid, picked);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'Say why the sample is smaller than the proposed 20 items: a manager or the engagement partner approves it before anything is drawn.',
    );
    const sampleId = sampleIdOf(
      await select(senior, eid, pid, { ...picked, overrideReason: 'Only month-end carries the risk.' }),
    );
    expect(one(t, 'SELECT status, planned_size, override_reason FROM samples WHERE id = ?', sampleId)).toEqual({
      status: 'pending',
      planned_size: 3,
      override_reason: 'Only month-end carries the risk.',
    });
  });

  it('a larger override needs no approval, and the proposal is recorded either way', async () => {
    const { t, eid, pid, senior } = await dailyControl();
    const sampleId = sampleIdOf(
      await select(senior, eid, pid, { overrideSize: '30', overrideReason: 'Wider coverage asked for by the client.' }),
    );
    expect(
      one(
        t,
        'SELECT status, planned_size, proposed_size, approval_grounds, approved_by FROM samples WHERE id = ?',
        sampleId,
      ),
    ).toEqual({ status: 'active', planned_size: 30, proposed_size: 20, approval_grounds: null, approved_by: null });
  });

  it('is evaluated against the tolerable rate the proposal implied: one deviation in 15 asks for the extension 20 would', async () => {
    const { t, eid, controlId, pid } = await dailyControl();
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/controls/${controlId}/sampling`);
    const sampleId = sampleIdOf(await select(manager, eid, pid, { overrideSize: '15', overrideReason: REASON }));
    const url = `/engagements/${eid}/controls/${controlId}/workpaper/${pid}`;
    const staff = await loginAs(t.app, 'staff');
    await staff.get(url);
    const [first] = itemsOf(t, sampleId);
    await staff.post(
      `${url}/cells`,
      { item: String(first!.id), attribute: 'A', result: 'exception', version: '0', naReason: '' },
      { 'hx-request': 'true' },
    );
    for (const attribute of ['A', 'B']) await staff.post(`${url}/bulk-pass`, { attribute });
    const page = (await staff.get(url)).body;
    // 20 items with no deviation: 14.0% at 95% (rounded up); 15 would have implied 18.2% and a smaller extension.
    expect(page).toContain('<dt>Tolerable rate</dt><dd>14.0%');
    expect(page).toContain('(implied: the upper limit of 20 items (the proposed size) with no deviation)');
    const required = extensionSize({ confidence: 0.95, plannedSize: 20, deviations: 1 })!;
    expect(required).toBeGreaterThan(extensionSize({ confidence: 0.95, plannedSize: 15, deviations: 1 })!);
    expect(page).toContain(
      `the sample must reach <strong>${required} items</strong> for the same assurance as no deviation in 20 items (the proposed size)`,
    );
  });
});
