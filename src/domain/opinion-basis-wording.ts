// Draft wording of the basis for a modified opinion (qualified, adverse, disclaimer): each affected criterion or
// objective, its failed controls and any scope limitation, and what follows from them (see opinion-wording.ts).
import { usesCriteria } from './criteria.js';
import type { FailureCause, OpinionType } from './opinion.js';
import {
  assuranceTarget,
  joinList,
  plural,
  quoted,
  sentence,
  throughout,
  typeOne,
  type DraftSection,
  type ReportContext,
} from './report-wording.js';

export interface AffectedForWording {
  id: string;
  title: string;
  /** `cause` defaults to 'not-operating-effectively'; `resultSentence` is the workpaper's (or walkthrough's) finding. */
  failedControls: { reference: string; resultSentence?: string; cause?: FailureCause }[];
  /** Descriptions of scope limitations recorded on this criterion or objective. */
  scopeLimitations?: string[];
}

export interface BasisInput extends ReportContext {
  affected: AffectedForWording[];
  /** Element (a): what the description misstates or omits, when it does not fairly present the system. */
  descriptionMatters?: string;
  /** Which basis section this is; the facts are stated the same way. Default 'qualified'. */
  type?: Exclude<OpinionType, 'unqualified'>;
}

const BASIS_HEADINGS = {
  qualified: 'Basis for Qualified Opinion',
  adverse: 'Basis for Adverse Opinion',
  disclaimer: 'Basis for Disclaimer of Opinion',
} as const;

function label(c: ReportContext, item: AffectedForWording): string {
  const kind = usesCriteria(c.framework) ? 'Trust services criterion' : 'Control objective';
  return `${kind} ${item.id}, ${quoted(item.title)}`;
}

/** "trust services criteria CC7.1 and CC8.1" / "control objective CO4". */
function naming(c: ReportContext, items: readonly AffectedForWording[]): string {
  const ids = joinList(
    c.framework,
    items.map((i) => i.id),
  );
  return usesCriteria(c.framework)
    ? `trust services ${plural(items.length, 'criterion', 'criteria')} ${ids}`
    : `${plural(items.length, 'control objective', 'control objectives')} ${ids}`;
}

const causeOf = (f: { cause?: FailureCause }): FailureCause => f.cause ?? 'not-operating-effectively';

/** "were not suitably designed", "did not operate effectively", or both, for the causes among `items`. */
function failedAs(c: ReportContext, items: readonly AffectedForWording[]): string {
  const causes = new Set(items.flatMap((i) => i.failedControls.map(causeOf)));
  const design = causes.has('not-suitably-designed') || typeOne(c);
  const operation = causes.has('not-operating-effectively') && !typeOne(c);
  return [design ? 'were not suitably designed' : '', operation ? 'did not operate effectively' : '']
    .filter(Boolean)
    .join(' or ');
}

function failureIntro(c: ReportContext, items: readonly AffectedForWording[]): string {
  const where = typeOne(c) ? '' : ' as noted in the description of tests of controls and results in Section IV,';
  return (
    `${c.serviceOrganization} states in its description of its ${c.systemName} that it has controls in place to provide reasonable ` +
    `assurance that ${assuranceTarget(c, 'are')}. However,${where} the controls listed below ${failedAs(c, items)} ${throughout(c)}.`
  );
}

function failureItem(c: ReportContext, item: AffectedForWording): string {
  const controls = item.failedControls.map((f) => {
    const what =
      causeOf(f) === 'not-suitably-designed' || typeOne(c)
        ? 'was not suitably designed'
        : 'did not operate effectively';
    return [`Control ${f.reference} ${what}.`, f.resultSentence ? sentence(f.resultSentence) : '']
      .filter(Boolean)
      .join(' ');
  });
  return `${label(c, item)}: ${controls.join(' ')}`;
}

function failureConclusion(c: ReportContext, items: readonly AffectedForWording[]): string {
  const tense = typeOne(c) ? 'would be' : 'were';
  if (usesCriteria(c.framework)) {
    return (
      `As a result, the controls stated in the description ${failedAs(c, items)} ${throughout(c)} to provide reasonable ` +
      `assurance that ${c.serviceOrganization}'s service commitments and system requirements ${tense} achieved based on the ${naming(c, items)}.`
    );
  }
  if (typeOne(c))
    return `As a result, the controls related to ${naming(c, items)} stated in the description were not suitably designed ${throughout(c)} to provide reasonable assurance that ${plural(items.length, 'it', 'they')} would be achieved.`;
  return `As a result, ${naming(c, items)} stated in the description ${plural(items.length, 'was', 'were')} not achieved ${throughout(c)}.`;
}

/** Element (a): the description does not fairly present the system, and what it misstates or omits. */
function descriptionParagraph(c: ReportContext, matters: string): string {
  const against = usesCriteria(c.framework) ? ' in accordance with the description criteria' : '';
  return `The description of ${c.serviceOrganization}'s ${c.systemName} does not fairly present the system that was designed and implemented ${throughout(c)}${against}. ${sentence(matters)}`;
}

function limitationItem(c: ReportContext, item: AffectedForWording): string {
  const why = (item.scopeLimitations ?? []).map(sentence).join(' ');
  const about = typeOne(c) ? 'the suitability of the design' : 'the operating effectiveness';
  return `${label(c, item)}: we were unable to obtain sufficient appropriate evidence about ${about} of the related controls. ${why}`.trim();
}

function limitationConclusion(c: ReportContext, items: readonly AffectedForWording[]): string {
  const subject = usesCriteria(c.framework)
    ? `${c.serviceOrganization}'s service commitments and system requirements were achieved based on the ${naming(c, items)}`
    : `${naming(c, items)} stated in the description ${plural(items.length, 'was', 'were')} achieved`;
  const whether = typeOne(c) ? 'were suitably designed' : 'operated effectively';
  const target = typeOne(c) ? subject.replace(/ (was|were) achieved/, ' would be achieved') : subject;
  return `Consequently, we were unable to determine whether the controls ${whether} ${throughout(c)} to provide reasonable assurance that ${target}.`;
}

/** The section naming each affected criterion or objective, its failed controls and any scope limitation. */
export function basisForQualifiedOpinion(input: BasisInput): DraftSection {
  const failed = input.affected.filter((a) => a.failedControls.length > 0);
  const limited = input.affected.filter((a) => (a.scopeLimitations ?? []).length > 0);
  const matters = input.descriptionMatters?.trim() ?? '';
  if (input.affected.length === 0 && !matters)
    throw new RangeError(
      'a basis for a modified opinion needs at least one affected item or a description misstatement',
    );
  const bare = input.affected.find((a) => !failed.includes(a) && !limited.includes(a));
  if (bare) throw new RangeError(`${bare.id} has neither a failed control nor a scope limitation to report`);
  const paragraphs = [
    ...(matters ? [descriptionParagraph(input, matters)] : []),
    ...(failed.length > 0
      ? [failureIntro(input, failed), ...failed.map((a) => failureItem(input, a)), failureConclusion(input, failed)]
      : []),
    ...(limited.length > 0
      ? [...limited.map((a) => limitationItem(input, a)), limitationConclusion(input, limited)]
      : []),
  ];
  return { heading: BASIS_HEADINGS[input.type ?? 'qualified'], paragraphs };
}
