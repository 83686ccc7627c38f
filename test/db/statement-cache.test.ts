import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseOf, withStatementCache } from '../../src/db/connection.js';

function fixture() {
  const sqlite = new Database(':memory:');
  sqlite.exec("CREATE TABLE t (id integer PRIMARY KEY, name text); INSERT INTO t (name) VALUES ('a'), ('b'), ('c');");
  let prepared = 0;
  const countingPrepare = (s: string) => {
    prepared++;
    return sqlite.prepare(s);
  };
  const counting = new Proxy(sqlite, {
    get: (target, key) => (key === 'prepare' ? countingPrepare : Reflect.get(target, key, target)),
  });
  const cached = withStatementCache(counting as Database.Database);
  return { sqlite, cached, db: drizzle(cached), prepared: () => prepared };
}

describe('statement cache', () => {
  it('compiles a repeated statement once', () => {
    const { db, prepared } = fixture();
    for (let i = 0; i < 5; i++)
      expect(db.all(sql`SELECT name FROM t WHERE id = ${i + 1}`)).toEqual(i < 3 ? [{ name: 'abc'[i] }] : []);
    expect(prepared()).toBe(1);
  });

  it('hands a statement back in row-object mode after drizzle used it for arrays', () => {
    const { db } = fixture();
    const query = sql`SELECT id, name FROM t ORDER BY id`;
    expect(db.values(query)).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(db.all(query)).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
  });

  it('does not reuse a statement that is still being iterated', () => {
    const { cached } = fixture();
    const names: string[] = [];
    for (const row of cached.prepare('SELECT name FROM t ORDER BY id').iterate() as Iterable<{ name: string }>) {
      names.push(row.name, (cached.prepare('SELECT name FROM t ORDER BY id').get() as { name: string }).name);
    }
    expect(names).toEqual(['a', 'a', 'b', 'a', 'c', 'a']);
  });

  it('keeps a bounded number of statements', () => {
    const { cached, prepared } = fixture();
    for (let i = 0; i < 600; i++) cached.prepare(`SELECT ${i}`);
    const before = prepared();
    cached.prepare('SELECT 599');
    cached.prepare('SELECT 0');
    expect(prepared() - before).toBe(1);
  });

  it('hands back a statement in row-object mode whatever mode someone else left it in', () => {
    const { cached } = fixture();
    cached.prepare('SELECT name FROM t ORDER BY id').pluck();
    expect(cached.prepare('SELECT name FROM t ORDER BY id').get()).toEqual({ name: 'a' });
    cached.prepare('SELECT name FROM t ORDER BY id').expand();
    expect(cached.prepare('SELECT name FROM t ORDER BY id').get()).toEqual({ name: 'a' });
  });

  it('gives code that keeps statements of its own the database outside the cache', () => {
    const { db, cached } = fixture();
    expect(cached.prepare('SELECT 1')).toBe(cached.prepare('SELECT 1'));
    const own = databaseOf(db)!;
    expect(own).not.toBe(cached);
    expect(own.prepare('SELECT 1')).not.toBe(own.prepare('SELECT 1'));
  });
});
