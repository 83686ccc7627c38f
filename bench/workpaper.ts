// The testing workpaper: (a) the page of 60 items × 6 attributes under 32 concurrent connections (autocannon, in
// a child process) against a bare fastify route sending the same bytes; (b) cell saves per second, each with its
// checks and audit-trail entry in one transaction, against raw single-row inserts of the same cell rows.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, findRootDir } from '../src/config.js';
import { openDatabase, type Connection } from '../src/db/connection.js';
import { engagements } from '../src/db/schema/index.js';
import { seedDemoIfEmpty } from '../src/features/demo/seed.js';
import { saveCell, saveCells, type CellInput } from '../src/features/testing/cell-service.js';
import { saveException } from '../src/features/testing/item-service.js';
import { workpaperScope, type WorkpaperScope } from '../src/features/testing/scope.js';
import { itemsOfSample } from '../src/features/sampling/queries.js';
import { sampledControl, userByEmail } from '../test/helpers/workpaper-fixture.js';
import { round, type Benchmark, type Figure } from './harness.js';

const ATTRIBUTES = [
  'Approved before deployment.',
  'Approver is not the developer.',
  'Tests passed before deployment.',
  'Deployed by the pipeline.',
  'Ticket links to the pull request.',
  'Emergency change approved within two days.',
];
const CONNECTIONS = 32;
const SECONDS = 10;

interface Load {
  requestsPerSecond: number;
  p99: number;
  errors: number;
}

/** autocannon in its own process (asynchronously: the server answers from this one), so the load generator
 * does not share the server's event loop. */
async function autocannon(url: string, headers: Record<string, string>): Promise<Load> {
  const bin = path.join(
    path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')),
    'autocannon.js',
  );
  const args = [
    bin,
    '-c',
    String(CONNECTIONS),
    '-d',
    String(SECONDS),
    '-j',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    url,
  ];
  const out = JSON.parse(
    (await promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })).stdout,
  );
  return { requestsPerSecond: out.requests.average, p99: out.latency.p99, errors: out.errors + out.non2xx };
}

function scopeOf(conn: Connection, controlId: number, populationId: number): WorkpaperScope {
  const engagement = conn.db.select().from(engagements).get()!;
  return workpaperScope(conn.db, engagement, controlId, populationId)!;
}

/** About two thirds of the grid marked, with exceptions and N/A as on a workpaper in progress. */
function markSome(conn: Connection, scope: WorkpaperScope): void {
  const staff = userByEmail(conn, 'staff@demo.tickmark.test');
  const cells: CellInput[] = [];
  for (const [i, item] of itemsOfSample(conn.db, scope.sample!.id).entries()) {
    if (i >= 40) break;
    for (const { letter } of scope.attributes) {
      const result = letter === 'F' ? 'na' : i % 13 === 5 && letter === 'B' ? 'exception' : 'pass';
      cells.push({
        sampleItemId: item.sampleItemId,
        attribute: letter,
        result,
        naReason: result === 'na' ? 'Standard change.' : '',
        version: 0,
      });
    }
  }
  saveCells(conn, staff, scope, cells);
  for (const c of cells.filter((c) => c.result === 'exception')) {
    saveException(conn.db, staff, scope, c.sampleItemId, c.attribute, {
      description: 'the change was approved by its developer',
      cause: '',
      nature: 'isolated',
      managementResponse: 'Agreed.',
      compensatingControlId: null,
      status: 'open',
      version: 0,
    });
  }
}

/** Logs in through the app and returns the session cookie (the test helpers' client assumes vitest). */
async function sessionCookie(app: Awaited<ReturnType<typeof buildApp>>, email: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const cookieOf = (set: string | string[] | undefined) =>
    [set ?? []]
      .flat()
      .find((c) => c.startsWith('tickmark_session='))!
      .split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookieOf(form.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password: 'tickmark-demo-2025', _csrf: csrf }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`log-in failed with ${res.statusCode}`);
  return cookieOf(res.headers['set-cookie']);
}

