// Gathers what the approval rule (domain/approval.ts) reads: the roll-up, every workpaper's sign-off state, the
// C&A of the populations tested, open review notes and the quality review.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { controls, populations, workpapers } from '../../db/schema/index.js';
import { approvalBlockers as blockersOf, type ApprovalFacts, type WorkpaperStanding } from '../../domain/approval.js';
import { qualityReviewProblem, workpaperState } from '../../domain/review.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { caStateOf } from '../populations/index.js';
import { openNoteCount, signoffsOf, startedWorkpapers, workpapersOfEngagement } from '../review/index.js';
import { engagementRollUp } from './roll-up-data.js';
import { assertionBlocker } from '../../domain/assertion.js';
import { descriptionOpenMatter } from '../../domain/opinion.js';
import { descriptionPresentationOf } from './description.js';
import { engagementAssertion } from '../assertion/index.js';
import { qualityReviewFacts } from './decision.js';

const nameOf = (reference: string, window: string) => `${reference} (${window})`;

function workpaperStandings(db: Tx, engagement: EngagementRow): WorkpaperStanding[] {
  const rows = workpapersOfEngagement(db, engagement.id);
  const ids = rows.map((r) => r.workpaper.id);
  const signoffs = signoffsOf(db, ids);
  const started = startedWorkpapers(db, ids);
  return rows.map(({ workpaper: wp, reference, windowLabel }) => ({
    name: nameOf(reference, windowLabel),
    state: workpaperState({
      changedAt: wp.changedAt,
      preparedBy: wp.preparedBy,
      preparedAt: wp.preparedAt,
      signoffs: signoffs.filter((s) => s.workpaperId === wp.id),
      secondReviewRequired: engagement.secondReviewRequired,
      started: started.has(wp.id),
    }),
  }));
}

/** The populations a workpaper tests whose C&A is neither complete nor waived. */
function openCaOf(db: Tx, engagementId: number): string[] {
  const tested = db
    .select({ population: populations, reference: controls.reference })
    .from(populations)
    .innerJoin(workpapers, eq(workpapers.populationId, populations.id))
    .innerJoin(controls, eq(controls.id, populations.controlId))
    .where(eq(populations.engagementId, engagementId))
    .all();
  return tested
    .filter((t) => caStateOf(db, t.population) === 'open')
    .map((t) => nameOf(t.reference, t.population.label));
}

export function approvalFactsOf(db: Tx, rootDir: string, engagement: EngagementRow): ApprovalFacts {
  return {
    framework: engagement.framework,
    rollUp: engagementRollUp(db, rootDir, engagement).rows,
    workpapers: workpaperStandings(db, engagement),
    openCa: openCaOf(db, engagement.id),
    openNotes: openNoteCount(db, { engagementId: engagement.id }),
    qualityReview: qualityReviewProblem(qualityReviewFacts(db, engagement.id)),
    assertion: assertionBlocker(engagementAssertion(db, engagement)),
    description: descriptionOpenMatter(descriptionPresentationOf(db, engagement.id)),
  };
}

/** What still stands between the partner and approval; empty when approval may go ahead. */
export function approvalBlockers(db: Tx, rootDir: string, engagement: EngagementRow): string[] {
  return blockersOf(approvalFactsOf(db, rootDir, engagement));
}
