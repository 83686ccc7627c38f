// Concluding on a workpaper: the conclusion, its result wording, the extension the figures call for, "prepared".
import { RuleError } from '../../core/errors.js';
import type { Connection, Db, Tx } from '../../db/connection.js';
import { resultSentence } from '../../domain/result-wording.js';
import { conclusionProblem, isSofterThanFigures } from '../../domain/workpaper.js';
import type { Conclusion } from '../../domain/types.js';
import { recordWrite } from '../../core/audit/record.js';
import { appendAudit } from '../../core/audit/trail.js';
import { workpapers } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { drawReplacements, extendSample, type SizePolicy } from '../sampling/index.js';
import { itemsToReplace } from './grid-queries.js';
import { requestConclusionOverride, retireConclusionOverrides } from './override-service.js';
import type { WorkpaperRow } from './queries.js';
import { assertWritable, type WorkpaperScope } from './scope.js';
import { loadWorkpaper, type WorkpaperData } from './workpaper-data.js';
import { ensureWorkpaper, markChanged } from './workpaper-row.js';

function current(tx: Tx, scope: WorkpaperScope, version: number): WorkpaperData {
  assertWritable(scope);
  const data = loadWorkpaper(tx, scope, 'none');
  if ((data.workpaper?.version ?? 0) !== version) {
    throw new RuleError(
      'Someone else changed this workpaper’s conclusion or wording since you opened it. Reload the page to see their change.',
      { status: 409 },
    );
  }
  return data;
}

/** Records the workpaper's own columns that changed (none: no entry). */
function record(tx: Tx, actor: CurrentUser, before: WorkpaperRow, after: WorkpaperRow, action: string): void {
  recordWrite(tx, actor.id, {
    table: workpapers,
    entity: 'workpaper',
    entityId: after.id,
    engagementId: after.engagementId,
    before,
    after,
    action,
  });
}

export interface ConclusionInput {
  /** Accept what the figures propose, rather than `conclusion`. */
  accept: boolean;
  conclusion: Conclusion | null;
  reason: string;
  version: number;
}

function chosenConclusion(data: WorkpaperData, input: ConclusionInput): Conclusion {
  if (!input.accept) {
    if (!input.conclusion) throw new RuleError('Choose a conclusion.', { field: 'conclusion' });
    return input.conclusion;
  }
  if (data.proposed === null)
    throw new RuleError('Nothing has been tested yet, so there is no proposal to accept.', { field: 'conclusion' });
  if (data.proposed === 'extend')
    throw new RuleError('The figures call for an extension: draw and test it, or choose a conclusion yourself.', {
      field: 'conclusion',
    });
  if (data.proposed === 'replace')
    throw new RuleError(
      'Items not applicable on every attribute are not occurrences of the control: draw their replacements and test them first.',
      { field: 'conclusion' },
    );
  return data.proposed;
}

/** What saving a conclusion did: set it, or (softer than the figures) ask a manager to approve it as an override. */
export type ConclusionOutcome = { kind: 'set'; workpaper: WorkpaperRow } | { kind: 'requested' };

export function setConclusion(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  input: ConclusionInput,
): ConclusionOutcome {
  return db.transaction((tx) => {
    const data = current(tx, scope, input.version);
    const chosen = chosenConclusion(data, input);
    const problem = conclusionProblem({ proposed: data.proposed, chosen, reason: input.reason });
    if (problem) throw new RuleError(problem, { field: 'reason' });
    if (isSofterThanFigures({ proposed: data.proposed, chosen })) {
      requestConclusionOverride(tx, actor, scope, data, chosen, input.reason.trim());
      return { kind: 'requested' as const };
    }
    const before = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
    retireConclusionOverrides(tx, actor, before.id);
    const after = markChanged(tx, before, actor.id, {
      conclusion: chosen,
      conclusionReason: input.reason.trim(),
      conclusionProposed: data.proposed,
      conclusionBy: actor.id,
      conclusionAt: new Date().toISOString(),
    });
    record(tx, actor, before, after, 'conclude');
    return { kind: 'set' as const, workpaper: after };
  });
}

export interface WordingInput {
  itemNoun: string;
  /** Empty to go back to the generated wording. */
  text: string;
  /** The sentence the form showed: text left as it was is not an edit, whatever the data has done since. */
  basedOn: string;
  version: number;
}

const oneLine = (s: string) => s.trim().replace(/\s+/g, ' ');

