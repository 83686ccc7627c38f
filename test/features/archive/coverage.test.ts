// The archive finds the engagement's tables from the schema's foreign keys. These checks read the migrated
// database itself, so a table or an id column the archive would silently leave behind fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRootDir } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/connection.js';
import { FIRM_TABLES, PLAIN_ID_COLUMNS, SOFT_REFERENCES } from '../../../src/features/archive/soft-references.js';
import { archivePlan } from '../../../src/features/archive/table-plan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-archive-coverage-'));
const conn = openDatabase(path.join(dir, 'db.sqlite'), path.join(findRootDir(), 'migrations'));
afterAll(() => {
  conn.close();
  rmSync(dir, { recursive: true, force: true });
});

const tables = (
  conn.sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
    )
    .all() as { name: string }[]
).map((t) => t.name);
const foreignKeys = (table: string) =>
  conn.sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string }[];
const columns = (table: string) =>
  conn.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
const planned = new Set(archivePlan().map((p) => p.name));

describe('what the engagement archive carries', () => {
  it('every table of the database is either in the archive or one of the firm-wide tables', () => {
    const unaccounted = tables.filter((t) => !planned.has(t) && !FIRM_TABLES.includes(t));
    expect(unaccounted).toEqual([]);
    expect([...planned].filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('every table that references a table of the engagement is itself in the archive', () => {
    const missing = tables.filter((t) => !planned.has(t) && foreignKeys(t).some((fk) => planned.has(fk.table)));
    expect(missing).toEqual([]);
  });

  it('lists parents before their children, so rows can be inserted in order', () => {
    const order = archivePlan().map((p) => p.name);
    for (const table of order) {
      for (const fk of foreignKeys(table))
        if (planned.has(fk.table) && fk.table !== table)
          expect([table, order.indexOf(fk.table) < order.indexOf(table)]).toEqual([table, true]);
    }
  });

  it('every id-like integer column is a foreign key, a known soft reference or a known plain value', () => {
    const unknown: string[] = [];
    for (const table of planned) {
      const declared = new Set(foreignKeys(table).map((fk) => fk.from));
      for (const c of columns(table)) {
        if (c.type.toLowerCase() !== 'integer' || c.name === 'id' || !/(_id|_by)$/.test(c.name)) continue;
        const soft = SOFT_REFERENCES.some((s) => s.table === table && s.column === c.name);
        if (!declared.has(c.name) && !soft && !PLAIN_ID_COLUMNS.includes(`${table}.${c.name}`))
          unknown.push(`${table}.${c.name}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
