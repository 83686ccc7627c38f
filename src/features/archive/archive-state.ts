// Archiving: the partner closes an approved, locked engagement for good; and the file's dates for any page.
import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { engagements, opinionDecisions } from '../../db/schema/index.js';
import { archiveRefusal, fileDates, type FileDates } from '../../domain/file-assembly.js';
import { filePolicyOf } from '../methodology/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import type { EngagementJobs } from '../../core/engagement/jobs.js';

function approvedAt(db: Tx, engagementId: number): string | null {
  return (
    db
      .select({ at: opinionDecisions.approvedAt })
      .from(opinionDecisions)
      .where(eq(opinionDecisions.engagementId, engagementId))
      .get()?.at ?? null
  );
}

/**
 * Report date (the approval's, else the planned one), assembly deadline and retention date, by the assembly days
 * and retention years of the engagement's own copy of the firm's policy; null without a date.
 */
export function engagementFileDates(db: Tx, engagement: EngagementRow): FileDates | null {
  // Only a locked engagement has an approval to look up (approval locks it; unlocking withdraws it).
  return fileDates(
    {
      approvedAt: engagement.lockedAt ? approvedAt(db, engagement.id) : null,
      plannedReportDate: engagement.plannedReportDate,
    },
    filePolicyOf(engagement),
  );
}

export function archiveBlocker(db: Tx, engagement: EngagementRow): string | null {
  return archiveRefusal({
    lockedAt: engagement.lockedAt,
    archivedAt: engagement.archivedAt,
    approvedAt: engagement.lockedAt ? approvedAt(db, engagement.id) : null,
  });
}

/** Archiving closes the file for good, in one transaction; never while a job of the engagement runs. */
export function archiveEngagement(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  jobs: EngagementJobs,
): EngagementRow {
  return db.transaction((tx) => {
    const before = tx.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
    const refusal = archiveBlocker(tx, before) ?? jobs.refusal(engagementId, 'archived');
    if (refusal) throw new RuleError(refusal);
    const at = new Date().toISOString();
    const after = tx
      .update(engagements)
      .set({ archivedAt: at, archivedBy: actor.id, status: 'archived', updatedAt: at })
      .where(eq(engagements.id, engagementId))
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'engagement',
      entityId: engagementId,
      action: 'archive',
      changes: { archivedAt: [null, at], status: [before.status, 'archived'] },
    });
    return after;
  });
}
