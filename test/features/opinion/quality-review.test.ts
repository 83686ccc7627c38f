// Issue 12, item 4: the quality review outlived the reviewer. A manager made themselves quality reviewer,
// signed and stepped back; approval then did not wait for the reviewer actually appointed.
import { describe, expect, it } from 'vitest';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { completeFieldwork } from '../../helpers/factories.js';

const one = <T = Record<string, unknown>>(t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).get(...args) as T;

/** A partner of the firm from outside the demo team, logged in. */
async function outsidePartner(t: TestApp, email: string): Promise<{ id: number; client: Client }> {
  const { hash } = (await import('@node-rs/argon2')) as { hash: (p: string) => Promise<string> };
  const row = one<{ id: number }>(
    t,
    "INSERT INTO users (email, name, firm_role, password_hash, created_at) VALUES (?, 'Eve Quality', 'partner', ?, '2025-01-01') RETURNING id",
    email,
    await hash('tickmark-demo-2025'),
  );
  const client = new Client(t.app);
  await client.login(email);
  return { id: row.id, client };
}

async function readyToApprove(t: TestApp) {
  const eid = demoEngagementId(t);
  completeFieldwork(t, eid);
  t.app.conn.sqlite.prepare("UPDATE review_notes SET status = 'cleared'").run();
  const partner = await loginAs(t.app, 'partner');
  const page = await partner.get(`/engagements/${eid}/opinion`);
  const proposed = /<option value="(\w+)" selected>/.exec(page.body)![1]!;
  return { eid, partner, approve: () => partner.post(`/engagements/${eid}/opinion/approve`, { type: proposed }) };
}

const memberOf = (t: TestApp, eid: number, email: string) =>
  one<{ id: number; role: string }>(
    t,
    'SELECT m.id, m.role FROM engagement_members m JOIN users u ON u.id = m.user_id WHERE m.engagement_id = ? AND u.email = ?',
    eid,
    email,
  );

