import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';
import { useMethodology } from '../../helpers/methodology.js';

function approve(t: TestApp, eid: number): void {
  const s = t.app.conn.sqlite;
  const partner = (s.prepare("SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'").get() as { id: number })
    .id;
  s.prepare(
    "INSERT INTO opinion_decisions (engagement_id, approved_type, proposed_type, approved_by, approved_at, updated_at) VALUES (?, 'unqualified', 'unqualified', ?, '2026-02-27T10:00:00.000Z', '2026-02-27T10:00:00.000Z')",
  ).run(eid, partner);
  s.prepare(
    "UPDATE engagements SET locked_at = '2026-02-27T10:00:00.000Z', locked_by = ?, status = 'completed' WHERE id = ?",
  ).run(partner, eid);
}

describe('archive access', () => {
  it('export is for managers and the partner, import for managers, partners and administrators; off the team is 404', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    expect((await staff.get(`/engagements/${eid}/archive`)).statusCode).toBe(200);
    expect((await staff.get(`/engagements/${eid}/archive/export`)).statusCode).toBe(403);
    expect((await staff.get('/engagements/import')).statusCode).toBe(403);
    expect((await upload(t.app, staff, '/engagements/import', {}, { name: 'a.zip', content: 'x' })).statusCode).toBe(
      403,
    );
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get(`/engagements/${eid}/archive/export`)).statusCode).toBe(404);
    expect((await admin.get(`/engagements/${eid}/archive`)).statusCode).toBe(404);
    const list = await admin.get('/engagements');
    expect(list.body).toContain('href="/engagements/import"');
    const manager = await loginAs(t.app, 'manager');
    expect((await manager.get(`/engagements/${eid}/archive/export`)).headers['content-type']).toBe('application/zip');
    await manager.get(`/engagements/${eid}/archive`);
    expect((await manager.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(403);
  });

  it('archiving needs the approved opinion; an archived engagement refuses writes and unlocking, not export or roll-forward', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    // The engagement's own copy of the firm's file policy decides its dates.
    useMethodology(t, eid, { assemblyDays: 45, retentionYears: 5 });
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/archive`);
    expect(page.body).toContain('Only an engagement whose opinion the partner has approved');
    expect((await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(422);

    approve(t, eid);
    const ready = await partner.get(`/engagements/${eid}/archive`);
    expect(ready.body).toContain('Archive engagement');
    expect(ready.body).toContain('report date + 45 days');
    expect((await partner.post(`/engagements/${eid}/archive`, {})).statusCode).toBe(422);
    expect((await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(303);
    const overview = await partner.get(`/engagements/${eid}`);
    expect(overview.body).toContain('permanently read-only');
    expect(overview.body).toContain('Assembly deadline');
    // 2026-02-27 + 45 days; + 5 years.
    expect(overview.body).toContain('13 Apr 2026');
    expect(overview.body).toContain('27 Feb 2031');

    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/edit`);
    const edit = await manager.post(`/engagements/${eid}/edit`, { clientName: 'Renamed' });
    expect(edit.statusCode).toBe(423);
    expect(edit.body).toContain('permanently read-only');
    await partner.get(`/engagements/${eid}/opinion`);
    expect((await partner.post(`/engagements/${eid}/opinion/unlock`, { reason: 'Reopen' })).statusCode).toBe(423);
    expect((await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(423);
    expect((await manager.get(`/engagements/${eid}/archive/export`)).statusCode).toBe(200);
    await manager.get(`/engagements/${eid}/roll-forward`);
    const next = await manager.post(`/engagements/${eid}/roll-forward`, {
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    });
    expect(next.statusCode).toBe(303);
    const nextId = Number(/engagements\/(\d+)/.exec(String(next.headers.location))![1]);
    expect(
      t.app.conn.sqlite.prepare('SELECT archived_at, locked_at, status FROM engagements WHERE id = ?').get(nextId),
    ).toEqual({ archived_at: null, locked_at: null, status: 'planning' });
  });
});
