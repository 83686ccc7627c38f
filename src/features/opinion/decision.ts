// The partner's decision on record and the team's quality review as they stand, read by the service, the
// approval facts and the opinion page.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { engagementMembers, opinionDecisions } from '../../db/schema/index.js';
import type { QualityReviewFacts } from '../../domain/review.js';

export type DecisionRow = typeof opinionDecisions.$inferSelect;

export function decisionOf(db: Tx, engagementId: number): DecisionRow | null {
  return db.select().from(opinionDecisions).where(eq(opinionDecisions.engagementId, engagementId)).get() ?? null;
}

export function hasQualityReviewer(db: Tx, engagementId: number): boolean {
  return qualityReviewFacts(db, engagementId).reviewers.length > 0;
}

/** The team's quality reviewers as they stand now, and the quality-review signature on record. */
export function qualityReviewFacts(db: Tx, engagementId: number): QualityReviewFacts {
  const reviewers = db
    .select({ userId: engagementMembers.userId, since: engagementMembers.roleSince })
    .from(engagementMembers)
    .where(and(eq(engagementMembers.engagementId, engagementId), eq(engagementMembers.role, 'eqr')))
    .all();
  const decision = decisionOf(db, engagementId);
  const signature =
    decision?.qualityReviewBy && decision.qualityReviewAt
      ? { userId: decision.qualityReviewBy, signedAt: decision.qualityReviewAt }
      : null;
  return { reviewers, signature };
}
