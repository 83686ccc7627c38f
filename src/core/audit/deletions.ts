import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { auditEntries } from '../../db/schema/index.js';

/**
 * Whether the trail records that this engagement's `entity` with this id was deleted (or ended by one of
 * `actions`): a second click on "Remove" then says it is already gone, while an id that never belonged to the
 * engagement answers 404.
 */
export function wasDeletedHere(
  db: Tx,
  engagementId: number,
  entity: string,
  entityId: number | string,
  actions: readonly string[] = ['delete'],
): boolean {
  if (typeof entityId === 'number' && !Number.isSafeInteger(entityId)) return false;
  const row = db
    .select({ id: auditEntries.id })
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.engagementId, engagementId),
        eq(auditEntries.entity, entity),
        eq(auditEntries.entityId, String(entityId)),
        inArray(auditEntries.action, [...actions]),
      ),
    )
    .limit(1)
    .get();
  return !!row;
}
