// The words of the engagement's standard. SOC 1 and SOC 2 (SSAE 18: AT-C 320, AT-C 205) speak the AICPA's
// US English; ISAE 3402 and ISAE 3000 the IAASB's words in British spelling. Every screen, report and export
// that names one of these things reads it here, so a label is written once and an ISAE engagement never
// meets an AICPA word. ISAE strings are written out in British spelling (no regex speller): `americanSpellings`
// is the one check that an ISAE text kept to it.
import type { Framework } from './criteria.js';

export type ReportKind = 'type1' | 'type2';

export interface Vocabulary {
  framework: Framework;
  /** 'aicpa' for SOC 1 and SOC 2, 'isae' for ISAE 3402 and ISAE 3000. */
  family: 'aicpa' | 'isae';
  /** "SSAE 18 (AT-C 205)", "ISAE 3402". */
  standardName: string;
  /** The standards as a report's introduction cites them. */
  standardsCited: string;
  serviceOrganization: string;
  serviceOrganizations: string;
  subserviceOrganization: string;
  subserviceOrganizations: string;
  userEntities: string;
  /** "assertion" (AICPA) or "statement" (ISAE). */
  assertionNoun: string;
  /** "Management’s assertion" or "Service organisation’s statement", as a heading or label. */
  assertionLabel: string;
  /** Section I's title. */
  auditorsReport: string;
  /** "report" or "assurance report" as a sentence refers to the auditor's report. */
  reportNoun: string;
  cuecTitle: string;
  csocTitle: string;
  /** "addressed by the subservice organization's controls". */
  carvedOutBy: string;
  /** "Type II" / "Type 2" as a label. */
  reportTypeLabel: Record<ReportKind, string>;
  /** "SOC 2® Type 2 report" / "type 2 report". */
  reportName: Record<ReportKind, string>;
  /** Words the report texts spell differently in US and British English. */
  spelling: { authorized: string; organization: string; recognized: string; unauthorized: string };
}

const soc = (framework: 'soc1' | 'soc2'): Vocabulary => {
  const n = framework === 'soc1' ? '1' : '2';
  return {
    framework,
    family: 'aicpa',
    standardName: framework === 'soc1' ? 'SSAE 18 (AT-C 320)' : 'SSAE 18 (AT-C 205)',
    standardsCited:
      'attestation standards established by the American Institute of Certified Public Accountants (AICPA), including SSAE No. 18',
    serviceOrganization: 'service organization',
    serviceOrganizations: 'service organizations',
    subserviceOrganization: 'subservice organization',
    subserviceOrganizations: 'subservice organizations',
    userEntities: 'user entities',
    assertionNoun: 'assertion',
    assertionLabel: 'Management’s assertion',
    auditorsReport: "Independent service auditor's report",
    reportNoun: 'report',
    cuecTitle: 'Complementary user entity controls',
    csocTitle: 'Complementary subservice organization controls',
    carvedOutBy: "addressed by the subservice organization's controls",
    reportTypeLabel: { type1: 'Type I', type2: 'Type II' },
    reportName: { type1: `SOC ${n}® Type 1 report`, type2: `SOC ${n}® Type 2 report` },
    spelling: {
      authorized: 'authorized',
      organization: 'organization',
      recognized: 'recognized',
      unauthorized: 'unauthorized',
    },
  };
};

const isae = (framework: 'isae3402' | 'isae3000'): Vocabulary => {
  const n = framework === 'isae3402' ? '3402' : '3000';
  return {
    framework,
    family: 'isae',
    standardName: `ISAE ${n}`,
    standardsCited: `International Standard on Assurance Engagements (ISAE) ${n}`,
    serviceOrganization: 'service organisation',
    serviceOrganizations: 'service organisations',
    subserviceOrganization: 'subservice organisation',
    subserviceOrganizations: 'subservice organisations',
    userEntities: 'user entities',
    assertionNoun: 'statement',
    assertionLabel: 'Service organisation’s statement',
    auditorsReport: "Independent service auditor's assurance report",
    reportNoun: 'assurance report',
    cuecTitle: 'Complementary user entity controls',
    csocTitle: 'Complementary subservice organisation controls',
    carvedOutBy: "addressed by the subservice organisation's controls",
    reportTypeLabel: { type1: 'Type 1', type2: 'Type 2' },
    reportName: { type1: 'type 1 report', type2: 'type 2 report' },
    spelling: {
      authorized: 'authorised',
      organization: 'organisation',
      recognized: 'recognised',
      unauthorized: 'unauthorised',
    },
  };
};

const VOCABULARIES: Record<Framework, Vocabulary> = {
  soc1: soc('soc1'),
  soc2: soc('soc2'),
  isae3402: isae('isae3402'),
  isae3000: isae('isae3000'),
};

/** The words of the engagement's standard; an unknown framework reads as SOC 2 (the app's default). */
export function vocabularyOf(framework: Framework | string): Vocabulary {
  return VOCABULARIES[framework as Framework] ?? VOCABULARIES.soc2;
}

/** The vocabulary of a family of standards, for report code that knows only 'aicpa' or 'isae'. */
export function vocabularyOfFamily(family: 'aicpa' | 'isae'): Vocabulary {
  return family === 'isae' ? VOCABULARIES.isae3402 : VOCABULARIES.soc2;
}

export const isInternational = (framework: Framework | string): boolean => vocabularyOf(framework).family === 'isae';

/** "Service organisation" from "service organisation": a term at the head of a label. */
export const capitalized = (term: string): string => term.charAt(0).toUpperCase() + term.slice(1);

// US spellings an ISAE report must not carry: -ize/-yze verbs and their forms, and -or/-er words British
// writes -our/-re. Short words that only look like -ize forms (size, seize, prize) are not spellings.
const NOT_SPELLINGS = new Set([
  'size',
  'sized',
  'sizes',
  'sizing',
  'seize',
  'seized',
  'prize',
  'prized',
  'capsize',
  'citizen',
  'citizens',
]);
const AMERICAN =
  /\b[a-z]*(?:iz(?:e|ed|es|ing|ation|ations)|yz(?:e|ed|es|ing)|behavior|behaviors|color|colors|favor|favorable|honor|labor|center|centers|catalog|defense|judgment)\b/gi;

/** The words of `text` in American spelling (lower-cased, once each): empty when the text is British throughout. */
export function americanSpellings(text: string): string[] {
  const found = (text.match(AMERICAN) ?? []).map((w) => w.toLowerCase()).filter((w) => !NOT_SPELLINGS.has(w));
  return [...new Set(found)];
}
