import type Database from 'better-sqlite3';
import type { SessionStore } from '@fastify/session';

type Callback = (err?: unknown) => void;
type Session = Parameters<SessionStore['set']>[1];

/** The session's own values, leaving out the cookie, whose expiry moves on every request. */
function sameContent(stored: string, session: Session): boolean {
  const { cookie: _a, ...before } = JSON.parse(stored) as Record<string, unknown>;
  const { cookie: _b, ...after } = session as unknown as Record<string, unknown>;
  return JSON.stringify(before) === JSON.stringify(after);
}

/**
 * Server-side sessions in SQLite, so an administrator can revoke them by deleting rows. Prepared statements:
 * this runs twice on every request.
 *
 * The store alone decides when a session has expired. Rolling sessions would write on every request; instead
 * an unchanged session is written again only once `touchMs` (a sixtieth of the idle time, at most a minute)
 * has passed since its last write, and each write sets the expiry `touchMs` beyond the idle time, so that a
 * request within the idle time of the previous one always finds its session, whatever the setting: a session
 * ends between idle and idle + touchMs after its last request. (The expiry @fastify/session keeps in the cookie
 * data is left out when a session is read: it is only as fresh as the last write.)
 */
export class SqliteSessionStore implements SessionStore {
  private readonly select: Database.Statement<[string], { data: string; expires_at: number }>;
  private readonly upsert: Database.Statement<[string, number | null, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly purge: Database.Statement<[number]>;

  private readonly touchMs: number;

  constructor(
    sqlite: Database.Database,
    private readonly idleMs: number,
  ) {
    this.touchMs = Math.min(60_000, Math.floor(idleMs / 60));
    this.select = sqlite.prepare('SELECT data, expires_at FROM sessions WHERE sid = ?');
    this.upsert = sqlite.prepare(
      'INSERT INTO sessions (sid, user_id, data, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (sid) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at',
    );
    this.remove = sqlite.prepare('DELETE FROM sessions WHERE sid = ?');
    this.purge = sqlite.prepare('DELETE FROM sessions WHERE expires_at < ?');
  }

  set(sid: string, session: Session, callback: Callback): void {
    try {
      const data = JSON.stringify(session);
      const expiresAt = Date.now() + this.idleMs + this.touchMs;
      const stored = this.select.get(sid);
      if (stored && sameContent(stored.data, session) && expiresAt - stored.expires_at < this.touchMs)
        return callback();
      this.upsert.run(sid, (session as { userId?: number }).userId ?? null, data, expiresAt);
      callback();
    } catch (err) {
      callback(err);
    }
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    try {
      const row = this.select.get(sid);
      if (!row || row.expires_at < Date.now()) return callback(null, null);
      const { cookie: _stale, ...values } = JSON.parse(row.data) as Record<string, unknown>;
      callback(null, values as unknown as Session);
    } catch (err) {
      callback(err);
    }
  }

  destroy(sid: string, callback: Callback): void {
    try {
      this.remove.run(sid);
      callback();
    } catch (err) {
      callback(err);
    }
  }

  purgeExpired(): number {
    return this.purge.run(Date.now()).changes;
  }
}
