// A team at work on one workpaper: ten signed-in auditors reload it about once a second while three of them
// also save a cell every four seconds, someone opens the log-in page and a log-in fails now and then. The figure
// is the share of loads the page cache answers, beside the share with nobody saving (the same team, same run).
// Time is counted in rounds (one round = one second of a human pace), so the figure does not hang on the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { findRootDir, loadConfig } from '../src/config.js';
import { openDatabase, type Connection } from '../src/db/connection.js';
import { seedDemoIfEmpty } from '../src/features/demo/seed.js';
import { sampledControl } from '../test/helpers/workpaper-fixture.js';
import { round, type Benchmark, type Figure } from './harness.js';

const ROUNDS = 30;
const SAVE_EVERY = 4;
const TEAM: string[] = [
  'staff',
  'staff',
  'staff',
  'senior',
  'senior',
  'manager',
  'manager',
  'partner',
  'senior',
  'staff',
];
const SAVERS = 3;

class Auditor {
  cookie = '';
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  private keep(res: Awaited<ReturnType<FastifyInstance['inject']>>) {
    const set = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('tickmark_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1]!;
    return res;
  }

  async get(url: string) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }

  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const payload = new URLSearchParams({ ...form, _csrf: this.csrf }).toString();
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
    );
  }

  async login(role: string, password = 'tickmark-demo-2025') {
    await this.get('/login');
    return this.post('/login', { email: `${role}@demo.tickmark.test`, password });
  }
}

/** Share of workpaper loads answered from the cache over the rounds; `saving` auditors save as they go. */
async function hitRate(app: FastifyInstance, url: string, itemIds: number[], saving: number): Promise<number> {
  const team = TEAM.map(() => new Auditor(app));
  for (const [i, auditor] of team.entries()) {
    await auditor.login(TEAM[i]!);
    await auditor.get(url);
  }
  const cells = itemIds.flatMap((item) => ['A', 'B', 'C'].map((attribute) => ({ item, attribute })));
  let loads = 0;
  let hits = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, auditor] of team.entries()) {
      if (i < saving && (round + i) % SAVE_EVERY === 0) {
        const cell = cells.shift()!;
        const saved = await auditor.post(
          `${url}/cells`,
          { item: String(cell.item), attribute: cell.attribute, result: 'pass', version: '0', naReason: '' },
          { 'hx-request': 'true' },
        );
        if (saved.statusCode !== 200) throw new Error(`cell save answered ${saved.statusCode}`);
      }
      const page = await auditor.get(url);
      if (page.statusCode !== 200) throw new Error(`workpaper page answered ${page.statusCode}`);
      loads++;
      if (page.headers['x-page-cache'] === 'hit') hits++;
    }
    // Someone opens the log-in page, and every few rounds a log-in fails: neither changes the workpaper.
    await app.inject({ method: 'GET', url: '/login' });
    if (round % 5 === 0) await new Auditor(app).login('staff', 'not the password');
  }
  return hits / loads;
}

async function teamFigures(conn: Connection, dir: string): Promise<Figure[]> {
  const reading = await sampledControl(conn, dir, 1, { rows: 400, size: 60 });
  const working = await sampledControl(conn, dir, 1, { rows: 400, size: 60 });
  const itemsOf = (sampleId: number) =>
    (
      conn.sqlite.prepare('SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence').all(sampleId) as {
        id: number;
      }[]
    ).map((r) => r.id);
  const app = await buildApp(
    loadConfig({
      TICKMARK_DATA_DIR: dir,
      TICKMARK_SESSION_SECRET: 'b'.repeat(40),
      LOG_LEVEL: 'silent',
      TICKMARK_LOGIN_ATTEMPTS_PER_IP: '100000',
    }),
    { connection: conn, logger: false },
  );
  try {
    const idle = await hitRate(app, reading.url, itemsOf(reading.sampleId), 0);
    const busy = await hitRate(app, working.url, itemsOf(working.sampleId), SAVERS);
    return [
      {
        benchmark: 'workpaper-team',
        name: `workpaper loads answered from the cache, ${TEAM.length} auditors, ${SAVERS} saving a cell every ${SAVE_EVERY} s`,
        value: round(busy * 100, 1),
        unit: '% hits',
        baseline: { name: 'the same team with nobody saving', value: round(idle * 100, 1) },
        ratio: round(busy / idle),
        goal: '≥ 0.5× the hit rate with nobody saving',
        met: busy / idle >= 0.5,
      },
    ];
  } finally {
    await app.close();
  }
}

export const workpaperTeam: Benchmark = {
  name: 'workpaper-team',
  description: 'Page-cache hit rate of a workpaper ten auditors reload while three save, against nobody saving',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-bench-team-'));
    const conn = openDatabase(path.join(dir, 'tickmark.db'), path.join(findRootDir(), 'migrations'));
    try {
      await seedDemoIfEmpty(conn, dir);
      return await teamFigures(conn, dir);
    } finally {
      conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
