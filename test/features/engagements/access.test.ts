import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

describe('engagement access', () => {
  it('shows the demo engagement to its senior', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    const list = await senior.get('/engagements');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Nimbus Ledger, Inc.');
    expect(list.body).toContain('Robert Chen'); // the engagement partner
    const page = await senior.get(`/engagements/${demoEngagementId(t)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1 Jan 2025 – 31 Dec 2025');
    expect(page.body).toContain('Security, Availability');
  });

  it('answers 404 to an administrator who is not on the team, the same as for a missing engagement', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const id = demoEngagementId(t);
    const hidden = await admin.get(`/engagements/${id}`);
    const missing = await admin.get('/engagements/999999');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.body).not.toContain('Nimbus');
    expect((await admin.get(`/engagements/${id}/team`)).statusCode).toBe(404);
    expect((await admin.get('/engagements')).body).not.toContain('Nimbus');
    await admin.get('/engagements');
    const write = await admin.post(`/engagements/${id}/subservice-orgs`, { name: 'Hijacked', method: 'inclusive' });
    expect(write.statusCode).toBe(404);
    const hijacked = t.app.conn.sqlite
      .prepare("SELECT count(*) AS n FROM subservice_orgs WHERE name = 'Hijacked'")
      .get() as { n: number };
    expect(hijacked.n).toBe(0);
  });

  it('treats malformed ids as not found', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    for (const id of ['abc', '0', '-1', '1e3', '01'])
      expect((await senior.get(`/engagements/${id}`)).statusCode).toBe(404);
  });

  it('lets only managers and the partner edit the engagement (403 with a reason)', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const res = await staff.get(`/engagements/${id}/edit`);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('does not allow you to edit the engagement');
    const post = await staff.post(`/engagements/${id}/edit`, { clientName: 'Changed' });
    expect(post.statusCode).toBe(403);
    const name = t.app.conn.sqlite.prepare('SELECT client_name AS n FROM engagements WHERE id = ?').get(id) as {
      n: string;
    };
    expect(name.n).toBe('Nimbus Ledger, Inc.');
  });

  it('shows a 404 page for unknown URLs', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    const res = await senior.get('/no/such/page');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });
});
