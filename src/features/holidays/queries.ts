import { and, asc, count, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { auditEntries, holidays } from '../../db/schema/index.js';

export type HolidayRow = typeof holidays.$inferSelect;

/** The engagement's holidays in date order. */
export function holidaysOf(db: Tx, engagementId: number): HolidayRow[] {
  return db.select().from(holidays).where(eq(holidays.engagementId, engagementId)).orderBy(asc(holidays.date)).all();
}

/**
 * The calendar's version: how many times it was saved, read from the trail (each save writes exactly one entry),
 * so the list of dates needs no version column of its own. 0: never saved.
 */
export function calendarVersion(db: Tx, engagementId: number): number {
  const row = db
    .select({ n: count() })
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.engagementId, engagementId),
        eq(auditEntries.entity, 'holiday-calendar'),
        eq(auditEntries.entityId, String(engagementId)),
      ),
    )
    .get();
  return row?.n ?? 0;
}
