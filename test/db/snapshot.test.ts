import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { findRootDir } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { withSnapshot } from '../../src/db/snapshot.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a snapshot read', () => {
  it('sees the database as it was when it began, across its awaits, while the app goes on writing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-snapshot-'));
    dirs.push(dir);
    const conn = openDatabase(path.join(dir, 'db.sqlite'), path.join(findRootDir(), 'migrations'));
    const users = (db: typeof conn.db) => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`).n;
    const insert = (email: string) =>
      conn.sqlite
        .prepare(
          "INSERT INTO users (email, name, firm_role, password_hash, created_at) VALUES (?, 'A', 'staff', 'x', 'now')",
        )
        .run(email);
    insert('a@example.com');
    const seen = await withSnapshot(conn, async (db) => {
      const before = users(db);
      insert('b@example.com');
      await new Promise((r) => setImmediate(r));
      return [before, users(db)];
    });
    expect(seen).toEqual([1, 1]);
    expect(users(conn.db)).toBe(2);
    conn.close();
  });
});
