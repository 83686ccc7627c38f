import { copyFileSync, cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { findRootDir, loadConfig, type Config } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.js';
import type { Clock } from '../../src/features/auth/login-throttle.js';
import { closedAfterFile, closedAfterTest } from './open-apps.js';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dir: string;
}

let demoTemplate: Promise<string> | null = null;

/** The demo database (and its evidence files) is seeded once per test process and copied for each test. */
function seededTemplate(): Promise<string> {
  demoTemplate ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-template-'));
    const conn = openDatabase(path.join(dir, 'seed.db'), path.join(findRootDir(), 'migrations'));
    await seedDemoIfEmpty(conn, dir);
    const file = path.join(dir, 'template.db');
    conn.sqlite.prepare('VACUUM INTO ?').run(file);
    conn.close();
    return file;
  })();
  return demoTemplate;
}

/**
 * A fresh app on a temporary database file (the demo firm unless `demo: false`); deleted after the test, or
 * with `keep` after the last test of the file (for sweeps that share one app and leave it as they found it).
 */
export async function buildTestApp(
  options: { demo?: boolean; env?: Record<string, string>; keep?: boolean; clock?: Clock } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-test-'));
  if (options.demo ?? true) {
    const template = await seededTemplate();
    copyFileSync(template, path.join(dir, 'tickmark.db'));
    const evidence = path.join(path.dirname(template), 'evidence');
    if (existsSync(evidence)) cpSync(evidence, path.join(dir, 'evidence'), { recursive: true });
  }
  const config = loadConfig({
    TICKMARK_DATA_DIR: dir,
    TICKMARK_SESSION_SECRET: 'x'.repeat(40),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await buildApp(config, { logger: process.env.DBG ? { level: 'error' } : false, clock: options.clock });
  const t = { app, config, dir };
  (options.keep ? closedAfterFile : closedAfterTest).push(t);
  return t;
}

/** A browser-like client: keeps the session cookie and knows the CSRF token of the last page it loaded. */
export class Client {
  cookie = '';
  csrf = '';

  /** `remoteAddress`: the address the requests come from (app.inject's default is 127.0.0.1). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly remoteAddress?: string,
  ) {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    const cookies = Array.isArray(set) ? set : set ? [set] : [];
    for (const c of cookies) if (c.startsWith('tickmark_session=')) this.cookie = c.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body) ?? /"x-csrf-token": "([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1]!;
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { cookie: this.cookie, ...headers },
        remoteAddress: this.remoteAddress,
      }),
    );
  }

  /** Posts a form with the current CSRF token unless `_csrf` is given (or `null` to send none). */
  async post(
    url: string,
    form: Record<string, string | string[] | null> = {},
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const params = new URLSearchParams();
    const withToken = '_csrf' in form ? form : { ...form, _csrf: this.csrf };
    for (const [k, v] of Object.entries(withToken)) {
      if (v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        remoteAddress: this.remoteAddress,
      }),
    );
  }

  async login(email: string, password = 'tickmark-demo-2025'): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode === 303) await this.get(String(res.headers.location));
    return res;
  }
}

export async function loginAs(
  app: FastifyInstance,
  who: 'staff' | 'senior' | 'manager' | 'partner' | 'admin',
): Promise<Client> {
  const client = new Client(app);
  const res = await client.login(`${who}@demo.tickmark.test`);
  if (res.statusCode !== 303) throw new Error(`log-in as ${who} failed with ${res.statusCode}`);
  return client;
}

export function demoEngagementId(t: TestApp): number {
  const row = t.app.conn.sqlite
    .prepare("SELECT id FROM engagements WHERE client_name = 'Nimbus Ledger, Inc.'")
    .get() as { id: number };
  return row.id;
}
