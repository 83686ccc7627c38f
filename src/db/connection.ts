import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;
/** A drizzle transaction or the database itself: queries accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Connection {
  sqlite: Database.Database;
  db: Db;
  close(): void;
  /** Tags of the migrations this opening applied (none when the database was current). */
  migrated?: readonly string[];
}

export function openDatabase(file: string, migrationsFolder: string): Connection {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(withStatementCache(sqlite), { schema });
  const migrated = applyMigrations(sqlite, db, migrationsFolder);
  return { sqlite, db, close: () => sqlite.close(), migrated };
}

const CACHED_STATEMENTS = 500;
/** Read from the cached connection, gives the database behind it. */
const UNCACHED = Symbol('uncached database');

/**
 * The connection as drizzle sees it: `prepare` answers from a bounded cache keyed by the SQL text. drizzle
 * prepares every query it runs, and SQLite's compiling of the same few statements was the largest cost of an
 * ordinary page. A cached statement is handed back in row-object mode, since drizzle switches it to raw mode
 * itself where it wants arrays; one that is still mid-iteration is not reused.
 */
export function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      cache.delete(source);
      cache.set(source, cached);
      return cached.reader ? cached.pluck(false).expand(false).raw(false) : cached;
    }
    const stmt = sqlite.prepare(source);
    if (cached) return stmt;
    cache.set(source, stmt);
    if (cache.size > CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, key) {
      if (key === 'prepare') return prepare;
      if (key === UNCACHED) return target;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The better-sqlite3 database behind a drizzle database or transaction, outside the statement cache: for code
 * that keeps statements of its own (and may set their modes). Null should a drizzle upgrade move it.
 */
export function databaseOf(tx: object): Database.Database | null {
  const client = (tx as unknown as { session?: { client?: Record<symbol, unknown> } }).session?.client;
  const database = client?.[UNCACHED] ?? client;
  return database instanceof Database ? database : null;
}

/**
 * Foreign keys go off on the connection before migrating: inside migrate()'s transaction the pragma is a
 * no-op, and a table rebuild would otherwise cascade-delete child rows silently (drizzle-orm issue 5782).
 */
/** Applies what is pending; returns the tags of the migrations it applied, in order. */
export function applyMigrations(sqlite: Database.Database, db: Db, migrationsFolder: string): string[] {
  const applied = () =>
    (
      sqlite
        .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
        .get() as { n: number }
    ).n === 0
      ? 0
      : (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  const before = applied();
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder: path.resolve(migrationsFolder) });
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) {
      throw new Error(
        `migration left ${broken.length} rows breaking foreign keys: ${JSON.stringify(broken.slice(0, 5))}`,
      );
    }
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.slice(before, applied()).map((e) => e.tag);
}