/** Saves the result wording; only text the auditor changed, and that differs from what the data would say, is kept as an edit. */
export function saveWording(db: Db, actor: CurrentUser, scope: WorkpaperScope, input: WordingInput): WorkpaperRow {
  return db.transaction((tx) => {
    const data = current(tx, scope, input.version);
    const itemNoun = input.itemNoun.trim() || data.itemNoun;
    const text = oneLine(input.text);
    const untouched = text === oneLine(input.basedOn);
    const wasEdited = data.workpaper?.resultEdited ?? false;
    const edited = untouched ? wasEdited : text !== '' && text !== resultSentence({ ...data.wording, itemNoun });
    const before = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
    const after = markChanged(tx, before, actor.id, {
      itemNoun,
      resultText: edited ? (untouched ? before.resultText : text) : null,
      resultEdited: edited,
    });
    record(tx, actor, before, after, 'word-result');
    return after;
  });
}

export function markPrepared(db: Db, actor: CurrentUser, scope: WorkpaperScope): WorkpaperRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    const data = loadWorkpaper(tx, scope, 'none');
    if (data.missing.length > 0)
      throw new RuleError('The workpaper cannot be marked prepared yet. See what is missing under Completion.');
    const before = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
    // The sentence as it stood when prepared, for the report; an auditor's own wording stays marked as edited.
    // One timestamp for both: preparing is not a change that would make the preparation itself stale.
    const at = new Date().toISOString();
    const after = markChanged(
      tx,
      before,
      actor.id,
      { preparedBy: actor.id, preparedAt: at, resultText: data.result },
      at,
    );
    record(tx, actor, before, after, 'prepare');
    return after;
  });
}

/** Draws the extension the figures call for, continuing the sample's seeded sequence; returns the items added. */
export function drawWorkpaperExtension(
  conn: Connection,
  actor: CurrentUser,
  scope: WorkpaperScope,
  policy: SizePolicy,
): number {
  return conn.db.transaction((tx) => {
    assertWritable(scope);
    const data = loadWorkpaper(tx, scope, 'none');
    const evaluation = data.evaluation;
    if (!scope.sample || !evaluation || evaluation.requiredSize === null)
      throw new RuleError('The figures do not call for an extension.');
    if (evaluation.toDraw === 0)
      throw new RuleError(
        `The sample already has the ${evaluation.requiredSize} items needed: test the items of the extension.`,
      );
    const before = evaluation.itemsInSample;
    const added = extendSample(conn, actor, scope.sample, evaluation.toDraw, policy);
    const wp = data.workpaper ?? ensureWorkpaper(tx, scope, actor.id);
    markChanged(tx, wp, actor.id);
    appendAudit(tx, actor.id, {
      engagementId: scope.engagementId,
      entity: 'workpaper',
      entityId: wp.id,
      action: 'extend',
      changes: { sampleSize: [before, before + added], deviations: [null, evaluation.deviations] },
    });
    return added;
  });
}

/**
 * Draws a replacement for each item not applicable on every attribute (not an occurrence of the control), taking
 * the next items of the sample's seeded sequence (the extension's stream), so the number tested stays the planned
 * size. The replaced items stay in the sample, marked as replaced. Returns the keys replaced.
 */
export function drawWorkpaperReplacements(
  conn: Connection,
  actor: CurrentUser,
  scope: WorkpaperScope,
  policy: SizePolicy,
): string[] {
  return conn.db.transaction((tx) => {
    assertWritable(scope);
    const data = loadWorkpaper(tx, scope, 'none');
    const needed = data.evaluation?.replacementsNeeded ?? 0;
    if (!scope.sample || !data.workpaper || needed === 0)
      throw new RuleError(
        'No item needs a replacement: an item is replaced once it is marked not applicable on every attribute.',
      );
    const replaced = itemsToReplace(
      tx,
      scope.sample.id,
      data.workpaper.id,
      scope.attributes.map((a) => a.letter),
      needed,
    );
    const drawn = drawReplacements(conn, actor, scope.sample, replaced, policy);
    markChanged(tx, data.workpaper, actor.id);
    appendAudit(tx, actor.id, {
      engagementId: scope.engagementId,
      entity: 'workpaper',
      entityId: data.workpaper.id,
      action: 'replace',
      changes: { replaced: [null, drawn.map((d) => `${d.replaced} → ${d.replacement}`).join(', ')] },
    });
    return drawn.map((d) => d.replaced);
  });
}
