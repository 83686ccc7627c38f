import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';

const n = (t: TestApp, sql: string, ...args: unknown[]) =>
  (t.app.conn.sqlite.prepare(sql).get(...args) as { n: number }).n;

describe('roll-forward', () => {
  it('copies the matrix, plans, legend, team and requests, not the period’s work; raises risk where exceptions were found', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const form = await manager.get(`/engagements/${eid}/roll-forward`);
    expect(form.body).toContain('value="2026-01-01"');
    expect(form.body).toContain('value="2026-12-31"');
    const res = await manager.post(`/engagements/${eid}/roll-forward`, {
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      plannedReportDate: '2027-02-26',
    });
    expect(res.statusCode).toBe(303);
    const next = Number(/engagements\/(\d+)/.exec(String(res.headers.location))![1]);
    for (const table of [
      'controls',
      'tickmarks',
      'engagement_members',
      'subservice_orgs',
      'complementary_controls',
      'pbc_requests',
    ]) {
      expect([table, n(t, `SELECT count(*) AS n FROM ${table} WHERE engagement_id = ?`, next)]).toEqual([
        table,
        n(t, `SELECT count(*) AS n FROM ${table} WHERE engagement_id = ?`, eid),
      ]);
    }
    const plans = (id: number, table: string) =>
      n(t, `SELECT count(*) AS n FROM ${table} x JOIN controls c ON c.id = x.control_id WHERE c.engagement_id = ?`, id);
    for (const table of ['test_procedures', 'test_attributes', 'control_mappings'])
      expect([table, plans(next, table)]).toEqual([table, plans(eid, table)]);
    for (const table of [
      'populations',
      'samples',
      'workpapers',
      'exceptions',
      'review_notes',
      'signoffs',
      'evidence_files',
    ])
      expect([table, n(t, `SELECT count(*) AS n FROM ${table} WHERE engagement_id = ?`, next)]).toEqual([table, 0]);
    expect(n(t, "SELECT count(*) AS n FROM pbc_requests WHERE engagement_id = ? AND status <> 'open'", next)).toBe(0);
    const risk = (id: number, ref: string) =>
      (
        t.app.conn.sqlite
          .prepare('SELECT risk FROM controls WHERE engagement_id = ? AND reference = ?')
          .get(id, ref) as { risk: string }
      ).risk;
    expect(risk(eid, 'CC1.4-01')).toBe('lower');
    expect(risk(next, 'CC1.4-01')).toBe('higher');
    const page = await manager.get(`/engagements/${next}`);
    expect(page.body).toContain('Prior-period exceptions');
    expect(page.body).toContain('CC1.4-01');
  });

  it('is refused to staff and works on a locked engagement', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare("UPDATE engagements SET locked_at = '2026-02-27T00:00:00Z' WHERE id = ?").run(eid);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/roll-forward`);
    expect(
      (await staff.post(`/engagements/${eid}/roll-forward`, { periodStart: '2026-01-01', periodEnd: '2026-12-31' }))
        .statusCode,
    ).toBe(403);
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/roll-forward`);
    expect(
      (await partner.post(`/engagements/${eid}/roll-forward`, { periodStart: '2025-06-01', periodEnd: '2026-05-31' }))
        .statusCode,
    ).toBe(422);
    expect(
      (await partner.post(`/engagements/${eid}/roll-forward`, { periodStart: '2026-01-01', periodEnd: '2026-12-31' }))
        .statusCode,
    ).toBe(303);
  });
});
