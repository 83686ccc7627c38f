// A draft of Section I, the service auditor's opinion, in the approved type (or the proposed one until the
// partner approves), worded by the same rules as the opinion page, for the partner to edit in Word.
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import type { Tx } from '../../db/connection.js';
import { coveredBy, type DraftSection } from '../../domain/opinion-wording.js';
import type { OpinionType, ReportType } from '../../domain/opinion.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { engagementProposal, opinionDrafts, wordingContext } from '../opinion/index.js';
import { pageOf, REPORT_STYLES, STYLE } from './docx-styles.js';
import { markedTitle, reportTypeLabel, sectionOneTitle, unverifiedNote, type ReportContext } from './labels.js';

export const OPINION_TYPE_LABELS: Record<OpinionType, string> = {
  unqualified: 'Unqualified',
  qualified: 'Qualified',
  adverse: 'Adverse',
  disclaimer: 'Disclaimer of opinion',
};

export interface SectionOneDraft {
  type: OpinionType;
  approved: boolean;
  /** False while matters are open: `type` is then only what the concluded matters point to so far. */
  ready: boolean;
  reportType: ReportType;
  /** "for the period …" (Type II) or "as of …" (Type I), as the framework writes dates. */
  covered: string;
  sections: DraftSection[];
}

export function sectionOneDraft(db: Tx, rootDir: string, engagement: EngagementRow): SectionOneDraft {
  const { rollUp, decision, proposal } = engagementProposal(db, rootDir, engagement);
  const type = decision?.approvedType ?? proposal.type ?? proposal.provisional;
  const { basis, opinion, noTesting } = opinionDrafts(db, engagement, rollUp.rows, type, proposal);
  return {
    type,
    approved: !!decision?.approvedType,
    ready: !!decision?.approvedType || proposal.ready,
    reportType: rollUp.reportType,
    covered: coveredBy(wordingContext(engagement)),
    sections: [...(basis ? [basis] : []), opinion, ...(noTesting ? [noTesting] : [])],
  };
}

export async function sectionOneDocx(draft: SectionOneDraft, context: ReportContext): Promise<Buffer> {
  const status = draft.approved
    ? 'approved by the engagement partner'
    : draft.ready
      ? 'proposed from the results; not yet approved'
      : 'not ready: matters are still open, so this is worded on what is concluded so far';
  const children = [
    ...(context.unverifiedCopy
      ? [new Paragraph({ text: unverifiedNote(context.unverifiedCopy), style: STYLE.reportNote })]
      : []),
    new Paragraph({ text: sectionOneTitle(context), heading: HeadingLevel.HEADING_1 }),
    new Paragraph({
      text: `Draft. Opinion: ${OPINION_TYPE_LABELS[draft.type]} (${status}). Covers the basis and opinion paragraphs only.`,
      style: STYLE.reportNote,
    }),
    new Paragraph({
      text: `${context.serviceOrganization}, ${context.systemName}, ${reportTypeLabel(context, draft.reportType)}, ${draft.covered}.`,
    }),
    ...draft.sections.flatMap((s) => [
      new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_2 }),
      ...s.paragraphs.map((p) => new Paragraph({ text: p })),
    ]),
  ];
  const doc = new Document({
    creator: 'Tickmark',
    title: markedTitle(context, `Section I draft: ${context.serviceOrganization}`),
    styles: REPORT_STYLES,
    sections: [{ properties: { page: pageOf(context.paper, 'portrait') }, children }],
  });
  return Packer.toBuffer(doc);
}
