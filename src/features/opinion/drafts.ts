// The opinion's wording from the roll-up: the basis for modification (when there is one), the opinion paragraph
// and the disclosure of controls that did not operate, the same on the opinion page and in the Section I draft.
import type { Tx } from '../../db/connection.js';
import {
  basisForQualifiedOpinion,
  noTestingParagraph,
  opinionParagraph,
  type DraftSection,
  type ReportContext,
} from '../../domain/opinion-wording.js';
import type { CriterionRollUp, FailedControl, Framework, OpinionType, ProposedOpinion } from '../../domain/opinion.js';
import { listComplementary } from '../complementary-controls/index.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { designFindings, resultSentences } from './result-sentences.js';

export interface OpinionDrafts {
  basis: DraftSection | null;
  opinion: DraftSection;
  /** Type II: the criteria whose controls did not operate in the period, disclosed. */
  noTesting: DraftSection | null;
}

export function wordingContext(engagement: EngagementRow): ReportContext {
  return {
    framework: engagement.framework as Framework,
    serviceOrganization: engagement.clientName,
    systemName: engagement.systemName,
    periodStart: engagement.periodStart,
    periodEnd: engagement.periodEnd,
    reportType: engagement.reportType,
  };
}

type Facts = Pick<ProposedOpinion, 'affected' | 'descriptionMisstatement'>;

/** Worded for `type`, naming the criteria or objectives affected, the element each fails and the controls. */
export function opinionDrafts(
  db: Tx,
  engagement: EngagementRow,
  rows: CriterionRollUp[],
  type: OpinionType,
  facts: Facts,
): OpinionDrafts {
  const context = wordingContext(engagement);
  const affectedRows = rows.filter((r) => facts.affected.includes(r.id));
  const sentenceOf = findingsOf(db, engagement.id);
  const matters = facts.descriptionMisstatement;
  const basis =
    type === 'unqualified' || (affectedRows.length === 0 && !matters)
      ? null
      : basisForQualifiedOpinion({
          ...context,
          type,
          ...(matters ? { descriptionMatters: matters } : {}),
          affected: affectedRows.map((r) => ({
            id: r.id,
            title: r.title,
            failedControls: r.failedControls.map((c) => ({
              reference: c.reference,
              cause: c.cause,
              resultSentence: sentenceOf(c),
            })),
            scopeLimitations: r.scopeLimitations,
          })),
        });
  const kinds = new Set(listComplementary(db, engagement.id).map((c) => c.kind));
  const cause =
    affectedRows.some((r) => r.failedControls.length > 0) || matters ? 'control-failure' : 'scope-limitation';
  const causes = [...new Set(affectedRows.flatMap((r) => r.failedControls.map((c) => c.cause)))];
  const affectedIds = [...(matters ? ['description'] : []), ...facts.affected];
  const opinion = opinionParagraph({
    ...context,
    type,
    affectedIds,
    cause,
    causes,
    complementary: { userEntity: kinds.has('cuec'), subservice: kinds.has('csoc') },
  });
  const noTesting = noTestingParagraph(
    context,
    rows.filter((r) => r.noTestingPerformed),
  );
  return { basis, opinion, noTesting };
}

/** A design failure is explained by the walkthrough's deficiency, an operating failure by the workpapers' results. */
function findingsOf(db: Tx, engagementId: number): (c: FailedControl) => string | undefined {
  const results = resultSentences(db, engagementId);
  const design = designFindings(db, engagementId);
  return (c) => (c.cause === 'not-suitably-designed' ? design.get(c.controlId) : results.get(c.reference));
}
