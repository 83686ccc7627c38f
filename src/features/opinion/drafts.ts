// The opinion's wording from the roll-up: the basis for modification (when there is one) and the opinion
// paragraph, the same on the opinion page and in the Section I draft.
import type { Tx } from '../../db/connection.js';
import { basisForQualifiedOpinion, opinionParagraph, type DraftSection } from '../../domain/opinion-wording.js';
import type { CriterionRollUp, Framework, OpinionType } from '../../domain/opinion.js';
import { listComplementary } from '../complementary-controls/service.js';
import type { EngagementRow } from '../engagements/queries.js';
import { resultSentences } from './result-sentences.js';

export interface OpinionDrafts {
  basis: DraftSection | null;
  opinion: DraftSection;
}

/** Worded for `type`, naming the criteria or objectives in `affected` and the controls that failed there. */
export function opinionDrafts(db: Tx, engagement: EngagementRow, rows: CriterionRollUp[], type: OpinionType, affected: string[]): OpinionDrafts {
  const context = { framework: engagement.framework as Framework, serviceOrganization: engagement.clientName, systemName: engagement.systemName, periodStart: engagement.periodStart, periodEnd: engagement.periodEnd };
  const affectedRows = rows.filter((r) => affected.includes(r.id));
  const sentences = resultSentences(db, engagement.id);
  const basis =
    type === 'unqualified' || affectedRows.length === 0
      ? null
      : basisForQualifiedOpinion({
          ...context,
          type,
          affected: affectedRows.map((r) => ({ id: r.id, title: r.title, failedControls: r.failedControls.map((c) => ({ reference: c.reference, resultSentence: sentences.get(c.reference) })), scopeLimitations: r.scopeLimitations })),
        });
  const kinds = new Set(listComplementary(db, engagement.id).map((c) => c.kind));
  const cause = affectedRows.some((r) => r.failedControls.length > 0) ? 'control-failure' : 'scope-limitation';
  const opinion = opinionParagraph({ ...context, type, affectedIds: affected, cause, complementary: { userEntity: kinds.has('cuec'), subservice: kinds.has('csoc') } });
  return { basis, opinion };
}
