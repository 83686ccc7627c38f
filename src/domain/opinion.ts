// Controls' conclusions -> each criterion or objective achieved or not -> the proposed opinion (domain.md,
// "From controls to the opinion"). The app proposes; the engagement partner decides.

import { referenceKey } from './criteria.js';
import type { Conclusion } from './types.js';
import type {
  ControlRef,
  DesignOutcome,
  ReportType,
  ControlOutcome,
  CriterionStatus,
  FailureCause,
  FailedControl,
  Compensation,
  CriterionRollUp,
  RollUpInput,
  NotApplicable,
} from './roll-up-types.js';

export type { Framework } from './criteria.js';
export * from './roll-up-types.js';

const EFFECTIVE: readonly Conclusion[] = ['no-exceptions', 'exceptions-effective'];

const ref = ({ controlId, reference }: ControlRef): ControlRef => ({ controlId, reference });

function names(candidate: string, failed: ControlRef): boolean {
  return candidate.trim() === String(failed.controlId) || referenceKey(candidate) === referenceKey(failed.reference);
}

const designOf = (c: ControlOutcome): DesignOutcome | null => c.design ?? null;

/** Why this control fails its criteria, if it does: a deficient design first, then (Type II) its operation. */
function failureOf(c: ControlOutcome, reportType: ReportType): FailureCause | null {
  if (designOf(c) === 'deficient') return 'not-suitably-designed';
  if (reportType === 'type2' && c.conclusion === 'not-effective') return 'not-operating-effectively';
  return null;
}

/**
 * Type I: concluded once walked through. Type II: once its operating conclusion is recorded, or once its design is
 * found deficient (operating effectiveness is not tested on a design that fails).
 */
function isConcluded(c: ControlOutcome, reportType: ReportType): boolean {
  return reportType === 'type1' ? designOf(c) !== null : c.conclusion !== null || designOf(c) === 'deficient';
}

/** A control that can stand in for another: suitably designed and, for Type II, tested and effective. */
function canCompensate(c: ControlOutcome, reportType: ReportType): boolean {
  if (reportType === 'type1') return designOf(c) === 'suitable';
  return designOf(c) !== 'deficient' && c.conclusion !== null && EFFECTIVE.includes(c.conclusion);
}

/**
 * "Covers the same risk" is what the auditor recorded, never inferred: a failed control is compensated for a
 * criterion when another control mapped to that same criterion lists it in `coversRiskOf` and can compensate
 * (`canCompensate`). 'no-testing', deficient and not-yet-concluded controls compensate nothing.
 */
function compensators(failed: ControlOutcome, mapped: readonly ControlOutcome[], reportType: ReportType): ControlRef[] {
  return mapped
    .filter((c) => c !== failed && canCompensate(c, reportType))
    .filter((c) => (c.coversRiskOf ?? []).some((name) => names(name, failed)))
    .map(ref);
}

// Precedence: a failure decides the opinion's cause, a limitation is final while an open conclusion is not,
// and a criterion with a limitation but no controls is still limited rather than merely unaddressed. Without
// controls, a reason for "not applicable" or the subservice organization's controls address it; else nothing does.
function statusOf(row: Omit<CriterionRollUp, 'status' | 'id' | 'title'>, mappedCount: number): CriterionStatus {
  if (row.failedControls.length > 0) return 'not-achieved';
  if (row.scopeLimitations.length > 0) return 'scope-limited';
  if (mappedCount === 0 && row.notApplicableReason !== undefined) return 'not-applicable';
  if (mappedCount === 0 && row.carvedOut) return 'carved-out';
  if (mappedCount === 0) return 'no-controls';
  if (row.notConcluded.length > 0) return 'not-concluded';
  return 'achieved';
}

function rollUpCriterion(criterion: { id: string; title: string }, input: RollUpInput): CriterionRollUp {
  const { controls, scopeLimitations: limitations = [], reportType = 'type2' } = input;
  const key = referenceKey(criterion.id);
  const mapped = controls.filter((c) => c.mappedTo.some((m) => referenceKey(m) === key));
  const failedControls: FailedControl[] = [];
  const compensatedBy: Compensation[] = [];
  for (const control of mapped) {
    const cause = failureOf(control, reportType);
    if (cause === null) continue;
    const by = compensators(control, mapped, reportType);
    if (by.length > 0) compensatedBy.push({ ...ref(control), cause, by });
    else failedControls.push({ ...ref(control), cause });
  }
  const noTesting =
    reportType === 'type2' &&
    mapped.length > 0 &&
    mapped.every((c) => c.conclusion === 'no-testing') &&
    failedControls.length === 0;
  const row = {
    failedControls,
    compensatedBy,
    notConcluded: mapped.filter((c) => !isConcluded(c, reportType)).map(ref),
    scopeLimitations: limitations.filter((l) => referenceKey(l.criterionId) === key).map((l) => l.description),
    ...((input.carvedOut ?? []).some((c) => referenceKey(c) === key) ? { carvedOut: true } : {}),
    ...addressedAsNotApplicable(key, input.notApplicable ?? []),
    ...(noTesting ? { noTestingPerformed: true } : {}),
  };
  return { id: criterion.id, title: criterion.title, status: statusOf(row, mapped.length), ...row };
}

function addressedAsNotApplicable(key: string, marks: readonly NotApplicable[]): { notApplicableReason?: string } {
  const mark = marks.find((m) => referenceKey(m.criterionId) === key);
  return mark ? { notApplicableReason: mark.reason } : {};
}

// A limitation or duplicate that matched nothing would silently soften the opinion: refuse it loudly.
function validate(input: RollUpInput): void {
  const { criteria, scopeLimitations = [] } = input;
  const keys = new Set<string>();
  for (const c of criteria) {
    if (keys.has(referenceKey(c.id))) throw new RangeError(`criterion ${c.id} is listed twice`);
    keys.add(referenceKey(c.id));
  }
  const orphan = scopeLimitations.find((l) => !keys.has(referenceKey(l.criterionId)));
  if (orphan) throw new RangeError(`scope limitation on ${orphan.criterionId}, which is not an in-scope criterion`);
  const unreasoned = (input.notApplicable ?? []).find((m) => m.reason.trim() === '');
  if (unreasoned) throw new RangeError(`${unreasoned.criterionId} is marked not applicable without a reason`);
}

/** One row per criterion or objective, in the order given. */
export function rollUp(input: RollUpInput): CriterionRollUp[] {
  validate(input);
  return input.criteria.map((c) => rollUpCriterion(c, input));
}

export * from './opinion-proposal.js';
