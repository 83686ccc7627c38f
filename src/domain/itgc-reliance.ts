// An automated (or IT-dependent) control works as designed throughout the period only if the IT general controls
// it depends on (change management, logical access, …) did too: its own test is evidence at the moments tested,
// and the ITGCs carry it over the rest of the period. So the figures of its test propose "effective" only once
// every linked ITGC is concluded effective (issue 13, item 9).
import type { ProposedConclusion } from './evaluation.js';
import type { Conclusion } from './types.js';

export type ItgcState = 'effective' | 'missing' | 'failed';

export interface LinkedItgc {
  reference: string;
  /** The conclusion of each of the ITGC's workpapers (one per tested window); null where none is set yet. */
  conclusions: readonly (Conclusion | null)[];
}

/** Failed on any window concluded not effective; missing until every window is concluded and tested; else effective. */
export function itgcState(conclusions: readonly (Conclusion | null)[]): ItgcState {
  if (conclusions.includes('not-effective')) return 'failed';
  if (conclusions.length === 0 || conclusions.some((c) => c === null || c === 'no-testing')) return 'missing';
  return 'effective';
}

/** What stands between the control and relying on its ITGCs, one sentence per ITGC not concluded effective. */
export function relianceGaps(itgcs: readonly LinkedItgc[]): string[] {
  return itgcs.flatMap(({ reference, conclusions }) => {
    const state = itgcState(conclusions);
    if (state === 'failed') return [`ITGC ${reference} is concluded not operating effectively.`];
    if (state === 'missing') return [`ITGC ${reference} is not yet concluded effective.`];
    return [];
  });
}

export interface RelianceProposal {
  /** The proposal once the ITGCs are weighed: an effective one becomes "not effective" while a gap remains. */
  proposal: ProposedConclusion | null;
  /** Why the figures' own proposal was not given; empty when it was. */
  gaps: string[];
  /** What to do about the gaps, or null when there are none. */
  advice: string | null;
}

/**
 * The figures' proposal for a control weighed against the ITGCs it depends on. "Extend" and "not effective"
 * stand as they are; an effective proposal stands only when every linked ITGC is concluded effective. Otherwise
 * the control is proposed not effective, saying which ITGC is missing or failed and asking for more testing:
 * conclude the ITGC, or test this control directly across the period and give that as the written rationale
 * for a softer conclusion.
 */
export function relianceProposal(figures: ProposedConclusion | null, itgcs: readonly LinkedItgc[]): RelianceProposal {
  const gaps = relianceGaps(itgcs);
  if (gaps.length === 0) return { proposal: figures, gaps, advice: null };
  const advice =
    'More testing is needed before this control can be relied on: conclude the ITGCs it depends on, or test the control itself across the whole period and give that as the rationale.';
  const effective = figures === 'no-exceptions' || figures === 'exceptions-effective';
  return { proposal: effective ? 'not-effective' : figures, gaps, advice };
}
