import { describe, expect, it } from 'vitest';
import { buildTestApp, Client, loginAs } from '../../helpers/app.js';

describe('user administration', () => {
  it('is for administrators only', async () => {
    const t = await buildTestApp();
    const partner = await loginAs(t.app, 'partner');
    expect((await partner.get('/admin/users')).statusCode).toBe(403);
    expect(
      (
        await partner.post('/admin/users', {
          name: 'X',
          email: 'x@example.com',
          firmRole: 'admin',
          password: 'long-enough-password',
        })
      ).statusCode,
    ).toBe(403);
    const n = t.app.conn.sqlite.prepare("SELECT count(*) AS n FROM users WHERE email = 'x@example.com'").get() as {
      n: number;
    };
    expect(n.n).toBe(0);
  });

  it('creates a user who must change the temporary password at first log-in', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    await admin.get('/admin/users');
    const res = await admin.post('/admin/users', {
      name: 'Nina New',
      email: 'Nina@Example.com',
      firmRole: 'staff',
      password: 'temporary-password-1',
    });
    expect(res.statusCode).toBe(303);
    const nina = new Client(t.app);
    const login = await nina.login('nina@example.com', 'temporary-password-1');
    expect(login.statusCode).toBe(303);
    const next = await nina.get('/engagements');
    expect(next.headers.location).toBe('/account/password');
    await nina.get('/account/password');
    const wrong = await nina.post('/account/password', {
      current: 'nope',
      password: 'my-own-password-1',
      confirm: 'my-own-password-1',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Your current password is not correct.');
    const changed = await nina.post('/account/password', {
      current: 'temporary-password-1',
      password: 'my-own-password-1',
      confirm: 'my-own-password-1',
    });
    expect(changed.statusCode).toBe(303);
    expect((await nina.get('/engagements')).statusCode).toBe(200);
  });

  it('refuses a short password and a duplicate email with messages beside the fields', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    await admin.get('/admin/users');
    const short = await admin.post('/admin/users', {
      name: 'Short',
      email: 'short@example.com',
      firmRole: 'staff',
      password: 'too-short',
    });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Use at least 12 characters.');
    const dup = await admin.post('/admin/users', {
      name: 'Dup',
      email: 'senior@demo.tickmark.test',
      firmRole: 'staff',
      password: 'long-enough-password',
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('A user with this email already exists.');
  });

  it('deactivating a user ends their sessions and blocks log-in; a role change and reset are recorded', async () => {
    const t = await buildTestApp();
    const staff = await loginAs(t.app, 'staff');
    const admin = await loginAs(t.app, 'admin');
    const staffId = (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as { id: number }
    ).id;
    await admin.get('/admin/users');
    expect((await admin.post(`/admin/users/${staffId}/role`, { firmRole: 'senior' })).statusCode).toBe(303);
    expect((await admin.post(`/admin/users/${staffId}/active`)).statusCode).toBe(303);
    expect((await staff.get('/engagements')).headers.location).toBe('/login');
    expect((await new Client(t.app).login('staff@demo.tickmark.test')).statusCode).toBe(401);
    expect((await admin.post(`/admin/users/${staffId}/active`)).statusCode).toBe(303);
    expect((await admin.post(`/admin/users/${staffId}/password`, { password: 'reset-password-99' })).statusCode).toBe(
      303,
    );
    expect((await new Client(t.app).login('staff@demo.tickmark.test', 'reset-password-99')).statusCode).toBe(303);
    const actions = t.app.conn.sqlite
      .prepare("SELECT action FROM audit_entries WHERE entity = 'user' AND entity_id = ? ORDER BY id")
      .all(String(staffId));
    expect(actions.map((a) => (a as { action: string }).action)).toEqual([
      'update',
      'update',
      'update',
      'reset-password',
    ]);
  });

  it('does not let an administrator lock themselves out', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const adminId = (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'admin@demo.tickmark.test'").get() as { id: number }
    ).id;
    await admin.get('/admin/users');
    expect((await admin.post(`/admin/users/${adminId}/active`)).statusCode).toBe(422);
    expect((await admin.post(`/admin/users/${adminId}/role`, { firmRole: 'staff' })).statusCode).toBe(422);
  });
});
