// Long reads (a printed workpaper of thousands of items) done a piece at a time, letting other requests run in
// between, yet all from one moment of the database.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Connection, Db } from './connection.js';
import * as schema from './schema/index.js';

/**
 * Runs `read` on a read-only connection of its own, inside one read transaction: everything it reads, across
 * its awaits, is the same snapshot, while the app's connection goes on writing (WAL lets both). An in-memory
 * database has no second connection: it is read through the app's own.
 */
export async function withSnapshot<T>(conn: Connection, read: (db: Db) => Promise<T>): Promise<T> {
  if (conn.sqlite.memory) return read(conn.db);
  const reader = new Database(conn.sqlite.name, { readonly: true, fileMustExist: true });
  try {
    reader.pragma('busy_timeout = 5000');
    reader.exec('BEGIN');
    // The snapshot starts with the first read, so take it now rather than at the caller's first query.
    reader.prepare('SELECT count(*) FROM sqlite_master').get();
    return await read(drizzle(reader, { schema }));
  } finally {
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.close();
  }
}
