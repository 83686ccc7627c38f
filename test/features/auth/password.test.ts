// Changing your own password (issue 12, item 15): it ends your other sessions, keeps this one under a new id,
// and a temporary password set by an administrator cannot be "changed" to itself.
import { describe, expect, it } from 'vitest';
import { buildTestApp, Client, loginAs } from '../../helpers/app.js';

const DEMO = 'tickmark-demo-2025';

describe('changing your password', () => {
  it('ends your other sessions and keeps this one under a new id', async () => {
    const { app } = await buildTestApp();
    const laptop = await loginAs(app, 'senior');
    const phone = await loginAs(app, 'senior');
    const other = await loginAs(app, 'manager');
    await laptop.get('/account/password');
    const before = laptop.cookie;
    const res = await laptop.post('/account/password', {
      current: DEMO,
      password: 'a-brand-new-password',
      confirm: 'a-brand-new-password',
    });
    expect(res.statusCode).toBe(303);
    expect(laptop.cookie).not.toBe(before);
    const home = await laptop.get('/engagements');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('logged out everywhere else');
    const stale = await phone.get('/engagements');
    expect(stale.statusCode).toBe(303);
    expect(stale.headers.location).toBe('/login');
    const oldCookie = await app.inject({ method: 'GET', url: '/engagements', headers: { cookie: before } });
    expect(oldCookie.headers.location).toBe('/login');
    expect((await other.get('/engagements')).statusCode).toBe(200);
    expect((await new Client(app).login('senior@demo.tickmark.test', 'a-brand-new-password')).statusCode).toBe(303);
  });

  it('refuses the current password as the new one, most of all a temporary one from a reset', async () => {
    const { app } = await buildTestApp();
    const admin = await loginAs(app, 'admin');
    await admin.get('/admin/users');
    const staffId = (
      app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as { id: number }
    ).id;
    expect(
      (await admin.post(`/admin/users/${staffId}/password`, { password: 'temporary-password-1' })).statusCode,
    ).toBe(303);
    const staff = new Client(app);
    expect((await staff.login('staff@demo.tickmark.test', 'temporary-password-1')).statusCode).toBe(303);
    await staff.get('/account/password');
    const same = await staff.post('/account/password', {
      current: 'temporary-password-1',
      password: 'temporary-password-1',
      confirm: 'temporary-password-1',
    });
    expect(same.statusCode).toBe(422);
    expect(same.body).toContain('Choose a new password, not the one you have now.');
    const flag = () =>
      (
        app.conn.sqlite.prepare('SELECT must_change_password AS m FROM users WHERE id = ?').get(staffId) as {
          m: number;
        }
      ).m;
    expect(flag()).toBe(1);
    expect((await staff.get('/engagements')).headers.location).toBe('/account/password');
    const changed = await staff.post('/account/password', {
      current: 'temporary-password-1',
      password: 'my-own-password-1',
      confirm: 'my-own-password-1',
    });
    expect(changed.statusCode).toBe(303);
    expect(flag()).toBe(0);
    expect((await staff.get('/engagements')).statusCode).toBe(200);
  });
});
