// Draft report wording for the opinion page, modelled on the illustrative reports of AT-C 320 (SOC 1),
// AT-C 205 with the SOC 2 guide, ISAE 3402 and ISAE 3000. A draft for the partner to edit, not a template
// to sign as is. Type II words the three elements (description, design, operating effectiveness) throughout a
// period; Type I the first two as of a date, and never speaks of tests of operating effectiveness.

import { criteriaOfAssertion } from './assertion.js';
import { usesCriteria } from './criteria.js';
import { vocabularyOf } from './vocabulary.js';
import type { FailureCause, OpinionType } from './opinion.js';
import {
  assuranceTarget,
  capitalize,
  formatPeriod,
  international,
  joinList,
  plural,
  thatPeriod,
  throughout,
  typeOne,
  type DraftSection,
  type ReportContext,
} from './report-wording.js';

export {
  coveredBy,
  formatDate,
  formatPeriod,
  joinList,
  type DraftSection,
  type ReportContext,
} from './report-wording.js';

export {
  type AffectedForWording,
  type BasisInput,
  basisForQualifiedOpinion,
} from './opinion-basis-wording.js';

// ---------------------------------------------------------------------------------------------------------
// Opinion.

export interface OpinionParagraphInput extends ReportContext {
  type: OpinionType;
  /** Criteria or objectives behind a modified opinion; more than one reads "the matters described". */
  affectedIds: string[];
  /** A qualification for a scope limitation is for the *possible* effects of the matter. Default 'control-failure'. */
  cause?: 'control-failure' | 'scope-limitation';
  /** Complementary controls the opinion is conditional on (CUECs; CSOCs of a carved-out subservice organization). */
  complementary?: { userEntity?: boolean; subservice?: boolean };
  /** Why controls failed, for the adverse wording; default operating effectiveness. */
  causes?: FailureCause[];
}

const OPINION_HEADINGS: Record<OpinionType, string> = {
  unqualified: 'Opinion',
  qualified: 'Qualified Opinion',
  adverse: 'Adverse Opinion',
  disclaimer: 'Disclaimer of Opinion',
};

/** "the subservice organization and user entities", or '' when the opinion is conditional on nothing. */
function complementaryParties(c: OpinionParagraphInput): string {
  const parties = [
    c.complementary?.subservice ? `the ${vocabularyOf(c.framework).subserviceOrganization}` : '',
    c.complementary?.userEntity ? vocabularyOf(c.framework).userEntities : '',
  ];
  return parties.filter(Boolean).join(' and ');
}

function complementaryControls(c: OpinionParagraphInput): string {
  const v = vocabularyOf(c.framework);
  const kinds = [
    c.complementary?.subservice ? v.csocTitle.toLowerCase() : '',
    c.complementary?.userEntity ? v.cuecTitle.toLowerCase() : '',
  ];
  return kinds.filter(Boolean).join(' and ');
}

/** The elements of the opinion: description, design and (Type II) operating effectiveness. */
function elements(c: OpinionParagraphInput): string[] {
  const parties = complementaryParties(c);
  const controls = complementaryControls(c);
  const design = parties
    ? `, and if ${parties} applied the complementary controls assumed in the design of ${c.serviceOrganization}'s controls ${thatPeriod(c)}`
    : '';
  const system = `${c.serviceOrganization}'s ${c.systemName}`;
  if (usesCriteria(c.framework)) {
    const effective = controls
      ? `, if ${controls} assumed in the design of ${c.serviceOrganization}'s controls operated effectively throughout that period`
      : '';
    const [description, designed] = [
      `the description presents ${system} that was designed and implemented ${throughout(c)} in accordance with the description criteria`,
      `the controls stated in the description were suitably designed ${throughout(c)} to provide reasonable assurance that ${assuranceTarget(c, 'would be')}, if its controls operated effectively ${thatPeriod(c)}${design}`,
    ];
    if (typeOne(c)) return [description, designed];
    return [
      description,
      designed,
      `the controls stated in the description operated effectively ${throughout(c)} to provide reasonable assurance that ${assuranceTarget(c, 'were')}${effective}`,
    ];
  }
  const tested = controls
    ? `, together with the ${controls} assumed in the design of ${c.serviceOrganization}'s controls, if operating effectively,`
    : '';
  const [description, designed] = [
    `the description fairly presents ${system} ${international(c.framework) ? 'as' : 'that was'} designed and implemented ${throughout(c)}`,
    `the controls related to the control objectives stated in the description were suitably designed ${throughout(c)} to provide reasonable assurance that ${assuranceTarget(c, 'would be')} if the controls operated effectively ${thatPeriod(c)}${design}`,
  ];
  if (typeOne(c)) return [description, designed];
  return [
    description,
    designed,
    `the controls that we tested, which${tested} were those necessary to provide reasonable assurance that ${assuranceTarget(c, 'were')}, operated effectively ${throughout(c)}`,
  ];
}

