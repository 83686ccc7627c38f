// The migration that stores the names of a population's other columns once and each item's values by
// position converts what items held before, and the population's content hash does not change.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../../src/db/connection.js';
import { findRootDir } from '../../src/config.js';
import * as schema from '../../src/db/schema/index.js';
import { frameHash } from '../../src/features/populations/frame.js';
import { extraValues } from '../../src/features/populations/extra-columns.js';
import { createPopulationHasher } from '../../src/domain/population-hash.js';

const migrations = path.join(findRootDir(), 'migrations');
const TAG = '_population_extra_columns';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A database made by every migration before the one converting extra columns. */
function databaseBeforeConversion(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-extra-'));
  dirs.push(dir);
  const journal = JSON.parse(readFileSync(path.join(migrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(TAG));
  expect(at).toBeGreaterThan(0);
  const folder = path.join(dir, 'migrations');
  cpSync(migrations, folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }),
  );
  const file = path.join(dir, 'db.sqlite');
  const old = new Database(file);
  applyMigrations(old, drizzle(old, { schema }), folder);
  old.exec(`
    INSERT INTO users (id, email, name, firm_role, password_hash, created_at) VALUES (1, 'a@example.com', 'A', 'senior', 'x', '2025-01-01');
    INSERT INTO engagements (id, client_name, system_name, framework, period_start, period_end, created_at, updated_at) VALUES (1, 'C', 'S', 'soc2', '2025-01-01', '2025-12-31', 'now', 'now');
    INSERT INTO controls (id, engagement_id, reference, description, frequency, nature, control_type, risk, implemented_from, created_at, updated_at)
      VALUES (1, 1, 'C-1', 'd', 'multiple-daily', 'manual', 'preventive', 'moderate', '2025-01-01', 'now', 'now');
    INSERT INTO populations (id, engagement_id, control_id, kind, status, label, window_start, window_end, columns, created_at, created_by)
      VALUES (1, 1, 1, 'transaction', 'frozen', 'Whole period', '2025-01-01', '2025-12-31', '["Key","Date","Approver","Team \\"A\\"","Notes"]', 'now', 1),
             (2, 1, 1, 'periodic', 'draft', 'Whole period', '2025-01-01', '2025-12-31', NULL, 'now', 1);
  `);
  const insert = old.prepare(
    'INSERT INTO population_items (population_id, row_number, position, key, item_date, description, amount, issues, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run(
    1,
    2,
    0,
    'K-1',
    '2025-02-01',
    '',
    null,
    '',
    JSON.stringify({ Approver: 'jdoe', 'Team "A"': 'ops', Notes: 'é ✓' }),
  );
  insert.run(
    1,
    3,
    1,
    'K-2',
    '2025-02-02',
    '',
    '125000',
    '',
    JSON.stringify({ Notes: 'late', 'Column 7': 'beyond the header' }),
  );
  insert.run(1, 4, 2, 'K-3', '2025-02-03', '', null, '', null);
  insert.run(2, 1, 0, 'P-1', '2025-01-31', '', null, '', null);
  old.close();
  return file;
}

/** The hash as the code before the migration worked it out: each item's extra an object of name → value. */
function legacyHash(sqlite: Database.Database, populationId: number): string {
  const hasher = createPopulationHasher();
  const rows = sqlite
    .prepare(
      'SELECT key, item_date, description, amount, extra FROM population_items WHERE population_id = ? AND position IS NOT NULL ORDER BY position',
    )
    .all(populationId) as {
    key: string;
    item_date: string;
    description: string;
    amount: string | null;
    extra: string | null;
  }[];
  for (const r of rows) {
    const amount = r.amount === null ? undefined : `${r.amount.slice(0, -4) || '0'}.${r.amount.slice(-4)}`;
    hasher.add({
      key: r.key,
      date: r.item_date,
      description: r.description,
      amount,
      extra: r.extra ? JSON.parse(r.extra) : {},
    });
  }
  return hasher.digest();
}

describe('population extra columns migration', () => {
  it('moves the names to the population and the values to arrays by position, keeping the content hash', async () => {
    const file = databaseBeforeConversion();
    const before = new Database(file);
    const hashBefore = legacyHash(before, 1);
    before.close();

    const conn = openDatabase(file, migrations);
    const population = conn.sqlite
      .prepare('SELECT extra_columns FROM populations WHERE id = 1')
      .pluck()
      .get() as string;
    expect(JSON.parse(population)).toEqual(['Approver', 'Team "A"', 'Notes', 'Column 7']);
    expect(conn.sqlite.prepare('SELECT extra_columns FROM populations WHERE id = 2').pluck().get()).toBeNull();
    const extras = conn.sqlite
      .prepare('SELECT extra FROM population_items WHERE population_id = 1 ORDER BY row_number')
      .pluck()
      .all() as (string | null)[];
    expect(extras.map((e) => (e === null ? null : JSON.parse(e)))).toEqual([
      ['jdoe', 'ops', 'é ✓', null],
      [null, null, 'late', 'beyond the header'],
      null,
    ]);
    expect(extraValues(JSON.parse(population), extras[1]!)).toEqual({ Notes: 'late', 'Column 7': 'beyond the header' });
    expect((await frameHash(conn.sqlite, 1)).hash).toBe(hashBefore);
    conn.close();
  });
});
