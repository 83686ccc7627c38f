// The Section IV "results" sentence of a control, written from the workpaper's data (domain.md, "The report").

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
  /** Plural noun for the items ("new hires"). */
  itemNoun: string;
  /** One per exception record of a deviating item. */
  deviations: readonly DeviationNote[];
}

const NOT_DESCRIBED = '[the exception is not yet described]';
/** Words that never start a proper noun, so lower-casing them keeps "For 1 of 41 …, the check …" grammatical. */
const LEADING_WORDS = /^(The|A|An|No|There|This|These|Its|Their)\b/;

/** The auditor's description as it reads after "For 1 of 41 new hires sampled, …". */
export function asClause(description: string): string {
  const trimmed = description.trim().replace(/[.\s]+$/, '');
  if (!trimmed) return NOT_DESCRIBED;
  return LEADING_WORDS.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}

/** Deviating items grouped by what happened, in the order first met; one item may appear under two descriptions. */
function groupByDescription(deviations: readonly DeviationNote[]): { clause: string; items: number }[] {
  const groups = new Map<string, { clause: string; items: Set<string | number> }>();
  for (const d of deviations) {
    const clause = asClause(d.description);
    const key = clause.toLowerCase();
    const group = groups.get(key) ?? { clause, items: new Set() };
    group.items.add(d.item);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ clause: g.clause, items: g.items.size }));
}

/**
 * "No exceptions noted." or "Exception noted. For 1 of 41 new hires sampled, the background check was completed
 * after the employee's start date." — one sentence per distinct description.
 */
export function resultSentence({ conclusion, itemsTested, itemNoun, deviations }: ResultWordingInput): string {
  if (conclusion === 'no-testing') return NO_TESTING_SENTENCE;
  if (deviations.length === 0) return NO_EXCEPTIONS_SENTENCE;
  const groups = groupByDescription(deviations);
  const deviatingItems = new Set(deviations.map((d) => d.item)).size;
  const heading = deviatingItems > 1 || groups.length > 1 ? 'Exceptions noted.' : 'Exception noted.';
  const noun = itemNoun.trim() || 'items';
  const sentences = groups.map((g) => `For ${g.items} of ${itemsTested} ${noun} sampled, ${g.clause}.`);
  return [heading, ...sentences].join(' ');
}