/** US: "a. the description …." ISAE: "(a) The description …;" … "(b) …; and" … "(c) …." */
function enumerate(c: ReportContext, items: readonly string[]): string[] {
  const letter = (i: number) => String.fromCharCode(97 + i);
  if (!international(c.framework)) return items.map((t, i) => `${letter(i)}. ${t}.`);
  const ending = (i: number) => (i === items.length - 1 ? '.' : i === items.length - 2 ? '; and' : ';');
  return items.map((t, i) => `(${letter(i)}) ${capitalize(t)}${ending(i)}`);
}

function adverseBody(c: OpinionParagraphInput): string {
  const description = `the description of ${c.serviceOrganization}'s ${c.systemName}`;
  const controls = usesCriteria(c.framework)
    ? `the controls stated in ${description}`
    : `the controls related to the control objectives stated in ${description}`;
  const causes = new Set(c.causes ?? ['not-operating-effectively']);
  const design = typeOne(c) || causes.has('not-suitably-designed');
  const operation = !typeOne(c) && causes.has('not-operating-effectively');
  const failed = [design ? 'were not suitably designed' : '', operation ? 'did not operate effectively' : '']
    .filter(Boolean)
    .join(' or ');
  return `${controls} ${failed} ${throughout(c)} to provide reasonable assurance that ${assuranceTarget(c, typeOne(c) ? 'would be' : 'were')}`;
}

function disclaimerBody(c: OpinionParagraphInput, matter: string): string {
  return (
    `Because of the significance of the ${matter} described in the Basis for Disclaimer of Opinion paragraph, we have not been able to obtain ` +
    `sufficient appropriate evidence to provide a basis for an opinion. Accordingly, we do not express an opinion on the description of ` +
    `${c.serviceOrganization}'s ${c.systemName} or on the suitability of the design${typeOne(c) ? '' : ' and the operating effectiveness'} of the controls ` +
    `stated in the description ${throughout(c)} to provide reasonable assurance that ${assuranceTarget(c, typeOne(c) ? 'would be' : 'were')}.`
  );
}

/** The opinion section for the chosen type, framework-aware. */
export function opinionParagraph(input: OpinionParagraphInput): DraftSection {
  const heading = OPINION_HEADINGS[input.type];
  const matter = input.affectedIds.length > 1 ? 'matters' : 'matter';
  const colon = international(input.framework) ? ':' : ',';
  // The opinion is given on the criteria in management's assertion (SOC) or the statement (ISAE).
  const criteria = criteriaOfAssertion(input.framework, input.serviceOrganization);
  switch (input.type) {
    case 'unqualified':
      return {
        heading,
        paragraphs: [
          `In our opinion, in all material respects, ${criteria}${colon}`,
          ...enumerate(input, elements(input)),
        ],
      };
    case 'qualified': {
      const what = input.cause === 'scope-limitation' ? `possible effects of the ${matter}` : matter;
      const lead = `In our opinion, except for the ${what} described in the Basis for Qualified Opinion paragraph, in all material respects, ${criteria}${colon}`;
      return { heading, paragraphs: [lead, ...enumerate(input, elements(input))] };
    }
    case 'adverse':
      return {
        heading,
        paragraphs: [
          `In our opinion, because of the significance of the ${matter} described in the Basis for Adverse Opinion paragraph, ${criteria}, ${adverseBody(input)}.`,
        ],
      };
    case 'disclaimer':
      return { heading, paragraphs: [disclaimerBody(input, matter)] };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Controls that did not operate during the period (Type II only): disclosed, not a modification.

/**
 * The explanatory paragraph for criteria whose controls did not operate because the circumstances that warrant
 * their operation did not occur (AICPA guides' illustrative wording; ISAE spelling). Null for Type I or none.
 */
export function noTestingParagraph(
  c: ReportContext,
  items: readonly { id: string; title: string }[],
): DraftSection | null {
  if (typeOne(c) || items.length === 0) return null;
  const related = usesCriteria(c.framework)
    ? `trust services ${plural(items.length, 'criterion', 'criteria')}`
    : plural(items.length, 'control objective', 'control objectives');
  const ids = joinList(
    c.framework,
    items.map((i) => i.id),
  );
  return {
    heading: 'Controls That Did Not Operate During the Period',
    paragraphs: [
      `${c.serviceOrganization}'s description of its ${c.systemName} discloses that the controls related to ${related} ${ids} did not operate during the period ` +
        `${international(c.framework) ? 'from ' : ''}${formatPeriod(c.framework, c.periodStart, c.periodEnd)} because the circumstances that warrant their operation did not occur during that period. ` +
        `Therefore, we did not test the operating effectiveness of those controls. Our opinion is not modified with respect to this matter.`,
    ],
  };
}
