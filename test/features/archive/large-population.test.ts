// An engagement with a population of a million rows exports (rows streamed to the ZIP, memory bounded, the
// event loop given back) and the archive imports on another instance with every row as it was.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { exportArchive, importArchive, trustKey } from './archive-helpers.js';
import { readInstanceKey } from '../../../src/core/signing/index.js';

const ROWS = 1_000_000;

/** A population of `rows` items written by SQL in one statement (through the import it would take minutes). */
function largePopulation(t: TestApp, engagementId: number, rows: number): number {
  const s = t.app.conn.sqlite;
  const user = (s.prepare("SELECT id FROM users WHERE email = 'senior@demo.tickmark.test'").get() as { id: number }).id;
  const controlId = buildControl(t, engagementId, { reference: 'BIG-1' });
  const { id } = s
    .prepare(
      `INSERT INTO populations (engagement_id, control_id, kind, status, label, window_start, window_end, source_file, row_count, sampleable_count, created_at, created_by)
       VALUES (?, ?, 'transaction', 'draft', 'Whole period', '2025-01-01', '2025-12-31', 'changes.csv', ?, ?, '2025-06-01T00:00:00Z', ?) RETURNING id`,
    )
    .get(engagementId, controlId, rows, rows, user) as { id: number };
  s.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO population_items (population_id, row_number, position, key, item_date, description, amount)
     SELECT ?, i + 1, i - 1, 'CHG-' || i, date('2025-01-01', '+' || (i % 365) || ' days'), 'Change ' || i, printf('%d.%04d', i % 9973, i % 10000) FROM n`,
  ).run(rows, id);
  return id;
}

/** The SHA-256 of a population's items as the auditor sees them, in file order, and how many there are. */
function itemsDigest(sqlite: Database.Database, clientCount: number): { rows: number; sha256: string } {
  const hash = createHash('sha256');
  let rows = 0;
  const items = sqlite
    .prepare(
      'SELECT pi.row_number, pi.position, pi.key, pi.item_date, pi.description, pi.amount FROM population_items pi JOIN populations p ON p.id = pi.population_id WHERE p.row_count = ? ORDER BY pi.row_number',
    )
    .raw();
  for (const item of items.iterate(clientCount)) {
    hash.update(JSON.stringify(item));
    rows++;
  }
  return { rows, sha256: hash.digest('hex') };
}

/** Wall time, the highest resident memory above the start and the longest the event loop was held (sampled). */
async function measured<T>(
  run: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakMb: number; lagMs: number }> {
  const start = process.memoryUsage().rss;
  let [peak, lag, last] = [start, 0, performance.now()];
  const sampler = setInterval(() => {
    const now = performance.now();
    [peak, lag, last] = [Math.max(peak, process.memoryUsage().rss), Math.max(lag, now - last - 20), now];
  }, 20);
  const t0 = performance.now();
  try {
    const value = await run();
    return {
      value,
      seconds: (performance.now() - t0) / 1000,
      peakMb: Math.round((Math.max(peak, process.memoryUsage().rss) - start) / 2 ** 20),
      lagMs: Math.round(lag),
    };
  } finally {
    clearInterval(sampler);
  }
}

describe('archive of an engagement with a large population', () => {
  it(`exports a ${ROWS.toLocaleString('en')}-row population with bounded memory and imports it elsewhere with every row`, async () => {
    const a = await buildTestApp();
    largePopulation(a, demoEngagementId(a), ROWS);
    const manager = await loginAs(a.app, 'manager');
    const exported = await measured(() => exportArchive(manager, demoEngagementId(a)));
    // Held in memory, a million rows and their JSON take well over a gigabyte; streamed, about a tenth of that.
    expect(exported.peakMb).toBeLessThan(400);
    expect(exported.lagMs).toBeLessThan(2000);
    // The scratch copy of engagement.json goes once the archive has been sent.
    await new Promise((r) => setImmediate(r));
    expect(readdirSync(path.join(a.dir, 'archive-outgoing'))).toEqual([]);

    const b = await buildTestApp({ demo: false });
    const admin = new Client(b.app);
    await admin.get('/setup');
    await admin.post('/setup', {
      name: 'Other Firm Admin',
      email: 'admin@other.test',
      password: 'another-long-password',
      confirm: 'another-long-password',
    });
    expect((await trustKey(admin, 'Firm A', readInstanceKey(a.config.dataDir)!)).statusCode).toBe(303);
    // The import checks the archive in full first: manifest hashes, every row against its table, every reference.
    const imported = await measured(() => importArchive(b, admin, exported.value));
    expect(imported.value.statusCode).toBe(303);
    const original = itemsDigest(a.app.conn.sqlite, ROWS);
    expect(original.rows).toBe(ROWS);
    expect(itemsDigest(b.app.conn.sqlite, ROWS)).toEqual(original);
    // Every item of the exported engagement (the demo's other engagement stays behind).
    const count = (t: TestApp, clientName: string) =>
      (
        t.app.conn.sqlite
          .prepare(
            'SELECT count(*) AS n FROM population_items i JOIN populations p ON p.id = i.population_id JOIN engagements e ON e.id = p.engagement_id WHERE e.client_name = ?',
          )
          .get(clientName) as { n: number }
      ).n;
    expect(count(b, 'Nimbus Ledger, Inc.')).toBe(count(a, 'Nimbus Ledger, Inc.'));
    console.log(
      `archive of ${ROWS} rows: export ${exported.seconds.toFixed(1)} s, peak RSS +${exported.peakMb} MB, longest event-loop hold ${exported.lagMs} ms (ZIP ${(exported.value.length / 2 ** 20).toFixed(0)} MB); ` +
        `import ${imported.seconds.toFixed(1)} s, peak RSS +${imported.peakMb} MB, longest event-loop hold ${imported.lagMs} ms`,
    );
  }, 900_000);
});
