// The introduction at the head of Section IV: what the service auditor's tests were and how information
// produced by the entity was tested, in the words of the engagement's standard (SSAE 18 / AICPA for SOC 1 and
// SOC 2, in US spelling; ISAE 3402 / ISAE 3000, in British spelling). Type I describes design only.
import type { ReportStandard } from './section-four.js';
import { vocabularyOf } from './vocabulary.js';

export interface IntroductionFacts {
  standard: ReportStandard;
  reportType: 'type1' | 'type2';
  serviceOrganization: string;
  /** "criteria" (SOC 2, ISAE 3000) or "control objectives" (SOC 1, ISAE 3402). */
  kind: 'criteria' | 'objectives';
  /** Which ISAE: 3000 for an ISAE 3000 engagement, else 3402. */
  isae?: '3402' | '3000';
}

export const TEST_TYPES = ['inquiry', 'observation', 'inspection', 'reperformance'] as const;

const words = (standard: ReportStandard, isae: '3402' | '3000' = '3402') => {
  const v = vocabularyOf(standard === 'isae' ? `isae${isae}` : 'soc2');
  return {
    serviceOrganization: v.serviceOrganization,
    standards: v.standardsCited,
    sufficiency: 'sufficient appropriate evidence',
  };
};

const addressed = (kind: IntroductionFacts['kind']) =>
  kind === 'criteria' ? 'the applicable trust services criteria' : 'the related control objectives';

/** The paragraph on the scope of the tests, Type II (operating effectiveness over the period) or Type I (design). */
function scopeParagraph(f: IntroductionFacts): string {
  const w = words(f.standard, f.isae);
  if (f.reportType === 'type1') {
    return `This section describes the controls specified by ${f.serviceOrganization} to achieve ${addressed(f.kind)}. Our engagement, performed in accordance with the ${w.standards}, covered the suitability of the design and the implementation of these controls as of the specified date; we performed no tests of the operating effectiveness of the controls and, accordingly, express no opinion on it.`;
  }
  return `Our tests of the operating effectiveness of the controls specified by ${f.serviceOrganization} were designed to cover a representative number of samples throughout the period, for each of the controls listed, which are designed to achieve ${addressed(f.kind)}. They were performed in accordance with the ${w.standards}. In selecting particular tests of operating effectiveness, we considered the nature of the items being tested, the types of available evidential matter, the nature of the ${addressed(f.kind).replace(/^the (applicable |related )?/, '')} to be achieved, the assessed level of control risk and the expected efficiency and effectiveness of the test.`;
}

/** The usual paragraph on the types of tests, as the AICPA and ISAE reports both describe them. */
function testTypesParagraph(f: IntroductionFacts): string[] {
  const w = words(f.standard, f.isae);
  const verb =
    f.reportType === 'type1'
      ? 'used to evaluate the design and implementation of the controls'
      : 'performed to test the operating effectiveness of the controls';
  return [
    `The types of tests ${verb} are described below:`,
    `Inquiry: inquired of appropriate personnel of the ${w.serviceOrganization} and corroborated their responses with management.`,
    'Observation: observed the application, performance or existence of the control.',
    'Inspection: inspected documents, reports and records indicating the performance of the control.',
    ...(f.reportType === 'type1'
      ? []
      : [
          'Reperformance: reperformed the control, or the processing of the application control, to check the accuracy of its operation.',
        ]),
    'Inquiry alone was not relied on: each inquiry was combined with at least one other type of test.',
  ];
}

/** How information produced by the entity (IPE) used in the tests was tested for completeness and accuracy. */
function ipeParagraph(f: IntroductionFacts): string {
  const w = words(f.standard, f.isae);
  return `Where information produced by the ${w.serviceOrganization} (such as listings, reports and system-generated populations) was used in performing our tests, we obtained ${w.sufficiency} about its completeness and accuracy, and whether it was sufficiently precise and detailed for our purposes: we inspected the source of the information and the parameters used to produce it, agreed the information to its source, and tested the completeness and accuracy of the populations from which our samples were selected before selecting them.`;
}

/** The introduction's paragraphs, in order. */
export function sectionFourIntroduction(facts: IntroductionFacts): string[] {
  return [scopeParagraph(facts), ...testTypesParagraph(facts), ipeParagraph(facts)];
}

/** The standard whose words an engagement's reports use. */
export function introductionStandard(framework: string): Pick<IntroductionFacts, 'standard' | 'isae'> {
  return { standard: reportStandardOf(framework), ...(framework === 'isae3000' ? { isae: '3000' as const } : {}) };
}

export function reportStandardOf(framework: string): ReportStandard {
  return vocabularyOf(framework).family;
}
