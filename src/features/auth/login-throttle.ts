import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { loginFailures } from '../../db/schema/index.js';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

/** Per-account throttle, kept for any address typed in so that it says nothing about which accounts exist. */
export function isThrottled(db: Db, email: string, now = Date.now()): boolean {
  const row = db.select().from(loginFailures).where(eq(loginFailures.email, email)).get();
  return !!row && now - row.firstFailureAt < WINDOW_MS && row.failures >= MAX_FAILURES;
}

export function recordFailure(db: Db, email: string, now = Date.now()): void {
  db.insert(loginFailures)
    .values({ email, failures: 1, firstFailureAt: now })
    .onConflictDoUpdate({
      target: loginFailures.email,
      set: {
        failures: sql`CASE WHEN ${now} - ${loginFailures.firstFailureAt} >= ${WINDOW_MS} THEN 1 ELSE ${loginFailures.failures} + 1 END`,
        firstFailureAt: sql`CASE WHEN ${now} - ${loginFailures.firstFailureAt} >= ${WINDOW_MS} THEN ${now} ELSE ${loginFailures.firstFailureAt} END`,
      },
    })
    .run();
}

export function clearFailures(db: Db, email: string): void {
  db.delete(loginFailures).where(eq(loginFailures.email, email)).run();
}
