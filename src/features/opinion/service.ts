import { RuleError } from '../../core/errors.js';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { engagements, opinionDecisions, scopeLimitations } from '../../db/schema/index.js';
import type { OpinionType } from '../../domain/opinion.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import type { EngagementJobs } from '../../core/engagement/jobs.js';
import { approvalBlockers } from './approval-facts.js';
import { decisionOf, type DecisionRow } from './decision.js';

function upsertDecision(tx: Tx, engagementId: number, values: Partial<DecisionRow>): DecisionRow {
  const updatedAt = new Date().toISOString();
  return tx
    .insert(opinionDecisions)
    .values({ engagementId, ...values, updatedAt })
    .onConflictDoUpdate({ target: opinionDecisions.engagementId, set: { ...values, updatedAt } })
    .returning()
    .get();
}

export interface Pervasiveness {
  pervasiveFailure: boolean;
  pervasiveLimitation: boolean;
  pervasivenessReasons: string;
}

/** The partner's judgement on pervasiveness: a change resets any quality review already given. */
export function judgePervasiveness(db: Db, actor: CurrentUser, engagementId: number, input: Pervasiveness): void {
  db.transaction((tx) => {
    const before = decisionOf(tx, engagementId);
    const after = upsertDecision(tx, engagementId, { ...input, qualityReviewBy: null, qualityReviewAt: null });
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'opinion',
      entityId: engagementId,
      action: 'judge-pervasiveness',
      changes: diff(before, after, ['pervasiveFailure', 'pervasiveLimitation', 'pervasivenessReasons']),
    });
  });
}

export function addScopeLimitation(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  criterionRef: string,
  description: string,
): void {
  db.transaction((tx) => {
    const row = tx
      .insert(scopeLimitations)
      .values({ engagementId, criterionRef, description, createdBy: actor.id, createdAt: new Date().toISOString() })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'scope-limitation',
      entityId: row.id,
      action: 'create',
      changes: { criterionRef: [null, criterionRef], description: [null, description] },
    });
  });
}

export function removeScopeLimitation(db: Db, actor: CurrentUser, engagementId: number, id: number): void {
  db.transaction((tx) => {
    const row = tx
      .select()
      .from(scopeLimitations)
      .where(and(eq(scopeLimitations.id, id), eq(scopeLimitations.engagementId, engagementId)))
      .get();
    if (!row) return;
    tx.delete(scopeLimitations).where(eq(scopeLimitations.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'scope-limitation',
      entityId: id,
      action: 'delete',
      changes: { criterionRef: [row.criterionRef, null], description: [row.description, null] },
    });
  });
}

export function signQualityReview(db: Db, actor: CurrentUser, engagementId: number): void {
  db.transaction((tx) => {
    const at = new Date().toISOString();
    upsertDecision(tx, engagementId, { qualityReviewBy: actor.id, qualityReviewAt: at });
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'opinion',
      entityId: engagementId,
      action: 'quality-review',
      changes: { qualityReviewAt: [null, at] },
    });
  });
}

export interface Approval {
  type: OpinionType;
  /** Null while the proposal is not ready; approval is then refused on the open matters. */
  proposed: OpinionType | null;
  reason: string;
}

/** Approval records the opinion and locks the engagement, in one transaction; never while a job of the
 * engagement (an import) runs, which would otherwise write behind the lock. */
export function approveOpinion(
  db: Db,
  actor: CurrentUser,
  engagement: EngagementRow,
  approval: Approval,
  jobs: EngagementJobs,
  rootDir: string,
): void {
  db.transaction((tx) => {
    const running = jobs.refusal(engagement.id, 'approved');
    if (running) throw new RuleError(running);
    const blockers = approvalBlockers(tx, rootDir, engagement);
    if (blockers.length > 0 || approval.proposed === null)
      throw new RuleError(`The opinion cannot be approved while matters are open: ${blockers.join(' ')}`);
    if (approval.type !== approval.proposed && approval.reason.trim().length < 10)
      throw new RuleError('Explain in writing why the opinion differs from the proposal.');
    const at = new Date().toISOString();
    upsertDecision(tx, engagement.id, {
      approvedType: approval.type,
      proposedType: approval.proposed,
      typeChangeReason: approval.reason,
      approvedBy: actor.id,
      approvedAt: at,
    });
    tx.update(engagements)
      .set({ lockedAt: at, lockedBy: actor.id, status: 'completed', updatedAt: at })
      .where(eq(engagements.id, engagement.id))
      .run();
    appendAudit(tx, actor.id, {
      engagementId: engagement.id,
      entity: 'opinion',
      entityId: engagement.id,
      action: 'approve',
      changes: {
        approvedType: [null, approval.type],
        proposedType: [null, approval.proposed],
        reason: [null, approval.reason],
        lockedAt: [null, at],
        status: [engagement.status, 'completed'],
      },
    });
  });
}

export function unlockEngagement(db: Db, actor: CurrentUser, engagement: EngagementRow, reason: string): void {
  db.transaction((tx) => {
    const at = new Date().toISOString();
    tx.update(engagements)
      .set({ lockedAt: null, lockedBy: null, status: 'review', updatedAt: at })
      .where(eq(engagements.id, engagement.id))
      .run();
    upsertDecision(tx, engagement.id, { approvedType: null, approvedBy: null, approvedAt: null });
    appendAudit(tx, actor.id, {
      engagementId: engagement.id,
      entity: 'engagement',
      entityId: engagement.id,
      action: 'unlock',
      changes: { lockedAt: [engagement.lockedAt, null], reason: [null, reason], status: [engagement.status, 'review'] },
    });
  });
}
