// The Section IV "results" sentence of a control, written from the workpaper's data (domain.md, "The report").

import { singular } from './plural.js';
import type { Conclusion, Frequency } from './types.js';

export const NO_EXCEPTIONS_SENTENCE = 'No exceptions noted.';
export const NO_TESTING_SENTENCE =
  'No testing performed: the circumstances that warrant the operation of the control did not occur during the period.';

const PERIODIC_NOUNS: Partial<Record<Frequency, string>> = {
  annual: 'years',
  'semi-annual': 'half-years',
  quarterly: 'quarters',
  monthly: 'months',
  'semi-monthly': 'half-months',
  weekly: 'weeks',
  daily: 'days',
};

/** What a sampled item is called until the auditor says better ("new hires", "changes"). */
export function defaultItemNoun(frequency: Frequency, populationKind: 'transaction' | 'periodic'): string {
  return (populationKind === 'periodic' && PERIODIC_NOUNS[frequency]) || 'items';
}

export interface DeviationNote {
  /** The sampled item that deviated. */
  item: string | number;
  /** What happened, as the exception record says it. Empty until written. */
  description: string;
}

export interface ResultWordingInput {
  conclusion: Conclusion | null;
  itemsTested: number;
  /** Items in the population; when every one was tested the sentence says "tested", not "sampled". */
  populationSize?: number;
  /** Capitalised words the engagement writes as names ("Okta"): kept as written at the head of a clause. */
  properNouns?: readonly string[];
  /** Plural noun for the items ("new hires"). */
  itemNoun: string;
  /** One per exception record of a deviating item. */
  deviations: readonly DeviationNote[];
}

const NOT_DESCRIBED = '[the exception is not yet described]';
const FIRST_WORD = /^[\p{L}][\p{L}\p{N}'’-]*/u;
/** "Background", not "MFA", "HR", "SharePoint" or "iOS": a capital followed by lower-case letters only. */
const CAPITALISED_WORD = /^\p{Lu}[\p{Ll}'’-]*$/u;

/**
 * Capitalised words written mid-sentence in the engagement's own texts ("…removed in Okta…"): names, which a
 * clause keeps as written. A word at the start of a sentence tells nothing, so it is not counted.
 */
export function properNounsIn(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const sentence of text.split(/(?<=[.!?:;])\s+|\n+/)) {
      const words = sentence.trim().split(/\s+/).slice(1);
      for (const raw of words) {
        const word = raw.replace(/^[("'“‘]+|[)"'”’.,;:!?]+$/g, '');
        if (CAPITALISED_WORD.test(word) && word.length > 1) found.add(word);
      }
    }
  }
  return [...found];
}

/**
 * The auditor's description as it reads after "For 1 of 41 new hires sampled, …": the first word lower-cased
 * when it is an ordinary capitalised word ("Background check was not performed" → "background check …"), kept
 * when it is an acronym or mixed case ("MFA", "HR", "SharePoint") or a name the engagement uses ("Okta").
 */
export function asClause(description: string, properNouns: readonly string[] = []): string {
  const trimmed = description.trim().replace(/[.\s]+$/, '');
  if (!trimmed) return NOT_DESCRIBED;
  const first = FIRST_WORD.exec(trimmed)?.[0] ?? '';
  if (!CAPITALISED_WORD.test(first) || first === 'I' || properNouns.includes(first)) return trimmed;
  return first[0]!.toLowerCase() + trimmed.slice(1);
}

/** Deviating items grouped by what happened, in the order first met; one item may appear under two descriptions. */
function groupByDescription(
  deviations: readonly DeviationNote[],
  properNouns: readonly string[],
): { clause: string; items: number }[] {
  const groups = new Map<string, { clause: string; items: Set<string | number> }>();
  for (const d of deviations) {
    const clause = asClause(d.description, properNouns);
    const key = clause.toLowerCase();
    const group = groups.get(key) ?? { clause, items: new Set() };
    group.items.add(d.item);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ clause: g.clause, items: g.items.size }));
}

/** "For 1 of 41 new hires sampled", "For 2 of 12 months tested" (every item tested), "For the one year tested". */
export function itemsPhrase(deviating: number, itemsTested: number, itemNoun: string, populationSize?: number): string {
  const noun = itemNoun.trim() || 'items';
  if (itemsTested === 1) return `For the one ${singular(noun)} tested`;
  const verb = populationSize !== undefined && itemsTested >= populationSize ? 'tested' : 'sampled';
  return `For ${deviating} of ${itemsTested} ${noun} ${verb}`;
}

/**
 * "No exceptions noted." or "Exception noted. For 1 of 41 new hires sampled, the background check was completed
 * after the employee's start date." — one sentence per distinct description.
 */
export function resultSentence({
  conclusion,
  itemsTested,
  itemNoun,
  deviations,
  populationSize,
  properNouns = [],
}: ResultWordingInput): string {
  if (conclusion === 'no-testing') return NO_TESTING_SENTENCE;
  if (deviations.length === 0) return NO_EXCEPTIONS_SENTENCE;
  const groups = groupByDescription(deviations, properNouns);
  const deviatingItems = new Set(deviations.map((d) => d.item)).size;
  const heading = deviatingItems > 1 || groups.length > 1 ? 'Exceptions noted.' : 'Exception noted.';
  const sentences = groups.map((g) => `${itemsPhrase(g.items, itemsTested, itemNoun, populationSize)}, ${g.clause}.`);
  return [heading, ...sentences].join(' ');
}