describe('appointing the engagement quality reviewer', () => {
  it('is the partner’s alone, from outside the team: a manager can neither make themselves reviewer nor appoint or remove one', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const eve = await outsidePartner(t, 'eve@example.com');
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/team`);
    const self = memberOf(t, eid, 'manager@demo.tickmark.test');
    const selfAppointed = await manager.post(`/engagements/${eid}/team/${self.id}/role`, { role: 'eqr' });
    expect(selfAppointed.statusCode).toBe(422);
    expect(selfAppointed.body).toContain(
      'Only the engagement partner appoints or stands down the engagement quality reviewer.',
    );
    expect(memberOf(t, eid, 'manager@demo.tickmark.test').role).toBe('manager');
    const byManager = await manager.post(`/engagements/${eid}/team`, { userId: String(eve.id), role: 'eqr' });
    expect(byManager.statusCode).toBe(422);
    expect(byManager.body).toContain('Only the engagement partner appoints');

    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/team`);
    const fromTeam = await partner.post(`/engagements/${eid}/team/${self.id}/role`, { role: 'eqr' });
    expect(fromTeam.statusCode).toBe(422);
    expect(fromTeam.body).toContain('independent of the team');
    expect((await partner.post(`/engagements/${eid}/team`, { userId: String(eve.id), role: 'eqr' })).statusCode).toBe(
      303,
    );
    const eqr = memberOf(t, eid, 'eve@example.com');
    expect(eqr.role).toBe('eqr');

    // The manager's team page offers no quality reviewer and no way to remove or re-role the one appointed.
    const page = await manager.get(`/engagements/${eid}/team`);
    expect(page.body).not.toContain('<option value="eqr"');
    expect(page.body).not.toContain(`/team/${eqr.id}/remove`);
    expect((await manager.post(`/engagements/${eid}/team/${eqr.id}/remove`)).statusCode).toBe(422);
    expect((await manager.post(`/engagements/${eid}/team/${eqr.id}/role`, { role: 'manager' })).statusCode).toBe(422);
    expect(memberOf(t, eid, 'eve@example.com').role).toBe('eqr');
  });

  it('refuses anyone whose firm role cannot hold the role: the administrator never, a staff member not as manager', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const admin = one<{ id: number }>(t, "SELECT id FROM users WHERE email = 'admin@demo.tickmark.test'");
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/team`);
    const teamBefore = t.app.conn.sqlite.prepare('SELECT * FROM engagement_members ORDER BY id').all();
    for (const role of ['staff', 'manager'] as const) {
      const res = await manager.post(`/engagements/${eid}/team`, { userId: String(admin.id), role });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('An administrator manages accounts and is never on an engagement team.');
    }
    const staff = memberOf(t, eid, 'staff@demo.tickmark.test');
    const promoted = await manager.post(`/engagements/${eid}/team/${staff.id}/role`, { role: 'manager' });
    expect(promoted.statusCode).toBe(422);
    expect(promoted.body).toContain('A staff of the firm cannot be manager on a team.');
    expect(t.app.conn.sqlite.prepare('SELECT * FROM engagement_members ORDER BY id').all()).toEqual(teamBefore);
    expect((await loginAs(t.app, 'admin').then((c) => c.get(`/engagements/${eid}`))).statusCode).toBe(404);
  });
});

describe('the quality-review signature', () => {
  it('counts only while its signer holds the role: approval waits for the reviewer actually appointed (the replay)', async () => {
    const t = await buildTestApp();
    const { eid, partner, approve } = await readyToApprove(t);
    // How it went before: the manager made themselves quality reviewer (no longer possible through the team
    // page, so written as it was stored), signed, and stepped back.
    const self = memberOf(t, eid, 'manager@demo.tickmark.test');
    t.app.conn.sqlite
      .prepare("UPDATE engagement_members SET role = 'eqr', role_since = ? WHERE id = ?")
      .run(new Date(Date.now() - 60_000).toISOString(), self.id);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/opinion`);
    expect((await manager.post(`/engagements/${eid}/opinion/quality-review`)).statusCode).toBe(303);
    await partner.get(`/engagements/${eid}/team`);
    expect((await partner.post(`/engagements/${eid}/team/${self.id}/role`, { role: 'manager' })).statusCode).toBe(303);
    const eve = await outsidePartner(t, 'eve@example.com');
    expect((await partner.post(`/engagements/${eid}/team`, { userId: String(eve.id), role: 'eqr' })).statusCode).toBe(
      303,
    );

    await partner.get(`/engagements/${eid}/opinion`);
    const early = await approve();
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain(
      'The quality review on record was signed by someone who is not the engagement quality reviewer now',
    );
    expect(one(t, 'SELECT locked_at FROM engagements WHERE id = ?', eid)).toEqual({ locked_at: null });

    const page = await eve.client.get(`/engagements/${eid}/opinion`);
    expect(page.body).toContain('status-review">Awaited');
    expect(page.body).toContain('Sign the quality review');
    expect((await eve.client.post(`/engagements/${eid}/opinion/quality-review`)).statusCode).toBe(303);
    expect((await eve.client.get(`/engagements/${eid}/opinion`)).body).toContain('✓ Signed');
    expect((await approve()).statusCode).toBe(303);
  });

  it('does not count a signature given before the current appointment', async () => {
    const t = await buildTestApp();
    const { eid, partner, approve } = await readyToApprove(t);
    const eve = await outsidePartner(t, 'eve@example.com');
    await partner.get(`/engagements/${eid}/team`);
    await partner.post(`/engagements/${eid}/team`, { userId: String(eve.id), role: 'eqr' });
    await eve.client.get(`/engagements/${eid}/opinion`);
    await eve.client.post(`/engagements/${eid}/opinion/quality-review`);
    // Stood down and appointed again: the old signature is from before this appointment.
    await partner.post(`/engagements/${eid}/team/${memberOf(t, eid, 'eve@example.com').id}/remove`);
    await new Promise((r) => setTimeout(r, 5));
    expect((await partner.post(`/engagements/${eid}/team`, { userId: String(eve.id), role: 'eqr' })).statusCode).toBe(
      303,
    );
    await partner.get(`/engagements/${eid}/opinion`);
    const res = await approve();
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('signed before the current appointment as engagement quality reviewer');
    await eve.client.get(`/engagements/${eid}/opinion`);
    await eve.client.post(`/engagements/${eid}/opinion/quality-review`);
    expect((await approve()).statusCode).toBe(303);
  });
});
