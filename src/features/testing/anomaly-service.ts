// ISAE anomalies on exceptions (domain/anomaly.ts): proposed by a senior or above with the reason, decided by a
// manager or the engagement partner other than the proposer. Follows the override pattern (override-service.ts)
// in a table of its own, one row per proposal, because an anomaly belongs to one exception, not to the workpaper's
// figures. Each step is one transaction with its trail entry.
import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { exceptionAnomalies } from '../../db/schema/index.js';
import { anomalyDecisionProblem, anomalyProposalProblem } from '../../domain/anomaly.js';
import type { EngagementRoleName } from '../../domain/roles.js';
import { recordWrite } from '../../core/audit/record.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import {
  anomaliesOf,
  exceptionById,
  exceptionOf,
  findAnomaly,
  resultOf,
  workpaperOfPopulation,
  type AnomalyRow,
  type ExceptionRow,
} from './queries.js';
import { assertWritable, type WorkpaperScope } from './scope.js';
import { markChanged } from './workpaper-row.js';

/** Who acts, with their role on this engagement's team. */
export interface AnomalyActor {
  user: CurrentUser;
  role: EngagementRoleName;
}

/** Records a proposal written (`before` null) or changed; the exception it is on is named in every entry. */
function trail(tx: Tx, actor: CurrentUser, before: AnomalyRow | null, after: AnomalyRow, action: string): void {
  recordWrite(tx, actor.id, {
    table: exceptionAnomalies,
    entity: 'exception-anomaly',
    entityId: after.id,
    engagementId: after.engagementId,
    before,
    after,
    action,
    also: { exceptionId: [null, after.exceptionId] },
  });
}

export interface AnomalyProposalInput {
  reason: string;
  /** The exception record's version the form was opened on. */
  version: number;
}

/** Records the proposal on the exception of an item × attribute; an earlier proposal still awaiting a decision is withdrawn. */
export function proposeAnomaly(
  db: Db,
  { user, role }: AnomalyActor,
  scope: WorkpaperScope,
  sampleItemId: number,
  attribute: string,
  input: AnomalyProposalInput,
): AnomalyRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    const record = exceptionOf(tx, sampleItemId, attribute);
    const wp = workpaperOfPopulation(tx, scope.population.id);
    const onException =
      !!record && !!wp && record.workpaperId === wp.id && resultOf(tx, sampleItemId, attribute)?.result === 'exception';
    const history = record && wp ? anomaliesOf(tx, wp.id).filter((a) => a.exceptionId === record.id) : [];
    const current = history.at(-1) ?? null;
    const problem = anomalyProposalProblem({
      framework: scope.framework,
      role,
      reason: input.reason,
      onException,
      current: current?.status ?? null,
    });
    if (problem) throw new RuleError(problem, { field: 'reason' });
    if (record!.version !== input.version)
      throw new RuleError(
        'Someone else changed this exception record since you opened it: read it again before proposing it as an anomaly.',
        { field: 'reason', status: 409 },
      );
    if (current?.status === 'proposed') {
      const withdrawn = tx
        .update(exceptionAnomalies)
        .set({ status: 'withdrawn' })
        .where(eq(exceptionAnomalies.id, current.id))
        .returning()
        .get();
      trail(tx, user, current, withdrawn, 'withdraw');
    }
    const row = tx
      .insert(exceptionAnomalies)
      .values({
        engagementId: scope.engagementId,
        workpaperId: wp!.id,
        exceptionId: record!.id,
        reason: input.reason.trim(),
        exceptionVersion: record!.version,
        status: 'proposed',
        proposedBy: user.id,
        proposedAt: new Date().toISOString(),
      })
      .returning()
      .get();
    trail(tx, user, null, row, 'propose');
    return row;
  });
}

function decidable(
  tx: Tx,
  { user, role }: AnomalyActor,
  scope: WorkpaperScope,
  anomalyId: number,
): { row: AnomalyRow; record: ExceptionRow | undefined } {
  assertWritable(scope);
  const wp = workpaperOfPopulation(tx, scope.population.id);
  const row = wp ? findAnomaly(tx, wp.id, anomalyId) : undefined;
  if (!row) throw new RuleError('There is no such anomaly proposal on this workpaper.');
  const problem = anomalyDecisionProblem(
    { framework: scope.framework, status: row.status, proposedBy: row.proposedBy },
    { id: user.id, role },
  );
  if (problem) throw new RuleError(problem);
  return { row, record: exceptionById(tx, row.exceptionId) };
}

function decided(
  tx: Tx,
  actor: CurrentUser,
  row: AnomalyRow,
  status: 'approved' | 'declined',
  declineReason: string | null,
): AnomalyRow {
  const after = tx
    .update(exceptionAnomalies)
    .set({ status, decidedBy: actor.id, decidedAt: new Date().toISOString(), declineReason })
    .where(eq(exceptionAnomalies.id, row.id))
    .returning()
    .get();
  trail(tx, actor, row, after, status === 'approved' ? 'approve' : 'decline');
  return after;
}

/**
 * Approves the proposal on the exception record as it was proposed: the deviation leaves the count from now on,
 * so the workpaper is marked changed (a sign-off made before goes stale).
 */
export function approveAnomaly(db: Db, actor: AnomalyActor, scope: WorkpaperScope, anomalyId: number): AnomalyRow {
  return db.transaction((tx) => {
    const { row, record } = decidable(tx, actor, scope, anomalyId);
    if (!record || record.version !== row.exceptionVersion)
      throw new RuleError(
        'The exception record has changed since this anomaly was proposed: decline it, so that it can be proposed again on the record as it stands.',
      );
    const wp = workpaperOfPopulation(tx, scope.population.id)!;
    markChanged(tx, wp, actor.user.id);
    return decided(tx, actor.user, row, 'approved', null);
  });
}

export function declineAnomaly(
  db: Db,
  actor: AnomalyActor,
  scope: WorkpaperScope,
  anomalyId: number,
  reason: string,
): AnomalyRow {
  return db.transaction((tx) =>
    decided(tx, actor.user, decidable(tx, actor, scope, anomalyId).row, 'declined', reason.trim()),
  );
}
