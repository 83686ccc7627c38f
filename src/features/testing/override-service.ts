// Overrides of what the figures propose: asked for by whoever tests, with a rationale; decided by a manager or the
// engagement partner other than the person asking. Each step is one transaction with its trail entry.
import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Connection, Db, Tx } from '../../db/connection.js';
import { workpaperOverrides, workpapers } from '../../db/schema/index.js';
import {
  figuresChangedSince,
  overrideDecisionProblem,
  type OverrideBasis,
  type OverrideKind,
} from '../../domain/overrides.js';
import type { Conclusion } from '../../domain/types.js';
import { recordWrite } from '../../core/audit/record.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { extendSample, type SizePolicy } from '../sampling/index.js';
import { findOverride, overridesOf, type OverrideRow, type WorkpaperRow } from './queries.js';
import { assertWritable, type WorkpaperScope } from './scope.js';
import { loadWorkpaper, type WorkpaperData } from './workpaper-data.js';
import { ensureWorkpaper, markChanged } from './workpaper-row.js';

/** The figures as they stand, as an override records them. */
export function basisOf(data: WorkpaperData): OverrideBasis {
  return {
    proposed: data.proposed,
    deviations: data.evaluation?.deviations ?? 0,
    itemsTested: data.evaluation?.itemsTested ?? 0,
  };
}

/** Records a request written (`before` null) or changed. */
function trail(tx: Tx, actor: CurrentUser, before: OverrideRow | null, after: OverrideRow, action: string): void {
  recordWrite(tx, actor.id, {
    table: workpaperOverrides,
    entity: 'workpaper-override',
    entityId: after.id,
    engagementId: after.engagementId,
    before,
    after,
    action,
  });
}

/** Sets `status` on the workpaper's overrides of `kind` that are `from`, recording each. */
function retire(
  tx: Tx,
  actor: CurrentUser,
  workpaperId: number,
  kind: OverrideKind,
  from: 'pending' | 'approved',
  to: 'withdrawn' | 'superseded',
): void {
  for (const row of overridesOf(tx, workpaperId).filter((o) => o.kind === kind && o.status === from)) {
    const after = tx
      .update(workpaperOverrides)
      .set({ status: to })
      .where(eq(workpaperOverrides.id, row.id))
      .returning()
      .get();
    trail(tx, actor, row, after, to === 'withdrawn' ? 'withdraw' : 'supersede');
  }
}

function insertRequest(
  tx: Tx,
  actor: CurrentUser,
  wp: WorkpaperRow,
  data: WorkpaperData,
  request: { kind: OverrideKind; conclusion: Conclusion | null; extendTo: number | null; rationale: string },
): OverrideRow {
  retire(tx, actor, wp.id, request.kind, 'pending', 'withdrawn');
  const basis = basisOf(data);
  const row = tx
    .insert(workpaperOverrides)
    .values({
      engagementId: wp.engagementId,
      workpaperId: wp.id,
      ...request,
      ...basis,
      status: 'pending',
      requestedBy: actor.id,
      requestedAt: new Date().toISOString(),
    })
    .returning()
    .get();
  trail(tx, actor, null, row, 'request');
  return row;
}

/** A conclusion softer than the figures support, asked for inside the caller's transaction; nothing is concluded yet. */
export function requestConclusionOverride(
  tx: Tx,
  actor: CurrentUser,
  scope: WorkpaperScope,
  data: WorkpaperData,
  conclusion: Conclusion,
  rationale: string,
): OverrideRow {
  const wp = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
  return insertRequest(tx, actor, wp, data, { kind: 'conclusion', conclusion, extendTo: null, rationale });
}

/** A conclusion set within the figures replaces any softer one asked for or approved before. */
export function retireConclusionOverrides(tx: Tx, actor: CurrentUser, workpaperId: number): void {
  retire(tx, actor, workpaperId, 'conclusion', 'pending', 'withdrawn');
  retire(tx, actor, workpaperId, 'conclusion', 'approved', 'superseded');
}

