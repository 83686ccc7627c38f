// The auditor's conclusion against the rule's proposal: which choices are softer than the figures, what a choice
// still needs (a written rationale), and the words of conclusions and proposals.
import { isHarsher, type ProposedConclusion } from './evaluation.js';
import type { Conclusion } from './types.js';

/** What the proposal means when the auditor's choice is compared with it: an extension not yet drawn and tested,
 * or items still to be replaced, leave the control unsupported, so both weigh as "not effective". */
export function proposalAsConclusion(proposal: ProposedConclusion | 'no-testing'): Conclusion {
  return proposal === 'extend' || proposal === 'replace' ? 'not-effective' : proposal;
}

export interface ConclusionChoice {
  /** The rule's proposal; 'no-testing' when the population has no occurrences; null when nothing is tested. */
  proposed: ProposedConclusion | 'no-testing' | null;
  chosen: Conclusion;
  reason: string;
}

/**
 * A conclusion softer than the figures support: taken only as an override, with a written rationale and the
 * manager's approval. "No testing performed" sets tested figures aside, so it is softer than any of them.
 */
export function isSofterThanFigures({ proposed, chosen }: Omit<ConclusionChoice, 'reason'>): boolean {
  if (proposed === null || proposed === 'no-testing') return false;
  if (chosen === 'no-testing') return true;
  const expected = proposalAsConclusion(proposed);
  return chosen !== expected && !isHarsher(chosen, expected);
}

/** Why the auditor's conclusion cannot stand as given, or null: harsher freely, softer only with a written rationale. */
export function conclusionProblem({ proposed, chosen, reason }: ConclusionChoice): string | null {
  const explained = reason.trim().length > 0;
  const softer = `This conclusion is softer than the figures support (${proposed === null ? '' : CONCLUSION_LABELS[proposalAsConclusion(proposed)]}): give a written rationale.`;
  if (isSofterThanFigures({ proposed, chosen })) return explained ? null : softer;
  if (chosen === 'no-testing')
    return explained
      ? null
      : 'Say why no testing was performed: the circumstances that warrant the control did not occur.';
  if (proposed === null) {
    if (chosen !== 'not-effective')
      return 'Nothing has been tested yet: test the sample before concluding that the control operated.';
    return explained ? null : 'Nothing has been tested yet: give the reason the control did not operate effectively.';
  }
  const expected = proposalAsConclusion(proposed);
  if (chosen === expected || isHarsher(chosen, expected)) return null;
  return explained ? null : softer;
}

export const CONCLUSION_LABELS: Record<Conclusion, string> = {
  'no-exceptions': 'No exceptions noted',
  'exceptions-effective': 'Exceptions noted, operated effectively',
  'not-effective': 'Not operating effectively',
  'no-testing': 'No testing performed',
};

export const PROPOSAL_LABELS: Record<ProposedConclusion, string> = {
  'no-exceptions': CONCLUSION_LABELS['no-exceptions'],
  'exceptions-effective': CONCLUSION_LABELS['exceptions-effective'],
  'not-effective': CONCLUSION_LABELS['not-effective'],
  extend: 'Extend the sample',
  replace: 'Replace the items that are not occurrences',
};
