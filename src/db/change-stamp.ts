import type Database from 'better-sqlite3';

const statements = new WeakMap<Database.Database, Database.Statement>();

/**
 * A value that changes whenever any row in the database may have changed: SQLite's count of rows this
 * connection has inserted, updated or deleted, with its counter of commits made by other connections (the
 * sqlite3 shell, a restore). Anything rendered from the database stays valid while the stamp is the same.
 */
export function changeStamp(sqlite: Database.Database): string {
  let stmt = statements.get(sqlite);
  if (!stmt) statements.set(sqlite, (stmt = sqlite.prepare('SELECT total_changes() AS own, (SELECT data_version FROM pragma_data_version) AS others')));
  const { own, others } = stmt.get() as { own: number; others: number };
  return `${own}.${others}`;
}
