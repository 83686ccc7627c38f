// The ISAE anomaly (domain.md, "The engagement"): ISAE 3402 lets the auditor treat a deviation as not
// representative of the population, with strong evidence and a documented reason; the AICPA standards (SOC 1,
// SOC 2) do not. A senior or above proposes it on an exception with the reason; a manager or the engagement
// partner other than the proposer approves it. Only an approved anomaly leaves the deviation count, and the
// exception is still reported, with the reason.
import type { ProposedConclusion } from './evaluation.js';
import type { Framework } from './criteria.js';
import type { EngagementRoleName } from './roles.js';

/** proposed: awaits a decision; approved / declined: decided; withdrawn: replaced by a newer proposal. */
export const ANOMALY_STATUSES = ['proposed', 'approved', 'declined', 'withdrawn'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];

const PROPOSERS: readonly EngagementRoleName[] = ['senior', 'manager', 'partner'];
const APPROVERS: readonly EngagementRoleName[] = ['manager', 'partner'];

/** Only the ISAE standards know the anomaly. */
export function anomalyPermitted(framework: Framework): boolean {
  return framework === 'isae3402' || framework === 'isae3000';
}

const SOC_REFUSAL =
  'A deviation can be treated as an anomaly only on an ISAE 3402 or ISAE 3000 engagement: the AICPA standards (SOC 1, SOC 2) do not allow it, so the deviation counts.';

export interface AnomalyProposal {
  framework: Framework;
  role: EngagementRoleName;
  /** The evidence that the deviation is not representative of the population. */
  reason: string;
  /** The cell is marked as an exception now and has its record. */
  onException: boolean;
  /** The status of the exception's latest anomaly, if any. */
  current: AnomalyStatus | null;
}

/** Why this proposal cannot be recorded, or null. */
export function anomalyProposalProblem(p: AnomalyProposal): string | null {
  if (!anomalyPermitted(p.framework)) return SOC_REFUSAL;
  if (!PROPOSERS.includes(p.role))
    return 'Only a senior, a manager or the engagement partner may propose treating a deviation as an anomaly.';
  if (!p.onException)
    return 'Only a recorded exception can be proposed as an anomaly: mark the cell as an exception and write its record first.';
  if (p.current === 'approved') return 'This exception is already treated as an anomaly.';
  if (p.reason.trim().length === 0)
    return 'Write the reason: the evidence that this deviation is not representative of the population.';
  return null;
}

export interface AnomalyDecision {
  framework: Framework;
  status: AnomalyStatus;
  proposedBy: number;
}

/** Why `decider` cannot approve or decline this proposal, or null. */
export function anomalyDecisionProblem(
  a: AnomalyDecision,
  decider: { id: number; role: EngagementRoleName },
): string | null {
  if (!anomalyPermitted(a.framework)) return SOC_REFUSAL;
  if (!APPROVERS.includes(decider.role))
    return 'Only a manager or the engagement partner decides whether a deviation is an anomaly.';
  if (a.status !== 'proposed') return 'This proposal has already been decided or withdrawn.';
  if (a.proposedBy === decider.id)
    return 'You proposed this anomaly: another manager or the engagement partner decides it.';
  return null;
}

/** One cell currently marked as an exception, with the status of its latest anomaly (null: none). */
export interface ExceptionCellAnomaly {
  item: number;
  anomaly: AnomalyStatus | null;
}

/**
 * Items whose every exception cell is an approved anomaly under an ISAE standard: they leave the deviation count.
 * An item with one exception that is not an approved anomaly stays a deviation; under SOC nothing leaves it.
 */
export function anomalyItems(framework: Framework, cells: readonly ExceptionCellAnomaly[]): number {
  if (!anomalyPermitted(framework)) return 0;
  const byItem = new Map<number, boolean>();
  for (const c of cells) byItem.set(c.item, (byItem.get(c.item) ?? true) && c.anomaly === 'approved');
  return [...byItem.values()].filter(Boolean).length;
}

/** The deviations the upper deviation limit and the proposal are worked out from. */
export function countedDeviations(
  framework: Framework,
  deviations: number,
  cells: readonly ExceptionCellAnomaly[],
): number {
  return Math.max(0, deviations - anomalyItems(framework, cells));
}

/**
 * The figures' proposal once anomalies are out of the count. The exceptions are still reported, so a sample
 * whose only deviations are anomalies proposes "exceptions noted, operated effectively", never "no exceptions";
 * for a quarterly, monthly or automated control (where any deviation proposes "not effective") the approved
 * anomaly is no longer a deviation, so the same holds.
 */
export function proposalWithAnomalies<P extends ProposedConclusion | null>(
  proposal: P,
  anomalies: number,
): P | 'exceptions-effective' {
  return proposal === 'no-exceptions' && anomalies > 0 ? 'exceptions-effective' : proposal;
}

/** The one sentence every report adds to an exception treated as an anomaly. */
export function anomalySentence(reason: string): string {
  return `Treated as an anomaly: ${reason.trim().replace(/[.\s]+$/, '')}.`;
}

/** A workpaper's result for the report, each approved anomaly's reason after it. */
export function resultWithAnomalies(result: string, reasons: readonly string[]): string {
  return [result, ...reasons.map(anomalySentence)].filter((s) => s.length > 0).join(' ');
}
