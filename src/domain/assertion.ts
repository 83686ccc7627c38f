// Management's assertion (SOC: AT-C 205, AT-C 320) or the service organisation's statement (ISAE 3402, ISAE
// 3000): the written representation the opinion is given on. It is recorded on the engagement (who signed it,
// when, the signed file) and must be there before the partner approves the opinion.
import type { Framework } from './criteria.js';
import type { IsoDate } from './types.js';
import { vocabularyOf } from './vocabulary.js';

export interface AssertionFacts {
  signerName: string;
  signerTitle: string;
  signedOn: IsoDate;
}

export interface EngagementAssertion {
  framework: Framework;
  /** The current (not superseded) assertion, or null when none is recorded. */
  assertion: AssertionFacts | null;
}

/** "assertion" (AICPA) or "statement" (ISAE), from the vocabulary. */
export function assertionNoun(framework: Framework): string {
  return vocabularyOf(framework).assertionNoun;
}

/** The document's name as a heading or label: "Management's assertion" / "Service organisation's statement". */
export function assertionLabel(framework: Framework): string {
  return vocabularyOf(framework).assertionLabel;
}

/** Whether the engagement still lacks its assertion (or statement): a complete one names who signed it and when. */
export function assertionMissing(engagement: EngagementAssertion): boolean {
  const a = engagement.assertion;
  return !a?.signerName.trim() || !a.signerTitle.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(a.signedOn);
}

/** The approval blocker for a missing assertion, or null when it is recorded. */
export function assertionBlocker(engagement: EngagementAssertion): string | null {
  if (!assertionMissing(engagement)) return null;
  return `${assertionLabel(engagement.framework)} is not recorded: record who signed it, the date and the signed file on the engagement's ${assertionNoun(engagement.framework)} page.`;
}

/** "based on the criteria described in Nimbus Ledger, Inc.'s assertion" (or "…'s statement" under ISAE). */
export function criteriaOfAssertion(framework: Framework, serviceOrganization: string): string {
  return `based on the criteria described in ${serviceOrganization}'s ${assertionNoun(framework)}`;
}

/** Section IV: the standard note beside management's responses to exceptions. */
export function managementResponsesNote(serviceOrganization: string): string {
  return (
    `Management's responses to exceptions are provided by ${serviceOrganization} and are presented for information only. ` +
    `The service auditor performed no procedures on management's responses and, accordingly, expresses no opinion on them.`
  );
}
