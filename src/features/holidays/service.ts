import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { holidays } from '../../db/schema/index.js';
import type { Holiday } from '../../domain/holiday-calendar.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { calendarVersion, holidaysOf } from './queries.js';

const asLines = (list: readonly Holiday[]) => list.map((h) => (h.name ? `${h.date} ${h.name}` : h.date));

/**
 * Replaces the engagement's holiday calendar with `list` (sorted, one entry a date), based on the version the
 * form showed; `source` names the uploaded file. Returns false, writing nothing, when the calendar is unchanged.
 */
export function saveHolidays(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  list: readonly Holiday[],
  basedOn: number,
  source: string | null = null,
): boolean {
  return db.transaction((tx) => {
    assertBasedOn(calendarVersion(tx, engagementId), basedOn);
    const before = asLines(holidaysOf(tx, engagementId));
    const after = asLines(list);
    if (before.join('\n') === after.join('\n')) return false;
    tx.delete(holidays).where(eq(holidays.engagementId, engagementId)).run();
    if (list.length > 0)
      tx.insert(holidays)
        .values(list.map((h) => ({ engagementId, date: h.date, name: h.name })))
        .run();
    const changes: Record<string, [unknown, unknown]> = { holidays: [before, after] };
    if (source) changes.source = [null, source];
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'holiday-calendar',
      entityId: engagementId,
      action: 'update',
      changes,
    });
    return true;
  });
}