/** Asks for the further extension the policy does not propose (the size the exact rule needs for these deviations). */
export function requestExtensionOverride(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  rationale: string,
): OverrideRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    const data = loadWorkpaper(tx, scope, 'none');
    const ev = data.evaluation;
    if (!ev || ev.extensionByOverride === null)
      throw new RuleError('No further extension can restore assurance on these figures: there is none to ask for.', {
        field: 'rationale',
      });
    if (!ev.complete)
      throw new RuleError('Mark every cell of the items drawn before asking for a further extension.', {
        field: 'rationale',
      });
    const wp = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
    return insertRequest(tx, actor, wp, data, {
      kind: 'extension',
      conclusion: null,
      extendTo: ev.extensionByOverride,
      rationale,
    });
  });
}

function decided(
  tx: Tx,
  actor: CurrentUser,
  row: OverrideRow,
  status: 'approved' | 'declined',
  declineReason: string | null,
): OverrideRow {
  const at = new Date().toISOString();
  const after = tx
    .update(workpaperOverrides)
    .set({ status, decidedBy: actor.id, decidedAt: at, declineReason })
    .where(eq(workpaperOverrides.id, row.id))
    .returning()
    .get();
  trail(tx, actor, row, after, status === 'approved' ? 'approve' : 'decline');
  return after;
}

function pendingRequest(
  tx: Tx,
  actor: CurrentUser,
  scope: WorkpaperScope,
  overrideId: number,
): { data: WorkpaperData; row: OverrideRow } {
  assertWritable(scope);
  const data = loadWorkpaper(tx, scope, 'none');
  const row = data.workpaper ? findOverride(tx, data.workpaper.id, overrideId) : undefined;
  if (!row) throw new RuleError('There is no such request on this workpaper.');
  const problem = overrideDecisionProblem(row, actor.id);
  if (problem) throw new RuleError(problem);
  return { data, row };
}

/**
 * Approves a request on the figures it was asked on. A softer conclusion becomes the workpaper's conclusion, with
 * the rationale and the person who asked for it; a further extension is drawn at once, continuing the sample's
 * seeded sequence (the approver draws it, so the firm's limit for large samples is theirs to pass).
 */
export function approveOverride(
  conn: Connection,
  actor: CurrentUser,
  scope: WorkpaperScope,
  overrideId: number,
  policy: SizePolicy,
): OverrideRow {
  return conn.db.transaction((tx) => {
    const { data, row } = pendingRequest(tx, actor, scope, overrideId);
    const changed = figuresChangedSince(
      { proposed: row.proposed as OverrideBasis['proposed'], deviations: row.deviations, itemsTested: row.itemsTested },
      basisOf(data),
    );
    if (changed) throw new RuleError(changed);
    const wp = data.workpaper!;
    if (row.kind === 'conclusion') {
      retire(tx, actor, wp.id, 'conclusion', 'approved', 'superseded');
      const at = new Date().toISOString();
      const after = markChanged(
        tx,
        wp,
        actor.id,
        {
          conclusion: row.conclusion,
          conclusionReason: row.rationale,
          conclusionProposed: row.proposed,
          conclusionBy: row.requestedBy,
          conclusionAt: at,
        },
        at,
      );
      recordWrite(tx, actor.id, {
        table: workpapers,
        entity: 'workpaper',
        entityId: wp.id,
        engagementId: wp.engagementId,
        before: wp,
        after,
        action: 'conclude',
        also: { override: [null, row.id] },
      });
      return decided(tx, actor, row, 'approved', null);
    }
    const before = data.evaluation!.itemsInSample;
    const toDraw = (row.extendTo ?? 0) - before;
    if (!scope.sample || toDraw <= 0)
      throw new RuleError(`The sample already has the ${row.extendTo} items asked for.`);
    const added = extendSample(conn, actor, scope.sample, toDraw, policy);
    markChanged(tx, wp, actor.id);
    appendAudit(tx, actor.id, {
      engagementId: wp.engagementId,
      entity: 'workpaper',
      entityId: wp.id,
      action: 'extend',
      changes: { sampleSize: [before, before + added], deviations: [null, row.deviations], override: [null, row.id] },
    });
    return decided(tx, actor, row, 'approved', null);
  });
}

export function declineOverride(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  overrideId: number,
  reason: string,
): OverrideRow {
  return db.transaction((tx) => {
    const { row } = pendingRequest(tx, actor, scope, overrideId);
    return decided(tx, actor, row, 'declined', reason);
  });
}
