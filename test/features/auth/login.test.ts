import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTestApp, Client, loginAs } from '../../helpers/app.js';

describe('log-in', () => {
  it('redirects anonymous page requests to /login and returns there after log-in', async () => {
    const { app } = await buildTestApp();
    const client = new Client(app);
    await client.get('/favicon.ico');
    const first = await client.get('/engagements/1/team', { accept: 'text/html' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login');
    await client.get('/login');
    const res = await client.post('/login', { email: 'senior@demo.tickmark.test', password: 'tickmark-demo-2025' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/engagements/1/team');
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const { app } = await buildTestApp();
    const a = new Client(app);
    const unknown = await a.login('nobody@demo.tickmark.test', 'whatever-password');
    const b = new Client(app);
    const wrong = await b.login('senior@demo.tickmark.test', 'wrong-password-123');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const message = (body: string) => /<p class="form-error"[^>]*>([^<]*)</.exec(body)?.[1];
    expect(message(unknown.body)).toBeTruthy();
    expect(message(unknown.body)).toBe(message(wrong.body));
  });

  it('rotates the session id at log-in and forgets the session at log-out', async () => {
    const { app } = await buildTestApp();
    const client = new Client(app);
    await client.get('/login');
    const before = client.cookie;
    await client.post('/login', { email: 'senior@demo.tickmark.test', password: 'tickmark-demo-2025' });
    expect(client.cookie).not.toBe(before);
    const signedIn = client.cookie;
    await client.get('/engagements');
    const out = await client.post('/logout');
    expect(out.statusCode).toBe(303);
    const again = await app.inject({ method: 'GET', url: '/engagements', headers: { cookie: signedIn } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/login');
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, Secure only when configured', async () => {
    const plain = await buildTestApp({ demo: false });
    const res = await plain.app.inject({ method: 'GET', url: '/login' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const secure = await buildTestApp({
      demo: false,
      env: { TICKMARK_SECURE_COOKIES: '1', TICKMARK_TRUST_PROXY: '1' },
    });
    const overHttps = await secure.app.inject({
      method: 'GET',
      url: '/setup',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(overHttps.headers['set-cookie'])).toMatch(/; Secure/);
    const overHttp = await secure.app.inject({ method: 'GET', url: '/setup' });
    expect(overHttp.headers['set-cookie']).toBeUndefined();
  });

  it('expires an idle session', async () => {
    const { app } = await buildTestApp();
    const client = await loginAs(app, 'senior');
    app.conn.sqlite.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
    const res = await client.get('/engagements');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('refuses a POST without a valid CSRF token', async () => {
    const { app } = await buildTestApp();
    const client = await loginAs(app, 'manager');
    const res = await client.post('/engagements/1/subservice-orgs', {
      name: 'Sneaky',
      method: 'inclusive',
      _csrf: null,
    });
    expect(res.statusCode).toBe(403);
    const forged = await client.post('/engagements/1/subservice-orgs', {
      name: 'Sneaky',
      method: 'inclusive',
      _csrf: 'forged-token',
    });
    expect(forged.statusCode).toBe(403);
    const count = app.conn.sqlite.prepare("SELECT count(*) AS n FROM subservice_orgs WHERE name = 'Sneaky'").get() as {
      n: number;
    };
    expect(count.n).toBe(0);
  });

  it('refuses a log-in POST without a CSRF token', async () => {
    const { app } = await buildTestApp();
    const client = new Client(app);
    await client.get('/login');
    const res = await client.post('/login', {
      email: 'senior@demo.tickmark.test',
      password: 'tickmark-demo-2025',
      _csrf: null,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('first administrator', () => {
  it('asks for the first administrator when there are no users, then never again', async () => {
    const { app } = await buildTestApp({ demo: false });
    const client = new Client(app);
    const home = await client.get('/engagements');
    expect(home.headers.location).toBe('/setup');
    await client.get('/setup');
    const bad = await client.post('/setup', {
      name: 'Ada',
      email: 'ada@example.com',
      password: 'short',
      confirm: 'short',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('at least 12 characters');
    expect(bad.body).toContain('value="ada@example.com"');
    const ok = await client.post('/setup', {
      name: 'Ada',
      email: 'ada@example.com',
      password: 'a-long-enough-password',
      confirm: 'a-long-enough-password',
    });
    expect(ok.statusCode).toBe(303);
    const admin = await client.get('/admin/users');
    expect(admin.statusCode).toBe(200);
    const other = new Client(app);
    expect((await other.get('/setup')).headers.location).toBe('/login');
  });
});

describe('session writes', () => {
  it('a read-only request does not rewrite an unchanged session, but a change is written at once', async () => {
    const { app } = await buildTestApp();
    const client = await loginAs(app, 'senior');
    const row = () =>
      app.conn.sqlite.prepare('SELECT data, expires_at FROM sessions ORDER BY expires_at DESC LIMIT 1').get() as {
        data: string;
        expires_at: number;
      };
    const before = row();
    await client.get('/engagements');
    await client.get('/engagements');
    expect(row().expires_at).toBe(before.expires_at);
    await client.post('/logout');
    expect(app.conn.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE data LIKE ?').get(`%"userId":%`)).toEqual({
      n: 0,
    });
  });
});

describe('idle timeout', () => {
  afterEach(() => vi.useRealTimers());

  for (const [minutes, gapSeconds] of [
    [1, 55],
    [1, 59],
    [2, 110],
    [60, 3590],
  ] as const) {
    it(`keeps a user active every ${gapSeconds} s logged in with TICKMARK_IDLE_MINUTES=${minutes}, and ends the session once idle`, async () => {
      const { app } = await buildTestApp({ env: { TICKMARK_IDLE_MINUTES: String(minutes) } });
      vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-02T09:00:00Z') });
      const client = await loginAs(app, 'senior');
      for (let i = 1; i <= 8; i++) {
        vi.setSystemTime(Date.now() + gapSeconds * 1000);
        const res = await client.get('/engagements');
        expect(res.statusCode, `request ${i}, ${i * gapSeconds} s after log-in`).toBe(200);
      }
      // Idle for the setting plus the store's write interval (a sixtieth of it, at most a minute): logged out.
      vi.setSystemTime(Date.now() + minutes * 60_000 + Math.min(60_000, minutes * 1000) + 1);
      const idle = await client.get('/engagements');
      expect(idle.statusCode).toBe(303);
      expect(idle.headers.location).toBe('/login');
    });
  }
});
