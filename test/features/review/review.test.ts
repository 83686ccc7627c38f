import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildWorkpaper } from '../../helpers/factories.js';

const one = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).get(...args) as Record<string, unknown>;

describe('sign-offs', () => {
  it('keeps segregation of duties and goes stale when the work changes', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const wp = buildWorkpaper(t, eid, { preparedBy: 'senior@demo.tickmark.test' });
    const url = `/engagements/${eid}/workpapers/${wp}`;
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`${url}/review`);
    const own = await senior.post(`${url}/signoffs`, { level: 'reviewed' });
    expect(own.statusCode).toBe(422);
    expect(own.body).toContain('The preparer cannot review their own workpaper.');
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`${url}/review`);
    const refused = await staff.post(`${url}/signoffs`, { level: 'reviewed' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(
      'does not allow you to sign off a review (seniors, managers, the engagement partner and the engagement quality reviewer do)',
    );
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`${url}/review`);
    expect((await manager.post(`${url}/signoffs`, { level: 'reviewed' })).statusCode).toBe(303);
    expect((await manager.get(`${url}/review`)).body).toContain('status-ok">Current');
    // A later change to the work makes the sign-off stale, visibly, here and on the dashboard.
    t.app.conn.sqlite.prepare("UPDATE workpapers SET changed_at = '2099-01-01T00:00:00.000Z' WHERE id = ?").run(wp);
    expect((await manager.get(`${url}/review`)).body).toContain('Stale: changed since');
    expect((await manager.get(`/engagements/${eid}/dashboard`)).body).toMatch(/Stale sign-offs:.*CC6\.2-01/s);
  });
});

describe('review notes', () => {
  it('block the reviewer until cleared, and only the author or someone more senior clears them', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const wp = buildWorkpaper(t, eid);
    const url = `/engagements/${eid}/workpapers/${wp}`;
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`${url}/review`);
    expect((await senior.post(`${url}/notes`, { body: 'Attach the approval for item 3.' })).statusCode).toBe(303);
    const note = one(t, 'SELECT id, status FROM review_notes WHERE workpaper_id = ?', wp);
    expect(note.status).toBe('open');
    expect((await senior.post(`${url}/signoffs`, { level: 'reviewed' })).body).toContain('1 review note is still open');

    const staff = await loginAs(t.app, 'staff');
    await staff.get(`${url}/review`);
    await staff.post(`/engagements/${eid}/review-notes/${note.id}/responses`, { body: 'Attached as evidence file 2.' });
    expect(one(t, 'SELECT status FROM review_notes WHERE id = ?', note.id).status).toBe('responded');
    await staff.post(`/engagements/${eid}/review-notes/${note.id}/clear`);
    expect(one(t, 'SELECT status FROM review_notes WHERE id = ?', note.id).status).toBe('responded');

    const list = await senior.get(`/engagements/${eid}/review-notes?status=open&mine=1`);
    expect(list.body).toContain('CC6.2-01');
    await senior.post(`/engagements/${eid}/review-notes/${note.id}/clear`);
    expect(one(t, 'SELECT status FROM review_notes WHERE id = ?', note.id).status).toBe('cleared');
    await senior.get(`${url}/review`);
    expect((await senior.post(`${url}/signoffs`, { level: 'reviewed' })).statusCode).toBe(303);
    const actions = t.app.conn.sqlite
      .prepare("SELECT action FROM audit_entries WHERE entity IN ('review-note', 'signoff') ORDER BY id")
      .all()
      .map((r) => (r as { action: string }).action);
    expect(actions.slice(-4)).toEqual(['raise', 'respond', 'clear', 'sign']);
  });
});

describe('preparation and staleness', () => {
  it('marking a workpaper prepared does not itself make the preparation stale', async () => {
    const { markPrepared } = await import('../../../src/features/testing/conclusion-service.js');
    const { workpaperScope } = await import('../../../src/features/testing/scope.js');
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const engagement = t.app.conn.sqlite.prepare('SELECT * FROM engagements WHERE id = ?').get(eid);
    const { getEngagement } = await import('../../../src/core/engagement/queries.js');
    const control = one(t, "SELECT id FROM controls WHERE reference = 'CC8.1-01'");
    const scope = workpaperScope(t.app.conn.db, getEngagement(t.app.conn.db, eid)!, Number(control.id))!;
    const staff = one(t, "SELECT id, email, name, firm_role FROM users WHERE email = 'staff@demo.tickmark.test'");
    expect(engagement).toBeTruthy();
    for (let i = 0; i < 20; i++) {
      const wp = markPrepared(
        t.app.conn.db,
        {
          id: Number(staff.id),
          email: String(staff.email),
          name: String(staff.name),
          firmRole: 'staff',
          mustChangePassword: false,
        },
        scope,
      );
      expect(wp.preparedAt).toBe(wp.changedAt);
    }
  });

  it('the demo has exactly one stale sign-off, where the work changed after review', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/dashboard`);
    expect(page.body).toMatch(/Stale sign-offs:<\/strong>\s*<a[^>]*>CC7\.2-01<\/a><\/p>/);
  });
});

describe('history', () => {
  it('shows a workpaper’s own history: cells, notes and sign-offs, and nothing of other workpapers', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const wp = one(
      t,
      "SELECT w.id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = 'CC7.1-01'",
    );
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/history?workpaper=${wp.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('test-result');
    expect(page.body).toContain('review-note');
    expect(page.body).toContain('signoff');
    const other = one(
      t,
      "SELECT w.id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = 'CC8.1-01'",
    );
    expect(page.body).not.toContain(`workpaper ${other.id}<`);
    const verify = await partner.post(`/engagements/${eid}/audit-trail/verify`);
    expect(verify.body).toContain('The audit trail is intact');
  });
});

describe('the way in', () => {
  it('the workpaper page links to its review and sign-off page', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const row = one(
      t,
      "SELECT w.id, w.control_id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = 'CC1.4-01'",
    );
    const senior = await loginAs(t.app, 'senior');
    const page = await senior.get(`/engagements/${eid}/controls/${row.control_id}/workpaper`);
    expect(page.body).toContain(`href="/engagements/${eid}/workpapers/${row.id}/review"`);
  });
});
