import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../../src/db/connection.js';
import { findRootDir } from '../../src/config.js';
import * as schema from '../../src/db/schema/index.js';
import { DEFAULT_METHODOLOGY, readEngagementMethodology } from '../../src/domain/methodology.js';
import { keepConfiguredPolicyOnUpgrade } from '../../src/features/methodology/index.js';
import { METHODOLOGY_MIGRATION } from '../../src/features/methodology/upgrade.js';

const migrations = path.join(findRootDir(), 'migrations');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'db.sqlite');
}

/** Row counts of every table, to compare before and after. */
function counts(sqlite: Database.Database): Record<string, number> {
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

/** A database migrated up to just before the migration whose tag ends with `tag`. */
function migratedUpTo(tag: string): { file: string; old: Database.Database } {
  const journal = JSON.parse(readFileSync(path.join(migrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  expect(at).toBeGreaterThan(0);
  const folder = path.join(path.dirname(tempFile()), `before-${tag}`);
  cpSync(migrations, folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }),
  );
  const file = tempFile();
  const old = new Database(file);
  applyMigrations(old, drizzle(old, { schema }), folder);
  return { file, old };
}

/** A database migrated up to just before the methodology copies, holding two engagements. */
function beforeMethodology(): { file: string; old: Database.Database } {
  const { file, old } = migratedUpTo('methodology');
  old.exec(`
    INSERT INTO users (id, email, name, firm_role, password_hash, created_at) VALUES (1, 'a@example.com', 'A', 'partner', 'x', '2025-01-01');
    INSERT INTO engagements (id, client_name, system_name, framework, period_start, period_end, created_at, updated_at) VALUES (1, 'C', 'S', 'soc2', '2025-01-01', '2025-12-31', 'now', 'now'), (2, 'D', 'S', 'soc1', '2024-10-01', '2025-09-30', 'now', 'now');
    INSERT INTO engagement_members (engagement_id, user_id, role) VALUES (1, 1, 'partner'), (2, 1, 'partner');
  `);
  return { file, old };
}

describe('migrations', () => {
  it('apply to an empty database and leave foreign keys on', () => {
    const conn = openDatabase(tempFile(), migrations);
    expect(conn.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(conn.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    conn.close();
  });

  it('a table rebuild does not cascade-delete child rows (drizzle-orm issue 5782)', () => {
    // Two migrations in drizzle's format: a parent with cascading children, then a rebuild of the parent
    // exactly as drizzle-kit writes it for SQLite (create new, copy, DROP old, rename).
    const folder = path.join(path.dirname(tempFile()), 'migrations');
    mkdirSync(path.join(folder, 'meta'), { recursive: true });
    const steps = [
      'CREATE TABLE parent (id integer PRIMARY KEY, name text NOT NULL);\n--> statement-breakpoint\nCREATE TABLE child (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parent(id) ON DELETE CASCADE);',
      "CREATE TABLE __new_parent (id integer PRIMARY KEY, name text NOT NULL, note text DEFAULT '' NOT NULL);\n--> statement-breakpoint\nINSERT INTO __new_parent (id, name) SELECT id, name FROM parent;\n--> statement-breakpoint\nDROP TABLE parent;\n--> statement-breakpoint\nALTER TABLE __new_parent RENAME TO parent;",
    ];
    const entries = steps.map((sql, idx) => {
      writeFileSync(path.join(folder, `000${idx}_step.sql`), sql);
      return { idx, version: '6', when: 1700000000000 + idx, tag: `000${idx}_step`, breakpoints: true };
    });
    const journal = (n: number) =>
      writeFileSync(
        path.join(folder, 'meta', '_journal.json'),
        JSON.stringify({ version: '7', dialect: 'sqlite', entries: entries.slice(0, n) }),
      );
    const file = tempFile();
    const sqlite = new Database(file);
    const db = drizzle(sqlite, { schema });
    journal(1);
    applyMigrations(sqlite, db, folder);
    sqlite.exec("INSERT INTO parent VALUES (1, 'engagement'); INSERT INTO child VALUES (1, 1), (2, 1);");
    journal(2);
    applyMigrations(sqlite, db, folder);
    expect(sqlite.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 2 });
    expect(sqlite.prepare('SELECT note FROM parent').get()).toEqual({ note: '' });
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    sqlite.close();
  });

  it('upgrading a database made by every earlier migration keeps its data', async () => {
    // Build the database from all migrations but the last, fill it, then apply the last one.
    const journalPath = path.join(migrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const folder = path.join(path.dirname(tempFile()), 'partial');
    cpSync(migrations, folder, { recursive: true });
    const earlier = { ...journal, entries: journal.entries.slice(0, Math.max(1, journal.entries.length - 1)) };
    writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify(earlier));
    const file = tempFile();
    const old = new Database(file);
    applyMigrations(old, drizzle(old, { schema }), folder);
    old.exec(`
      INSERT INTO users (id, email, name, firm_role, password_hash, created_at) VALUES (1, 'a@example.com', 'A', 'partner', 'x', '2025-01-01');
      INSERT INTO engagements (id, client_name, system_name, framework, period_start, period_end, created_at, updated_at) VALUES (1, 'C', 'S', 'soc2', '2025-01-01', '2025-12-31', 'now', 'now');
      INSERT INTO engagement_members (engagement_id, user_id, role) VALUES (1, 1, 'partner');
      INSERT INTO subservice_orgs (engagement_id, name, method) VALUES (1, 'Host', 'carve-out');
    `);
    const before = counts(old);
    old.close();
    const conn = openDatabase(file, migrations);
    const after = counts(conn.sqlite);
    for (const [table, n] of Object.entries(before)) expect([table, after[table]]).toEqual([table, n]);
    // Rows from before forms carried versions start at version 1, which the forms then show and send back.
    expect(conn.sqlite.prepare('SELECT version FROM engagements WHERE id = 1').get()).toEqual({ version: 1 });
    conn.close();
  });

  it("member-role-since: each member's role_since is the time of the latest trail entry that set their role", () => {
    const { file, old } = migratedUpTo('member-role-since');
    old.exec(`
      INSERT INTO users (id, email, name, firm_role, password_hash, created_at) VALUES (1, 'a@example.com', 'A', 'partner', 'x', '2025-01-01'), (2, 'b@example.com', 'B', 'partner', 'x', '2025-01-01');
      INSERT INTO engagements (id, client_name, system_name, framework, period_start, period_end, created_at, updated_at) VALUES (1, 'C', 'S', 'soc2', '2025-01-01', '2025-12-31', 'now', 'now');
      INSERT INTO engagement_members (id, engagement_id, user_id, role) VALUES (10, 1, 1, 'partner'), (11, 1, 2, 'eqr');
      INSERT INTO audit_entries (at, user_id, engagement_id, entity, entity_id, action, changes, prev_hash, hash) VALUES
        ('2025-02-01T00:00:00.000Z', 1, 1, 'team-member', '10', 'create', '{}', 'x', 'y'),
        ('2025-02-01T00:00:00.000Z', 1, 1, 'team-member', '11', 'create', '{}', 'x', 'y'),
        ('2025-03-05T00:00:00.000Z', 1, 1, 'team-member', '11', 'update', '{}', 'x', 'y'),
        ('2025-04-01T00:00:00.000Z', 1, 2, 'team-member', '11', 'update', '{}', 'x', 'y');
    `);
    old.close();
    const conn = openDatabase(file, migrations);
    const rows = conn.sqlite.prepare('SELECT id, role_since FROM engagement_members ORDER BY id').all();
    expect(rows).toEqual([
      { id: 10, role_since: '2025-02-01T00:00:00.000Z' },
      { id: 11, role_since: '2025-03-05T00:00:00.000Z' },
    ]);
    conn.close();
  });

  it("methodology: engagements opened before firm settings keep Tickmark's defaults as their copy, their other data untouched", () => {
    const { file, old } = beforeMethodology();
    const before = counts(old);
    old.close();
    const conn = openDatabase(file, migrations);
    // Every table that stood before keeps its rows; tables added from this migration on start empty.
    const after = counts(conn.sqlite);
    expect(Object.fromEntries(Object.keys(before).map((t) => [t, after[t]]))).toEqual(before);
    expect(after.firm_methodology).toBe(0);
    const copies = (
      conn.sqlite.prepare('SELECT methodology FROM engagements ORDER BY id').all() as { methodology: string }[]
    ).map((r) => readEngagementMethodology(JSON.parse(r.methodology)));
    expect(copies).toEqual([
      { firmSettingsOf: null, settings: DEFAULT_METHODOLOGY },
      { firmSettingsOf: null, settings: DEFAULT_METHODOLOGY },
    ]);
    expect(copies[0]!.settings).toMatchObject({
      maxDeviationsToExtend: 1,
      extension: 'exact',
      proRata: false,
      assemblyDays: 60,
    });
    conn.close();
  });

  it("methodology: an upgrade keeps the configuration's file policy and limit on existing engagements, once and in the trail", () => {
    const { file, old } = beforeMethodology();
    old.close();
    const configured = { ...DEFAULT_METHODOLOGY, assemblyDays: 90, retentionYears: 10, largeSampleItems: 500 };
    const conn = openDatabase(file, migrations);
    expect(conn.migrated).toContain(METHODOLOGY_MIGRATION);
    expect(keepConfiguredPolicyOnUpgrade(conn, configured)).toBe(2);
    const copies = (
      conn.sqlite.prepare('SELECT methodology FROM engagements ORDER BY id').all() as { methodology: string }[]
    ).map((r) => readEngagementMethodology(JSON.parse(r.methodology)));
    expect(copies).toEqual([
      { firmSettingsOf: null, settings: configured },
      { firmSettingsOf: null, settings: configured },
    ]);
    const entries = conn.sqlite
      .prepare("SELECT engagement_id, changes FROM audit_entries WHERE entity = 'engagement' ORDER BY id")
      .all() as { engagement_id: number; changes: string }[];
    expect(entries.map((e) => e.engagement_id)).toEqual([1, 2]);
    expect(JSON.parse(entries[0]!.changes)).toEqual({
      'methodology.assemblyDays': [60, 90],
      'methodology.retentionYears': [7, 10],
      'methodology.largeSampleItems': [1000, 500],
    });
    conn.close();
    // The next start applies nothing, so nothing is converted again, whatever the configuration says by then.
    const again = openDatabase(file, migrations);
    expect(again.migrated).toEqual([]);
    expect(keepConfiguredPolicyOnUpgrade(again, { ...configured, assemblyDays: 30 })).toBe(0);
    again.close();
  });

  it('fails loudly when a migration leaves rows that break a foreign key', () => {
    const file = tempFile();
    const conn = openDatabase(file, migrations);
    conn.sqlite.pragma('foreign_keys = OFF');
    conn.sqlite
      .prepare("INSERT INTO engagement_members (engagement_id, user_id, role) VALUES (999, 999, 'staff')")
      .run();
    conn.close();
    const sqlite = new Database(file);
    expect(() => applyMigrations(sqlite, drizzle(sqlite, { schema }), migrations)).toThrow(/breaking foreign keys/);
    sqlite.close();
  });
});
