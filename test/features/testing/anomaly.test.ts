// Issue 14 item 6: the ISAE anomaly. A senior or above proposes a deviation as an anomaly with the reason on an
// ISAE engagement; a manager or the partner other than the proposer approves it; only then does it leave the
// deviation count, and the control's proposal changes. SOC engagements refuse it.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';

const all = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const REASON =
  'The IT Manager left mid-quarter; the three other quarters were reviewed on time and the Finance Director confirmed no access change was missed.';

/** The exception of a control's workpaper: its URLs and the record's version. */
function exceptionOfControl(t: TestApp, eid: number, reference: string) {
  const row = all(
    t,
    'SELECT w.id AS workpaperId, w.control_id AS controlId, w.population_id AS populationId, x.sample_item_id AS item, x.attribute, x.version FROM exceptions x JOIN workpapers w ON w.id = x.workpaper_id JOIN controls c ON c.id = w.control_id WHERE c.engagement_id = ? AND c.reference = ? ORDER BY x.id LIMIT 1',
    eid,
    reference,
  )[0]!;
  const wp = `/engagements/${eid}/controls/${row.controlId}/workpaper/${row.populationId}`;
  return { ...row, wp, page: `${wp}/items/${row.item}/exceptions/${row.attribute}`, version: String(row.version) };
}

async function isae() {
  const t = await buildTestApp();
  const eid = Number(all(t, "SELECT id FROM engagements WHERE client_name = 'Fenwick Payroll Services Ltd'")[0]!.id);
  return { t, eid, x: exceptionOfControl(t, eid, 'FP-AC-01') };
}

const proposalOn = async (client: Client, wp: string) =>
  /id="proposal"><strong class="proposal-([a-z-]+)"/.exec((await client.get(wp)).body)?.[1];
const anomalies = (t: TestApp) =>
  all(
    t,
    'SELECT id, status, reason, proposed_by AS proposedBy, decided_by AS decidedBy FROM exception_anomalies ORDER BY id',
  );

async function propose(client: Client, x: { page: string; version: string }, reason = REASON) {
  await client.get(x.page);
  return client.post(`${x.page}/anomaly`, { reason, version: x.version });
}

describe('an ISAE anomaly', () => {
  it('is proposed by a senior, counts as a deviation until a manager approves it, then changes the control’s proposal and is still reported', async () => {
    const { t, eid, x } = await isae();
    const senior = await loginAs(t.app, 'senior');
    const manager = await loginAs(t.app, 'manager');
    expect(await proposalOn(senior, x.wp)).toBe('not-effective');
    expect((await senior.get(x.page)).body).toContain('Propose as an anomaly');

    expect((await propose(senior, x)).statusCode).toBe(303);
    expect(anomalies(t)).toMatchObject([{ status: 'proposed', reason: REASON }]);
    // Proposed but not approved: still a deviation, and the workpaper cannot be marked prepared again.
    expect(await proposalOn(manager, x.wp)).toBe('not-effective');
    const pending = (await manager.get(x.wp)).body;
    expect(pending).toContain('Approve the anomaly');
    expect(pending).toContain('awaits the approval of a manager or the engagement partner');

    const id = anomalies(t)[0]!.id;
    expect((await manager.post(`${x.wp}/anomalies/${id}/approve`, {})).statusCode).toBe(303);
    expect(anomalies(t)).toMatchObject([{ status: 'approved' }]);
    const after = (await manager.get(x.wp)).body;
    expect(after).toMatch(/id="proposal"><strong class="proposal-exceptions-effective"/);
    expect(after).toContain('1 more treated as an anomaly');
    expect(after).toMatch(/id="deviations">0 /);

    const trail = all(t, "SELECT action FROM audit_entries WHERE entity = 'exception-anomaly' ORDER BY id").map(
      (r) => r.action,
    );
    expect(trail).toEqual(['propose', 'approve']);
    // Still reported: in the exceptions register, and in Section IV's results with the reason.
    expect((await manager.get(`/engagements/${eid}/exceptions`)).body).toContain(
      'The quarterly user access review was not performed',
    );
    const sectionFour = (await manager.get(`/engagements/${eid}/reports/section-iv`)).body.replaceAll('&#39;', "'");
    expect(sectionFour).toContain('the quarterly user access review was not performed');
    expect(sectionFour).toContain(`Treated as an anomaly: ${REASON}`);
  });

  it('refuses the proposer as approver, a staff member as proposer and a senior as approver', async () => {
    const { t, x } = await isae();
    const manager = await loginAs(t.app, 'manager');
    expect((await propose(manager, x)).statusCode).toBe(303);
    const id = anomalies(t)[0]!.id;
    const own = await manager.post(`${x.wp}/anomalies/${id}/approve`, {});
    expect(own.statusCode).toBe(422);
    expect(own.body).toContain('You proposed this anomaly: another manager or the engagement partner decides it.');
    expect((await manager.get(`${x.wp.split('/controls')[0]}/reports/section-iv`)).body).not.toContain(
      'Treated as an anomaly',
    );
    expect(anomalies(t)).toMatchObject([{ status: 'proposed', decidedBy: null }]);

    const staff = await loginAs(t.app, 'staff');
    expect((await staff.get(x.page)).body).not.toContain('Propose as an anomaly');
    expect((await propose(staff, x)).statusCode).toBe(403);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(x.wp);
    expect((await senior.post(`${x.wp}/anomalies/${id}/approve`, {})).statusCode).toBe(403);
    expect(anomalies(t)).toHaveLength(1);

    const partner = await loginAs(t.app, 'partner');
    await partner.get(x.wp);
    expect(
      (
        await partner.post(`${x.wp}/anomalies/${id}/decline`, {
          reason: 'One missed quarter in four is not shown to be unrepresentative.',
        })
      ).statusCode,
    ).toBe(303);
    expect(anomalies(t)).toMatchObject([{ status: 'declined' }]);
    expect(await proposalOn(partner, x.wp)).toBe('not-effective');
  });

  it('needs a reason and the exception record as it stands', async () => {
    const { t, x } = await isae();
    const senior = await loginAs(t.app, 'senior');
    const empty = await propose(senior, x, '  ');
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Write the reason');
    await senior.get(x.page);
    const stale = await senior.post(`${x.page}/anomaly`, { reason: REASON, version: String(Number(x.version) - 1) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain(REASON);
    expect(anomalies(t)).toEqual([]);
  });

  it('is refused on a locked engagement', async () => {
    const { t, eid, x } = await isae();
    const senior = await loginAs(t.app, 'senior');
    await senior.get(x.page);
    t.app.conn.sqlite.prepare("UPDATE engagements SET locked_at = '2026-02-20T10:00:00.000Z' WHERE id = ?").run(eid);
    expect((await senior.post(`${x.page}/anomaly`, { reason: REASON, version: x.version })).statusCode).toBe(423);
    expect(anomalies(t)).toEqual([]);
  });
});

describe('on a SOC engagement', () => {
  it('is not offered, and a proposal is refused with the reason', async () => {
    const t = await buildTestApp();
    const x = exceptionOfControl(t, demoEngagementId(t), 'CC1.4-01');
    const partner = await loginAs(t.app, 'partner');
    expect((await partner.get(x.page)).body).not.toContain('Propose as an anomaly');
    const refused = await propose(partner, x);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('the AICPA standards (SOC 1, SOC 2) do not allow it');
    expect(anomalies(t)).toEqual([]);
  });
});
