import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteSessionStore } from '../../../src/core/auth/session-store.js';

type Session = Parameters<SqliteSessionStore['set']>[1];

function storeWith(idleMs: number) {
  const sqlite = new Database(':memory:');
  sqlite.exec(
    'CREATE TABLE sessions (sid TEXT PRIMARY KEY, user_id INTEGER, data TEXT NOT NULL, expires_at INTEGER NOT NULL)',
  );
  const store = new SqliteSessionStore(sqlite, idleMs);
  const get = (sid: string) =>
    new Promise<Session | null | undefined>((resolve, reject) =>
      store.get(sid, (err, s) => (err ? reject(err) : resolve(s))),
    );
  const set = (sid: string, s: Session) =>
    new Promise<void>((resolve, reject) => store.set(sid, s, (err) => (err ? reject(err) : resolve())));
  return { sqlite, get, set };
}

const session = (userId: number) =>
  ({ userId, cookie: { originalMaxAge: 1, expires: new Date() } }) as unknown as Session;

describe('SqliteSessionStore', () => {
  afterEach(() => vi.useRealTimers());

  it('never loses a session whose requests come within the idle time of each other, for any allowed setting', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.array(fc.double({ min: 0, max: 0.9999, noNaN: true }), { minLength: 1, maxLength: 40 }),
        async (minutes, fractions) => {
          const idleMs = minutes * 60_000;
          vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-02T09:00:00Z') });
          const { get, set, sqlite } = storeWith(idleMs);
          await set('sid', session(7));
          for (const f of fractions) {
            vi.setSystemTime(Date.now() + Math.floor(f * idleMs));
            const found = await get('sid');
            expect(found, `${minutes} min, a gap of ${Math.floor(f * idleMs)} ms`).toMatchObject({ userId: 7 });
            await set('sid', {
              ...found,
              cookie: { originalMaxAge: idleMs, expires: new Date(Date.now() + idleMs) },
            } as unknown as Session);
          }
          vi.setSystemTime(Date.now() + idleMs + Math.min(60_000, Math.floor(idleMs / 60)) + 1);
          expect(await get('sid')).toBeNull();
          sqlite.close();
          vi.useRealTimers();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a session without the cookie expiry kept in its data, which is only as fresh as the last write', async () => {
    const { get, set } = storeWith(60_000);
    await set('sid', session(3));
    expect(await get('sid')).toEqual({ userId: 3 });
  });
});
