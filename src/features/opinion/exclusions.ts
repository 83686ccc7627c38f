// Criteria marked not applicable, with the reason: stored per engagement, each mark and its removal in the trail.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { criterionExclusions } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';

export type ExclusionRow = typeof criterionExclusions.$inferSelect;

export function exclusionsOf(db: Tx, engagementId: number): ExclusionRow[] {
  return db
    .select()
    .from(criterionExclusions)
    .where(eq(criterionExclusions.engagementId, engagementId))
    .orderBy(criterionExclusions.id)
    .all();
}

export function markNotApplicable(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  criterionRef: string,
  reason: string,
): void {
  db.transaction((tx) => {
    const row = tx
      .insert(criterionExclusions)
      .values({ engagementId, criterionRef, reason, createdBy: actor.id, createdAt: new Date().toISOString() })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'criterion-exclusion',
      entityId: row.id,
      action: 'create',
      changes: { criterionRef: [null, criterionRef], reason: [null, reason] },
    });
  });
}

export function removeNotApplicable(db: Db, actor: CurrentUser, engagementId: number, id: number): void {
  db.transaction((tx) => {
    const row = tx
      .select()
      .from(criterionExclusions)
      .where(and(eq(criterionExclusions.id, id), eq(criterionExclusions.engagementId, engagementId)))
      .get();
    if (!row) return;
    tx.delete(criterionExclusions).where(eq(criterionExclusions.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'criterion-exclusion',
      entityId: id,
      action: 'delete',
      changes: { criterionRef: [row.criterionRef, null], reason: [row.reason, null] },
    });
  });
}
