// Column headings shared by the Word, Excel and printable Section IV, so the three read the same.
import { managementResponsesNote } from '../../domain/assertion.js';
import type { Framework } from '../../domain/criteria.js';
import type { SectionFour } from '../../domain/section-four.js';
import { capitalized, vocabularyOf } from '../../domain/vocabulary.js';

export interface ReportContext {
  /** The engagement's standard, whose words the report uses (the vocabulary). */
  framework: Framework;
  serviceOrganization: string;
  systemName: string;
  /** "January 1, 2025 to December 31, 2025", as the framework writes it. */
  period: string;
  paper: 'letter' | 'a4';
  /** Type I: the controls are described, with no tests or results columns. */
  reportType?: 'type1' | 'type2';
  /** The paragraphs that open Section IV: types of tests and how information produced by the entity was tested. */
  introduction?: string[];
  /** Set for an unverified archive copy: printed at the top and in the document's title. */
  unverifiedCopy?: string | null;
}

/** The document title, marked when the engagement is an unverified copy. */
export const markedTitle = (context: ReportContext, title: string) =>
  context.unverifiedCopy ? `UNVERIFIED COPY · ${title}` : title;

export const unverifiedNote = (reason: string) =>
  `Unverified copy: imported from an archive that could not be verified (${reason}). Its results, sign-offs and people are as the archive records them.`;

export const SECTION_FOUR_TITLE = 'Section IV: Description of tests of controls and results';

export function testColumns(context: ReportContext): string[] {
  const described = ['Control number', `Control activity specified by ${context.serviceOrganization}`];
  return context.reportType === 'type1'
    ? described
    : [...described, 'Tests performed by the service auditor', 'Results of tests'];
}

export const INTRODUCTION_HEADING = 'Introduction';

export const cuecTitle = (context: Pick<ReportContext, 'framework'>) => vocabularyOf(context.framework).cuecTitle;
export const csocTitle = (context: Pick<ReportContext, 'framework'>) => vocabularyOf(context.framework).csocTitle;

/** "Section I: Independent service auditor's report" (ISAE: "… assurance report"). */
export const sectionOneTitle = (context: Pick<ReportContext, 'framework'>) =>
  `Section I: ${vocabularyOf(context.framework).auditorsReport}`;

/** "Type II" (SOC) or "Type 2" (ISAE). */
export const reportTypeLabel = (context: Pick<ReportContext, 'framework'>, reportType: 'type1' | 'type2') =>
  vocabularyOf(context.framework).reportTypeLabel[reportType];

export function complementaryColumns(
  report: SectionFour,
  withOrganization: boolean,
  context: Pick<ReportContext, 'framework'>,
): string[] {
  const mapped = report.kind === 'criteria' ? 'Related criteria' : 'Related control objectives';
  return [
    ...(withOrganization ? [capitalized(vocabularyOf(context.framework).subserviceOrganization)] : []),
    'Reference',
    'Control',
    mapped,
  ];
}

export const groupHeading = (group: { reference: string; title: string }) => `${group.reference}: ${group.title}`;

export const MANAGEMENT_RESPONSE = "Management's response:";

/** The standard note on management's responses, when the report carries any; null when it has none. */
export function responsesNoteOf(report: SectionFour, context: ReportContext): string | null {
  const any = report.groups.some((g) => g.rows.some((r) => r.managementResponses.length > 0));
  return any ? managementResponsesNote(context.serviceOrganization) : null;
}
