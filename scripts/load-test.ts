// npm run test:load: 50 simulated auditors on loopback for 2 minutes (bounded: it stops by itself), each with
// its own session, reading pages, marking grid cells and uploading evidence on the demo engagement. Reports
// throughput, p50/p99 latency and errors, then checks that every acknowledged save is in the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, HttpClient, ServerProcess } from './lib/server-process.js';

const USERS = Number(process.env.LOAD_USERS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 120);
const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-load-'));
const db = () => new Database(path.join(dir, 'tickmark.db'), { readonly: true });
const one = <T>(sql: string, ...args: unknown[]) => {
  const d = db();
  try {
    return d.prepare(sql).get(...args) as T;
  } finally {
    d.close();
  }
};

interface Cell {
  item: number;
  attribute: string;
  version: number;
  result: 'pass' | '';
}
type Kind = 'page' | 'save' | 'upload';
const latencies: number[] = [];
const byKind: Record<Kind, number[]> = { page: [], save: [], upload: [] };
let errors = 0;
const acknowledged = new Map<string, 'pass' | ''>();

async function timed<T>(kind: Kind, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    latencies.push(performance.now() - start);
    byKind[kind].push(performance.now() - start);
  }
}

/** The p-th percentile of sorted latencies, in ms. */
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1) : '—';

async function auditor(server: ServerProcess, n: number, cells: Cell[], base: string, until: number): Promise<void> {
  const client = new HttpClient(() => server.base);
  await client.login(`${['staff', 'senior', 'manager', 'partner'][n % 4]}@demo.tickmark.test`);
  await client.get(`${base}/workpaper`);
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.5) {
      const page = [`${base}/workpaper`, `${base}`, `/engagements/1/dashboard`, `/engagements/1/controls`][
        Math.floor(Math.random() * 4)
      ]!;
      const res = await timed('page', () => client.get(page));
      if (res.status !== 200) errors++;
    } else if (roll < 0.95 && cells.length > 0) {
      const cell = cells[Math.floor(Math.random() * cells.length)]!;
      const result = cell.result === 'pass' ? '' : 'pass';
      const res = await timed('save', () =>
        client.post(
          `${base}/workpaper/${populationId}/cells`,
          { item: String(cell.item), attribute: cell.attribute, result, version: String(cell.version) },
          { 'hx-request': 'true' },
        ),
      );
      const version = /data-version="(\d+)"/.exec(res.body);
      if (res.status === 200 && version) {
        cell.version = Number(version[1]);
        cell.result = result;
        acknowledged.set(`${cell.item}/${cell.attribute}`, result);
      } else errors++;
    } else {
      const form = new FormData();
      form.append('_csrf', client.csrf);
      form.append('file', new Blob([`Walkthrough note ${n} ${Date.now()}\n`], { type: 'text/plain' }), `note-${n}.txt`);
      const res = await timed('upload', () =>
        fetch(`${server.base}${base}/workpaper/${populationId}/evidence`, {
          method: 'POST',
          body: form,
          redirect: 'manual',
          headers: { cookie: client.cookie },
        }),
      );
      if (res.status >= 400) errors++;
      await res.text();
    }
  }
}

let populationId = 0;

async function main(): Promise<void> {
  // Fifty auditors behind one address would trip the per-IP log-in limit; the per-account throttle stays on.
  const server = new ServerProcess(dir, await freePort(), { TICKMARK_LOGIN_ATTEMPTS_PER_IP: '1000' });
  await server.start();
  const control = one<{ id: number }>("SELECT id FROM controls WHERE reference = 'A1.2-01'");
  const population = one<{ id: number }>(
    "SELECT id FROM populations WHERE control_id = ? AND status = 'frozen'",
    control.id,
  );
  populationId = population.id;
  const d = db();
  const items = d
    .prepare('SELECT si.id FROM sample_items si JOIN samples s ON s.id = si.sample_id WHERE s.population_id = ?')
    .all(population.id) as { id: number }[];
  const letters = d.prepare('SELECT letter FROM test_attributes WHERE control_id = ?').all(control.id) as {
    letter: string;
  }[];
  const current = new Map(
    (
      d.prepare('SELECT sample_item_id, attribute, version, result FROM test_results').all() as {
        sample_item_id: number;
        attribute: string;
        version: number;
        result: string | null;
      }[]
    ).map((r) => [`${r.sample_item_id}/${r.attribute}`, r]),
  );
  d.close();
  const all: Cell[] = items.flatMap((i) =>
    letters.map(({ letter }) => {
      const row = current.get(`${i.id}/${letter}`);
      return {
        item: i.id,
        attribute: letter,
        version: row?.version ?? 0,
        result: row?.result === 'pass' ? ('pass' as const) : ('' as const),
      };
    }),
  );
  // Each auditor owns its cells, as a team splits a sample: conflicts are tested elsewhere.
  const shares = Array.from({ length: USERS }, (_, n) => all.filter((_, i) => i % USERS === n));
  const base = `/engagements/1/controls/${control.id}`;
  const until = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(shares.map((cells, n) => auditor(server, n, cells, base, until)));
  const seconds = (Date.now() - started) / 1000;
  await server.kill();

  const check = db();
  const stored = new Map(
    (
      check.prepare('SELECT sample_item_id, attribute, result FROM test_results').all() as {
        sample_item_id: number;
        attribute: string;
        result: string | null;
      }[]
    ).map((r) => [`${r.sample_item_id}/${r.attribute}`, r.result ?? '']),
  );
  check.close();
  const missing = [...acknowledged].filter(([key, result]) => stored.get(key) !== result);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  console.log(
    `${USERS} auditors for ${seconds.toFixed(0)} s: ${latencies.length} requests, ${(latencies.length / seconds).toFixed(0)} req/s, p50 ${pct(50)} ms, p99 ${pct(99)} ms, errors ${errors}`,
  );
  for (const [kind, list] of Object.entries(byKind)) {
    list.sort((a, b) => a - b);
    console.log(`  ${kind}: ${list.length} requests, p50 ${percentile(list, 50)} ms, p99 ${percentile(list, 99)} ms`);
  }
  console.log(`acknowledged saves checked: ${acknowledged.size} cells, ${missing.length} not as acknowledged`);
  rmSync(dir, { recursive: true, force: true });
  if (errors > 0 || missing.length > 0) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
