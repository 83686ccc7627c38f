// Going beyond what the figures propose (domain.md, "One extension, after at most one deviation"): a further
// extension, or a conclusion softer than the figures support, is an override. The auditor asks for it with a
// written rationale; it takes effect only once a manager or the engagement partner (not the person asking)
// approves it, and an approved conclusion holds only while the figures it was approved on stand.
import type { ProposedConclusion } from './evaluation.js';
import type { Conclusion } from './types.js';

export const OVERRIDE_KINDS = ['extension', 'conclusion'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];
/** pending: asked for; approved / declined: decided; withdrawn: replaced by a newer request or by a conclusion
 * within the figures; superseded: an approved conclusion set aside by a later conclusion. */
export const OVERRIDE_STATUSES = ['pending', 'approved', 'declined', 'withdrawn', 'superseded'] as const;
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

/** The figures an override was asked on. */
export interface OverrideBasis {
  proposed: ProposedConclusion | 'no-testing' | null;
  deviations: number;
  itemsTested: number;
}

export interface OverrideFacts extends OverrideBasis {
  kind: OverrideKind;
  status: OverrideStatus;
  /** The conclusion asked for (kind 'conclusion'). */
  conclusion: Conclusion | null;
  /** The size the sample is to be extended to (kind 'extension'). */
  extendTo: number | null;
  requestedBy: number;
  decidedAt: string | null;
}

/** Why `deciderId` cannot approve or decline this request, or null. */
export function overrideDecisionProblem(
  o: Pick<OverrideFacts, 'status' | 'requestedBy'>,
  deciderId: number,
): string | null {
  if (o.status !== 'pending') return 'This request has already been decided or withdrawn.';
  if (o.requestedBy === deciderId)
    return 'You asked for this override: another manager or the engagement partner decides it.';
  return null;
}

const sameFigures = (a: OverrideBasis, b: OverrideBasis) =>
  a.proposed === b.proposed && a.deviations === b.deviations && a.itemsTested === b.itemsTested;

export const figuresText = (b: OverrideBasis) =>
  `${b.deviations} ${b.deviations === 1 ? 'deviation' : 'deviations'} in ${b.itemsTested} ${b.itemsTested === 1 ? 'item' : 'items'} tested`;

/** Why a request can no longer be approved as asked, or null: the figures it was asked on have changed. */
export function figuresChangedSince(asked: OverrideBasis, now: OverrideBasis): string | null {
  if (sameFigures(asked, now)) return null;
  return `This was asked for on ${figuresText(asked)}; the figures now show ${figuresText(now)}. Decline it, so that it can be asked for again on the figures as they stand.`;
}

export interface OverrideCheck {
  /** The workpaper's stored conclusion and whether it is softer than the figures as they stand now. */
  conclusion: Conclusion | null;
  softer: boolean;
  now: OverrideBasis;
  /** Every override of the workpaper. */
  overrides: readonly OverrideFacts[];
}

/** What the overrides still need before the workpaper can be marked prepared: empty when nothing. */
export function overrideProblems({ conclusion, softer, now, overrides }: OverrideCheck): string[] {
  const problems: string[] = [];
  for (const o of overrides) {
    if (o.status !== 'pending') continue;
    const what =
      o.kind === 'extension'
        ? `a further extension to ${o.extendTo} items`
        : 'a conclusion softer than the figures support';
    problems.push(`The request for ${what} awaits the approval of a manager or the engagement partner.`);
  }
  if (!softer || conclusion === null) return problems;
  const approved = overrides.find(
    (o) => o.kind === 'conclusion' && o.status === 'approved' && o.conclusion === conclusion,
  );
  if (!approved)
    problems.push('The conclusion is softer than the figures support and no manager has approved it as an override.');
  else if (!sameFigures(approved, now)) {
    problems.push(
      `The override approved on ${approved.decidedAt?.slice(0, 10)} was for ${figuresText(approved)}; the figures now show ${figuresText(now)}: ask for the override again or change the conclusion.`,
    );
  }
  return problems;
}
