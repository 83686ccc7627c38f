// What stands between the partner and approving the opinion (domain.md, "From controls to the opinion": the
// partner cannot approve while any control, workpaper review, C&A record or review note is open).
import type { Framework } from './criteria.js';
import { openMattersOf, type CriterionRollUp } from './opinion.js';
import type { WorkpaperState } from './review.js';

export interface WorkpaperStanding {
  /** How the workpaper is named to the partner: its control and window. */
  name: string;
  state: WorkpaperState;
}

export interface ApprovalFacts {
  /** Whose words the blockers use (default SOC 2). */
  framework?: Framework;
  rollUp: readonly CriterionRollUp[];
  workpapers: readonly WorkpaperStanding[];
  /** The populations used by a workpaper whose completeness-and-accuracy record is open, named like workpapers. */
  openCa: readonly string[];
  openNotes: number;
  /** Why the quality review does not yet stand (null when it does, or no quality reviewer is appointed). */
  qualityReview: string | null;
  /** Why management's assertion (the ISAE statement) does not yet stand: null once it is recorded. */
  assertion: string | null;
  /** Open while the description's fair presentation (element (a)) is not concluded: `descriptionOpenMatter`. */
  description: string | null;
}

const STATE_PROBLEM: Partial<Record<WorkpaperState, string>> = {
  'not-started': 'not prepared',
  'in-testing': 'not prepared',
  prepared: 'prepared, not reviewed',
  stale: 'sign-off stale (the work changed after it was signed)',
};

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function workpaperBlocker(workpapers: readonly WorkpaperStanding[]): string[] {
  const open = workpapers.filter((w) => STATE_PROBLEM[w.state] !== undefined);
  if (open.length === 0) return [];
  const list = open.map((w) => `${w.name}: ${STATE_PROBLEM[w.state]}`).join('; ');
  return [`${count(open.length, 'workpaper is', 'workpapers are')} not prepared and reviewed: ${list}.`];
}

/** Everything still open, one sentence per kind of matter, each naming what is open; empty when approval may go ahead. */
export function approvalBlockers(facts: ApprovalFacts): string[] {
  return [
    ...(facts.assertion ? [facts.assertion] : []),
    ...(facts.description ? [facts.description] : []),
    ...openMattersOf(facts.rollUp, facts.framework),
    ...workpaperBlocker(facts.workpapers),
    ...(facts.openCa.length > 0
      ? [
          `Completeness and accuracy is open for ${count(facts.openCa.length, 'population', 'populations')} used in testing: ${facts.openCa.join('; ')}.`,
        ]
      : []),
    ...(facts.openNotes > 0 ? [`${count(facts.openNotes, 'review note is', 'review notes are')} still open.`] : []),
    ...(facts.qualityReview ? [facts.qualityReview] : []),
  ];
}
