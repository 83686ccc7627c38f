import type Database from 'better-sqlite3';

/** Tables whose rows change on every visit without anyone changing the audit file. */
const BOOKKEEPING = new Set(['sessions', 'login_failures']);

/**
 * Counts every row inserted, updated or deleted in the database, by table, with temporary triggers on the
 * app's own connection: "this refused request changed nothing" is then a comparison of two counts. A change
 * rolled back (a rule refused it half-way) is not counted, as it never happened.
 */
export class ChangeLog {
  private readonly count: Database.Statement<[], { n: number }>;
  private readonly tables: Database.Statement<[number], { entry: string }>;

  constructor(sqlite: Database.Database) {
    sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS sweep_changes (id INTEGER PRIMARY KEY, entry TEXT NOT NULL)');
    const names = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name } of names.filter((n) => !BOOKKEEPING.has(n.name))) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        sqlite.exec(
          `CREATE TEMP TRIGGER IF NOT EXISTS "sweep_${name}_${op}" AFTER ${op} ON main."${name}" BEGIN INSERT INTO sweep_changes (entry) VALUES ('${op.toLowerCase()} ${name}'); END`,
        );
      }
    }
    this.count = sqlite.prepare('SELECT coalesce(max(id), 0) AS n FROM temp.sweep_changes');
    this.tables = sqlite.prepare('SELECT DISTINCT entry FROM temp.sweep_changes WHERE id > ? ORDER BY entry');
  }

  mark(): number {
    return this.count.get()!.n;
  }

  /** What changed since `mark`, as "insert audit_entries", "update workpapers"…; empty when nothing did. */
  since(mark: number): string[] {
    return this.tables.all(mark).map((r) => r.entry);
  }
}
