// Runs one import in a fresh process and prints its time and peak RSS as JSON: `tickmark` or `raw`.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { openDatabase } from '../src/db/connection.js';
import { findRootDir } from '../src/config.js';
import { ImportJobs } from '../src/features/populations/import-job.js';

const [mode, file] = process.argv.slice(2) as ['tickmark' | 'raw', string];
const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-bench-'));
const conn = openDatabase(path.join(dir, 'bench.db'), path.join(findRootDir(), 'migrations'));
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

async function raw(): Promise<number> {
  conn.sqlite.exec(
    'CREATE TABLE raw_items (row_number INTEGER, key TEXT, item_date TEXT, description TEXT, amount TEXT)',
  );
  const insert = conn.sqlite.prepare('INSERT INTO raw_items VALUES (?, ?, ?, ?, ?)');
  const rows: string[][] = [];
  for await (const r of createReadStream(file).pipe(parse({ from_line: 2 }))) rows.push(r as string[]);
  let n = 0;
  conn.sqlite.transaction(() => {
    for (const r of rows) insert.run(++n, r[0], r[1], r[2], r[3]);
  })();
  return n;
}

async function tickmark(): Promise<number> {
  const s = conn.sqlite;
  s.exec(`INSERT INTO users (id, email, name, firm_role, password_hash, created_at) VALUES (1, 'b@x', 'B', 'senior', 'x', 'now');
    INSERT INTO engagements (id, client_name, system_name, framework, period_start, period_end, created_at, updated_at) VALUES (1, 'C', 'S', 'soc2', '2025-01-01', '2025-12-31', 'now', 'now');
    INSERT INTO controls (id, engagement_id, reference, description, owner, frequency, nature, control_type, is_key, risk, implemented_from, created_at, updated_at) VALUES (1, 1, 'C1', 'd', 'o', 'event-driven', 'manual', 'preventive', 1, 'lower', '2025-01-01', 'now', 'now');
    INSERT INTO populations (id, engagement_id, control_id, kind, status, label, window_start, window_end, columns, created_at, created_by) VALUES (1, 1, 1, 'transaction', 'draft', 'Whole period', '2025-01-01', '2025-12-31', '["id","date","description","amount"]', 'now', 1);`);
  const progress = await new ImportJobs().start(conn, {
    populationId: 1,
    engagementId: 1,
    userId: 1,
    file,
    kind: 'csv',
    mapping: { header: true, key: 0, date: 1, description: 2, amount: 3, dateFormat: 'iso' },
    window: { start: '2025-01-01', end: '2025-12-31' },
  });
  if (progress.error) throw new Error(progress.error);
  return progress.rows;
}

const start = process.hrtime.bigint();
const rows = mode === 'raw' ? await raw() : await tickmark();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
conn.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ mode, rows, ms, peakRssMb: peak / 2 ** 20 }));
