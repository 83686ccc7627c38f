// The log-in delay (issue 12, item 10): failures slow down their account and their address, a success costs
// nothing, and no run of failures holds the right password back for more than a minute.
import { describe, expect, it } from 'vitest';
import { MAX_LOGIN_DELAY_MS } from '../../../src/domain/login-delay.js';
import { buildTestApp, Client } from '../../helpers/app.js';
import { FakeClock } from '../../helpers/clock.js';

const PASSWORD = 'tickmark-demo-2025';

async function attempt(client: Client, email: string, password: string) {
  if (!client.csrf) await client.get('/login');
  return client.post('/login', { email, password });
}

async function setUp() {
  const clock = new FakeClock();
  const t = await buildTestApp({ clock });
  return { ...t, clock };
}

describe('log-in delay', () => {
  it('five wrong passwords, then the right one: accepted after a one-second wait, not locked out', async () => {
    const { app, clock } = await setUp();
    const client = new Client(app, '10.0.0.7');
    for (let i = 0; i < 5; i++)
      expect((await attempt(client, 'partner@demo.tickmark.test', `wrong-password-${i}`)).statusCode).toBe(401);
    expect(clock.slept).toEqual([]);
    const right = await attempt(client, 'partner@demo.tickmark.test', PASSWORD);
    expect(right.statusCode).toBe(303);
    expect(clock.slept).toEqual([1_000]);
  });

  it('each further failure doubles the wait, never beyond a minute, and the right password still gets in', async () => {
    const { app, clock } = await setUp();
    const client = new Client(app, '10.0.0.8');
    for (let i = 0; i < 14; i++)
      expect((await attempt(client, 'staff@demo.tickmark.test', `wrong-password-${i}`)).statusCode).toBe(401);
    expect(clock.slept).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect((await attempt(client, 'staff@demo.tickmark.test', PASSWORD)).statusCode).toBe(303);
    expect(Math.max(...clock.slept)).toBe(MAX_LOGIN_DELAY_MS);
  });

  it('a thousand failures still hold the right password back a minute at most', async () => {
    const { app, clock } = await setUp();
    // The thousand failures are written as the throttle keeps them (a thousand argon2 checks would take a minute).
    app.conn.sqlite
      .prepare('INSERT INTO login_failures (email, failures, first_failure_at, last_failure_at) VALUES (?, 1000, ?, ?)')
      .run('partner@demo.tickmark.test', clock.now() - 600_000, clock.now());
    const client = new Client(app, '10.0.0.9');
    expect((await attempt(client, 'partner@demo.tickmark.test', PASSWORD)).statusCode).toBe(303);
    expect(clock.slept).toEqual([MAX_LOGIN_DELAY_MS]);
  });

  it('an attacker who keeps failing cannot keep the partner out: a held right password is checked within a minute', async () => {
    const { app, clock } = await setUp();
    const attacker = new Client(app, '203.0.113.66');
    for (let i = 0; i < 12; i++) await attempt(attacker, 'partner@demo.tickmark.test', `guess-${i}`);
    clock.autoAdvance = false;
    const partner = new Client(app, '10.0.0.10');
    await partner.get('/login');
    const guess = attempt(attacker, 'partner@demo.tickmark.test', 'guess-again');
    const login = attempt(partner, 'partner@demo.tickmark.test', PASSWORD);
    await clock.untilPending(2);
    expect(clock.slept.slice(-2)).toEqual([MAX_LOGIN_DELAY_MS, MAX_LOGIN_DELAY_MS]);
    clock.advance(MAX_LOGIN_DELAY_MS);
    expect((await guess).statusCode).toBe(401);
    expect((await login).statusCode).toBe(303);
  });

  it('unknown e-mails are delayed exactly like real ones and answered with the same message', async () => {
    const { app, clock } = await setUp();
    const client = new Client(app, '10.0.0.11');
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++)
      bodies.push((await attempt(client, 'nobody@demo.tickmark.test', `wrong-password-${i}`)).body);
    for (let i = 0; i < 6; i++)
      bodies.push((await attempt(client, 'senior@demo.tickmark.test', `wrong-password-${i}`)).body);
    expect(clock.slept).toEqual([1_000, 1_000]);
    const messages = new Set(bodies.map((b) => /<p class="form-error"[^>]*>([^<]*)</.exec(b)?.[1]));
    expect([...messages]).toEqual(['Email or password is incorrect.']);
  });

  it('successful log-ins cost their address nothing (the old per-IP limit counted them)', async () => {
    const { app, clock } = await setUp();
    for (let i = 0; i < 30; i++) {
      const res = await attempt(
        new Client(app, '10.0.0.12'),
        i % 2 ? 'staff@demo.tickmark.test' : 'senior@demo.tickmark.test',
        PASSWORD,
      );
      expect(res.statusCode, `log-in ${i + 1}`).toBe(303);
    }
    expect(clock.slept).toEqual([]);
  });

  it('failures from one address slow that address down, for every account, and not other addresses', async () => {
    const { app, clock } = await setUp();
    const noisy = new Client(app, '198.51.100.5');
    for (let i = 0; i < 20; i++) await attempt(noisy, `user${i}@example.com`, 'wrong-password');
    expect(clock.slept).toEqual([]);
    await attempt(noisy, 'user20@example.com', 'wrong-password');
    expect(clock.slept).toEqual([1_000]);
    expect((await attempt(noisy, 'senior@demo.tickmark.test', PASSWORD)).statusCode).toBe(303);
    expect(clock.slept).toEqual([1_000, 2_000]);
    expect((await attempt(new Client(app, '10.0.0.13'), 'manager@demo.tickmark.test', PASSWORD)).statusCode).toBe(303);
    expect(clock.slept).toEqual([1_000, 2_000]);
  });

  it('an address may keep only a few attempts waiting; the rest are refused at once with 429', async () => {
    const { app, clock } = await setUp();
    const noisy = new Client(app, '198.51.100.6');
    for (let i = 0; i < 21; i++) await attempt(noisy, `user${i}@example.com`, 'wrong-password');
    clock.autoAdvance = false;
    const waiting = [0, 1, 2, 3, 4].map((i) =>
      attempt(new Client(app, '198.51.100.6'), `other${i}@example.com`, 'wrong-password'),
    );
    await clock.untilPending(5);
    const refused = await attempt(new Client(app, '198.51.100.6'), 'other5@example.com', 'wrong-password');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).toContain('Wait a minute');
    clock.advance(MAX_LOGIN_DELAY_MS);
    for (const res of await Promise.all(waiting)) expect(res.statusCode).toBe(401);
  });

  it('one attempt per account and address waits at a time', async () => {
    const { app, clock } = await setUp();
    const client = new Client(app, '10.0.0.14');
    for (let i = 0; i < 5; i++) await attempt(client, 'staff@demo.tickmark.test', 'wrong-password');
    clock.autoAdvance = false;
    const first = attempt(client, 'staff@demo.tickmark.test', 'wrong-password');
    await clock.untilPending(1);
    expect((await attempt(client, 'staff@demo.tickmark.test', PASSWORD)).statusCode).toBe(429);
    clock.advance(1_000);
    expect((await first).statusCode).toBe(401);
  });

  it('a held attempt is let go with 503 when the server shuts down', async () => {
    const { app, clock } = await setUp();
    const client = new Client(app, '10.0.0.15');
    for (let i = 0; i < 5; i++) await attempt(client, 'staff@demo.tickmark.test', 'wrong-password');
    clock.autoAdvance = false;
    const held = attempt(client, 'staff@demo.tickmark.test', PASSWORD);
    await clock.untilPending(1);
    const closed = app.close();
    expect((await held).statusCode).toBe(503);
    await closed;
  });

  it('repeated or non-text form fields are a failed log-in, not a server error', async () => {
    const { app } = await setUp();
    const client = new Client(app, '10.0.0.16');
    await client.get('/login');
    const res = await client.post('/login', {
      email: ['senior@demo.tickmark.test', 'staff@demo.tickmark.test'],
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(401);
  });
});
