import type { SessionStore } from '@fastify/session';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { sessions } from '../../db/schema/index.js';

type Callback = (err?: unknown) => void;
type Session = Parameters<SessionStore['set']>[1];

/** Server-side sessions in SQLite, so an administrator can revoke them by deleting rows. */
export class SqliteSessionStore implements SessionStore {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
  ) {}

  set(sid: string, session: Session, callback: Callback): void {
    try {
      const data = JSON.stringify(session);
      const userId = (session as { userId?: number }).userId ?? null;
      const expiresAt = Date.now() + this.idleMs;
      this.db
        .insert(sessions)
        .values({ sid, userId, data, expiresAt })
        .onConflictDoUpdate({ target: sessions.sid, set: { userId, data, expiresAt } })
        .run();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    try {
      const row = this.db.select().from(sessions).where(eq(sessions.sid, sid)).get();
      if (!row || row.expiresAt < Date.now()) return callback(null, null);
      callback(null, JSON.parse(row.data) as Session);
    } catch (err) {
      callback(err);
    }
  }

  destroy(sid: string, callback: Callback): void {
    try {
      this.db.delete(sessions).where(eq(sessions.sid, sid)).run();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  purgeExpired(): number {
    return this.db.delete(sessions).where(lt(sessions.expiresAt, Date.now())).run().changes;
  }
}
