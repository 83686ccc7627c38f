// The engagement's proposed opinion, read the same way by the opinion page, the approval, the dashboard and the
// Section I draft: its roll-up for the report type, the partner's judgements and the description's conclusion.
import type { Tx } from '../../db/connection.js';
import { proposedOpinion, type DescriptionPresentation, type ProposedOpinion } from '../../domain/opinion.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { descriptionPresentationOf } from './description.js';
import { engagementRollUp, type EngagementRollUp } from './roll-up-data.js';
import { decisionOf, type DecisionRow } from './decision.js';

export interface EngagementProposal {
  rollUp: EngagementRollUp;
  decision: DecisionRow | null;
  description: DescriptionPresentation | null;
  proposal: ProposedOpinion;
}

export function engagementProposal(db: Tx, rootDir: string, engagement: EngagementRow): EngagementProposal {
  const rollUp = engagementRollUp(db, rootDir, engagement);
  const decision = decisionOf(db, engagement.id);
  const description = descriptionPresentationOf(db, engagement.id);
  const pervasive = { controlFailure: !!decision?.pervasiveFailure, scopeLimitation: !!decision?.pervasiveLimitation };
  const proposal = proposedOpinion({
    rollUp: rollUp.rows,
    pervasive,
    reportType: rollUp.reportType,
    description,
    framework: engagement.framework,
  });
  return { rollUp, decision, description, proposal };
}