async function pageFigures(conn: Connection, dir: string): Promise<Figure[]> {
  const fixture = await sampledControl(conn, dir, 1, { attributes: ATTRIBUTES, rows: 1000, size: 60 });
  markSome(conn, scopeOf(conn, fixture.controlId, fixture.populationId));
  const env = { TICKMARK_DATA_DIR: dir, TICKMARK_SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' };
  const app = await buildApp(loadConfig(env), { connection: conn, logger: false });
  // The same app rendering the page afresh on every request: what a reader gets after each change.
  const uncached = await buildApp(loadConfig({ ...env, TICKMARK_PAGE_CACHE: '0' }), {
    connection: conn,
    logger: false,
  });
  const bare = Fastify({ logger: false });
  try {
    const cookie = await sessionCookie(app, 'staff@demo.tickmark.test');
    const page = await app.inject({ method: 'GET', url: fixture.url, headers: { cookie } });
    if (page.statusCode !== 200) throw new Error(`workpaper page answered ${page.statusCode}`);
    // Bytes encoded once, as the cache keeps them: a string would be encoded again on every request.
    const bytes = Buffer.from(page.body);
    bare.get('/page', (_req, reply) => reply.type('text/html; charset=utf-8').send(bytes));
    const ours = await app.listen({ port: 0, host: '127.0.0.1' });
    const afresh = await uncached.listen({ port: 0, host: '127.0.0.1' });
    const baseline = await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareLoad = await autocannon(`${baseline}/page`, {});
    const load = await autocannon(`${ours}${fixture.url}`, { cookie });
    const afreshLoad = await autocannon(`${afresh}${fixture.url}`, { cookie });
    if (load.errors || bareLoad.errors || afreshLoad.errors)
      throw new Error(`errors under load: ${load.errors} ours, ${afreshLoad.errors} uncached, ${bareLoad.errors} bare`);
    const ratio = load.requestsPerSecond / bareLoad.requestsPerSecond;
    const afreshRatio = afreshLoad.requestsPerSecond / bareLoad.requestsPerSecond;
    const kb = Math.round(Buffer.byteLength(page.body) / 1024);
    const baselineRate = { name: 'bare fastify route, same bytes', value: Math.round(bareLoad.requestsPerSecond) };
    return [
      {
        benchmark: 'workpaper',
        name: `workpaper page, 60 items × 6 attributes (${kb} KB), ${CONNECTIONS} connections`,
        value: Math.round(load.requestsPerSecond),
        unit: 'req/s',
        baseline: baselineRate,
        ratio: round(ratio),
        goal: '≥ 0.3× bare',
        met: ratio >= 0.3,
      },
      {
        benchmark: 'workpaper',
        name: `workpaper page p99 latency at ${CONNECTIONS} connections`,
        value: load.p99,
        unit: 'ms',
        baseline: { name: 'bare fastify route', value: bareLoad.p99 },
        ratio: round(load.p99 / Math.max(bareLoad.p99, 1)),
        goal: 'p99 ≤ 50 ms',
        met: load.p99 <= 50,
      },
      {
        benchmark: 'workpaper',
        name: `the same page rendered afresh on every request (TICKMARK_PAGE_CACHE=0), ${CONNECTIONS} connections`,
        value: Math.round(afreshLoad.requestsPerSecond),
        unit: 'req/s',
        baseline: baselineRate,
        ratio: round(afreshRatio),
        goal: 'none: the path after each change to the database',
        met: true,
        informational: true,
      },
    ];
  } finally {
    await app.close();
    await uncached.close();
    await bare.close();
  }
}

/** Per-second rates of two alternating workloads, in blocks so that drift on a shared machine hits both alike. */
function alternate(blocks: number, ours: () => number, raw: () => number): { ours: number; raw: number } {
  let oursMs = 0;
  let rawMs = 0;
  let oursN = 0;
  let rawN = 0;
  for (let b = 0; b < blocks; b++) {
    let t = process.hrtime.bigint();
    oursN += ours();
    oursMs += Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    rawN += raw();
    rawMs += Number(process.hrtime.bigint() - t) / 1e6;
  }
  return { ours: (oursN / oursMs) * 1000, raw: (rawN / rawMs) * 1000 };
}

async function saveFigures(conn: Connection, dir: string): Promise<Figure[]> {
  const fixture = await sampledControl(conn, dir, 1, { attributes: ATTRIBUTES, rows: 2000, size: 500 });
  const scope = scopeOf(conn, fixture.controlId, fixture.populationId);
  const staff = userByEmail(conn, 'staff@demo.tickmark.test');
  const cells = itemsOfSample(conn.db, fixture.sampleId).flatMap((item) =>
    scope.attributes.map(({ letter }) => ({ sampleItemId: item.sampleItemId, attribute: letter })),
  );
  // The baseline stores the same rows in a table with test_results' columns and indexes, one INSERT each.
  conn.sqlite.exec(`CREATE TABLE raw_test_results (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, workpaper_id integer NOT NULL, sample_item_id integer NOT NULL,
      attribute text NOT NULL, result text, na_reason text DEFAULT '' NOT NULL, version integer NOT NULL, updated_by integer NOT NULL, updated_at text NOT NULL);
    CREATE UNIQUE INDEX raw_test_results_cell ON raw_test_results (sample_item_id, attribute);
    CREATE INDEX raw_test_results_workpaper ON raw_test_results (workpaper_id);`);
  const raw = conn.sqlite.prepare(
    'INSERT INTO raw_test_results (workpaper_id, sample_item_id, attribute, result, na_reason, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
  );
  const BLOCK = 250;
  let next = 0;
  let rawNext = 0;
  const rates = alternate(
    cells.length / BLOCK,
    () => {
      for (const end = next + BLOCK; next < end; next++) {
        const out = saveCell(conn, staff, scope, { ...cells[next]!, result: 'pass', naReason: '', version: 0 });
        if (out.status !== 'saved') throw new Error('unexpected conflict');
      }
      return BLOCK;
    },
    () => {
      for (const end = rawNext + BLOCK; rawNext < end; rawNext++)
        raw.run(
          1,
          cells[rawNext]!.sampleItemId,
          cells[rawNext]!.attribute,
          'pass',
          '',
          staff.id,
          new Date().toISOString(),
        );
      return BLOCK;
    },
  );
  const ratio = rates.ours / rates.raw;
  return [
    {
      benchmark: 'workpaper',
      name: 'cell saves (checks, version, audit-trail entry, one transaction each)',
      value: Math.round(rates.ours),
      unit: 'saves/s',
      baseline: {
        name: 'raw single-row inserts of the same rows into a copy of test_results',
        value: Math.round(rates.raw),
      },
      ratio: round(ratio),
      goal: '≥ 0.3× raw',
      met: ratio >= 0.3,
    },
  ];
}

export const workpaper: Benchmark = {
  name: 'workpaper',
  description: `Workpaper page (60 × 6) under ${CONNECTIONS} connections vs a bare route; cell saves vs raw inserts`,
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-bench-wp-'));
    const conn = openDatabase(path.join(dir, 'tickmark.db'), path.join(findRootDir(), 'migrations'));
    try {
      await seedDemoIfEmpty(conn, dir);
      const saves = await saveFigures(conn, dir);
      const page = await pageFigures(conn, dir);
      return [...page, ...saves];
    } finally {
      conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
