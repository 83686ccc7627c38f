// Controls' conclusions -> each criterion or objective achieved or not -> the proposed opinion (domain.md,
// "From controls to the opinion"). The app proposes; the engagement partner decides.

import { referenceKey } from './criteria.js';
import type { Conclusion } from './types.js';

export type { Framework } from './criteria.js';

export interface ControlRef {
  controlId: number;
  reference: string;
}

export interface ControlOutcome extends ControlRef {
  /** null: not yet concluded. */
  conclusion: Conclusion | null;
  /** Criterion ids (SOC 2, ISAE 3000) or objective references (SOC 1, ISAE 3402); compared like referenceKey. */
  mappedTo: string[];
  /** Carried for display only: a non-key control is not thereby compensated, see `coversRiskOf`. */
  key?: boolean;
  /**
   * Other controls whose risk this one also addresses, each named by its reference (compared like
   * referenceKey) or by its controlId written as a decimal string.
   */
  coversRiskOf?: string[];
}

export interface ScopeLimitation {
  criterionId: string;
  description: string;
}

export const CRITERION_STATUSES = ['achieved', 'not-achieved', 'scope-limited', 'not-concluded', 'no-controls'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

export interface Compensation extends ControlRef {
  /** The tested, effective controls that cover this failed control's risk for the criterion. */
  by: ControlRef[];
}

export interface CriterionRollUp {
  id: string;
  title: string;
  status: CriterionStatus;
  /** Not-effective controls whose risk no other tested control covers: the cause of 'not-achieved'. */
  failedControls: ControlRef[];
  compensatedBy: Compensation[];
  notConcluded: ControlRef[];
  /** Descriptions of the recorded limitations, listed even when a failure decides the status. */
  scopeLimitations: string[];
}

export interface RollUpInput {
  criteria: { id: string; title: string }[];
  controls: ControlOutcome[];
  scopeLimitations?: ScopeLimitation[];
}

const EFFECTIVE: readonly Conclusion[] = ['no-exceptions', 'exceptions-effective'];

const ref = ({ controlId, reference }: ControlRef): ControlRef => ({ controlId, reference });

function names(candidate: string, failed: ControlRef): boolean {
  return candidate.trim() === String(failed.controlId) || referenceKey(candidate) === referenceKey(failed.reference);
}

/**
 * "Covers the same risk" is what the auditor recorded, never inferred: a not-effective control is compensated
 * for a criterion when another control mapped to that same criterion lists it in `coversRiskOf` and was tested
 * and concluded effective. 'no-testing' and not-yet-concluded controls compensate nothing ("tested control").
 */
function compensators(failed: ControlOutcome, mapped: readonly ControlOutcome[]): ControlRef[] {
  return mapped
    .filter((c) => c !== failed && c.conclusion !== null && EFFECTIVE.includes(c.conclusion))
    .filter((c) => (c.coversRiskOf ?? []).some((name) => names(name, failed)))
    .map(ref);
}

// Precedence: a failure decides the opinion's cause, a limitation is final while an open conclusion is not,
// and a criterion with a limitation but no controls is still limited rather than merely unaddressed.
function statusOf(row: Omit<CriterionRollUp, 'status' | 'id' | 'title'>, mappedCount: number): CriterionStatus {
  if (row.failedControls.length > 0) return 'not-achieved';
  if (row.scopeLimitations.length > 0) return 'scope-limited';
  if (mappedCount === 0) return 'no-controls';
  if (row.notConcluded.length > 0) return 'not-concluded';
  return 'achieved';
}

function rollUpCriterion(
  criterion: { id: string; title: string },
  controls: readonly ControlOutcome[],
  limitations: readonly ScopeLimitation[],
): CriterionRollUp {
  const key = referenceKey(criterion.id);
  const mapped = controls.filter((c) => c.mappedTo.some((m) => referenceKey(m) === key));
  const failedControls: ControlRef[] = [];
  const compensatedBy: Compensation[] = [];
  for (const control of mapped.filter((c) => c.conclusion === 'not-effective')) {
    const by = compensators(control, mapped);
    if (by.length > 0) compensatedBy.push({ ...ref(control), by });
    else failedControls.push(ref(control));
  }
  const row = {
    failedControls,
    compensatedBy,
    notConcluded: mapped.filter((c) => c.conclusion === null).map(ref),
    scopeLimitations: limitations.filter((l) => referenceKey(l.criterionId) === key).map((l) => l.description),
  };
  return { id: criterion.id, title: criterion.title, status: statusOf(row, mapped.length), ...row };
}

// A limitation or duplicate that matched nothing would silently soften the opinion: refuse it loudly.
function validate({ criteria, scopeLimitations = [] }: RollUpInput): void {
  const keys = new Set<string>();
  for (const c of criteria) {
    if (keys.has(referenceKey(c.id))) throw new RangeError(`criterion ${c.id} is listed twice`);
    keys.add(referenceKey(c.id));
  }
  const orphan = scopeLimitations.find((l) => !keys.has(referenceKey(l.criterionId)));
  if (orphan) throw new RangeError(`scope limitation on ${orphan.criterionId}, which is not an in-scope criterion`);
}

/** One row per criterion or objective, in the order given. */
export function rollUp(input: RollUpInput): CriterionRollUp[] {
  validate(input);
  const limitations = input.scopeLimitations ?? [];
  return input.criteria.map((c) => rollUpCriterion(c, input.controls, limitations));
}

// ---------------------------------------------------------------------------------------------------------
// The proposed opinion.

export const OPINION_TYPES = ['unqualified', 'qualified', 'adverse', 'disclaimer'] as const;
export type OpinionType = (typeof OPINION_TYPES)[number];

/** 0 unqualified < 1 qualified < 2 adverse < 3 disclaimer. */
export function opinionSeverity(type: OpinionType): number {
  return OPINION_TYPES.indexOf(type);
}

/** The partner's judgements, recorded with reasons elsewhere; a flag with no matching matter has no effect. */
export interface Pervasiveness {
  controlFailure: boolean;
  scopeLimitation: boolean;
}

export interface ProposedOpinionInput {
  rollUp: readonly CriterionRollUp[];
  pervasive: Pervasiveness;
}

export interface ProposedOpinion {
  type: OpinionType;
  reasons: string[];
  /** Criteria not achieved or carrying a scope limitation, in roll-up order. */
  affected: string[];
  /** Not achieved (uncompensated control failures). */
  failed: string[];
  /** With a recorded scope limitation, whatever their status. */
  limited: string[];
  /** Criteria with a control not yet concluded: their roll-up, and so the proposal, may still change. */
  awaiting?: string[];
  /** Criteria with no control mapped: the matrix must address them or the description explain why. */
  unaddressed?: string[];
}

const worst = (types: OpinionType[]): OpinionType =>
  types.reduce<OpinionType>((a, b) => (opinionSeverity(b) > opinionSeverity(a) ? b : a), 'unqualified');

function failureReason(row: CriterionRollUp): string {
  const controls = row.failedControls.map((c) => c.reference).join(', ');
  return `${row.id} not achieved: ${controls} did not operate effectively and no other tested control covers the same risk`;
}

function limitationReasons(row: CriterionRollUp): string[] {
  return row.scopeLimitations.map((d) => `${row.id}: sufficient appropriate evidence could not be obtained (${d})`);
}

function typeReason(type: OpinionType, failed: number, limited: number, awaiting: number): string {
  if (type === 'unqualified' && awaiting > 0) return 'Every criterion or objective concluded so far is achieved: unqualified.';
  if (type === 'unqualified') return 'Every criterion or objective is achieved: unqualified (exceptions are still reported).';
  if (type === 'adverse') return 'Controls did not operate effectively and the partner judged it pervasive: adverse.';
  if (type === 'disclaimer') return 'Evidence could not be obtained and the partner judged it pervasive: disclaimer.';
  const causes = [failed > 0 ? 'controls did not operate effectively' : '', limited > 0 ? 'evidence could not be obtained' : ''];
  return `Material but not pervasive (${causes.filter(Boolean).join('; ')}): qualified ("except for").`;
}

/**
 * Failures propose qualified, adverse when pervasive; scope limitations qualified, disclaimer when pervasive;
 * the more severe wins (disclaimer > adverse > qualified > unqualified). Limitations count on every criterion
 * that has one, not only 'scope-limited' ones, so a further failure can never soften a disclaimer. Open
 * conclusions do not hold the proposal back: it is made from what is concluded and flags `awaiting`.
 */
export function proposedOpinion({ rollUp: rows, pervasive }: ProposedOpinionInput): ProposedOpinion {
  const failedRows = rows.filter((r) => r.status === 'not-achieved');
  const limitedRows = rows.filter((r) => r.scopeLimitations.length > 0);
  const type = worst([
    failedRows.length === 0 ? 'unqualified' : pervasive.controlFailure ? 'adverse' : 'qualified',
    limitedRows.length === 0 ? 'unqualified' : pervasive.scopeLimitation ? 'disclaimer' : 'qualified',
  ]);
  const affectedKeys = new Set([...failedRows, ...limitedRows].map((r) => r.id));
  const awaiting = rows.filter((r) => r.notConcluded.length > 0).map((r) => r.id);
  const unaddressed = rows.filter((r) => r.status === 'no-controls').map((r) => r.id);
  const reasons = [
    typeReason(type, failedRows.length, limitedRows.length, awaiting.length),
    ...failedRows.map(failureReason),
    ...limitedRows.flatMap(limitationReasons),
    ...(awaiting.length > 0 ? [`Awaiting control conclusions for ${awaiting.join(', ')}.`] : []),
    ...(unaddressed.length > 0 ? [`No control is mapped to ${unaddressed.join(', ')}.`] : []),
  ];
  return {
    type,
    reasons,
    affected: rows.filter((r) => affectedKeys.has(r.id)).map((r) => r.id),
    failed: failedRows.map((r) => r.id),
    limited: limitedRows.map((r) => r.id),
    ...(awaiting.length > 0 ? { awaiting } : {}),
    ...(unaddressed.length > 0 ? { unaddressed } : {}),
  };
}
