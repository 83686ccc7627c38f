// A control's test grid -> the figures the auditor concludes on, the checks before "prepared" (domain.md,
// "Controls and how they are tested" and "Exceptions and the control's conclusion").

import { binomialCdf } from './binomial.js';
import type { CaState } from './completeness-accuracy.js';
import { impliedTolerableRate, isHarsher, MAX_EXTENDED_SAMPLE_SIZE, proposedConclusion, ruleOfThumbExtendedSampleSize, type ExtensionMethod, type ProposedConclusion } from './evaluation.js';
import { upperDeviationLimit } from './sample-size.js';
import type { Conclusion, Frequency, Nature } from './types.js';

export const CELL_RESULTS = ['pass', 'exception', 'na'] as const;
export type CellResult = (typeof CELL_RESULTS)[number];

/** One sampled item's marks, one per attribute in the plan's order; null is a blank cell. */
export type ItemMarks = readonly (CellResult | null)[];

/** Deviations are counted per item: an item with exceptions on two attributes is one deviating item, because
 * the rate evaluated is deviating items over items sampled. */
export function isDeviation(marks: ItemMarks): boolean {
  return marks.includes('exception');
}

/** Every attribute not applicable: the item is not an occurrence of the control, so it is no evidence either way. */
export function isWhollyNotApplicable(marks: ItemMarks): boolean {
  return marks.length > 0 && marks.every((m) => m === 'na');
}

/** Tested: a deviation (settled whatever the other cells say), or every cell marked and at least one applicable. */
export function isTested(marks: ItemMarks): boolean {
  if (isDeviation(marks)) return true;
  return marks.length > 0 && !marks.includes(null) && !isWhollyNotApplicable(marks);
}

export interface GridFigures {
  itemsInSample: number;
  itemsTested: number;
  deviations: number;
  blankCells: number;
  notApplicableItems: number;
}

export function gridFigures(items: readonly ItemMarks[]): GridFigures {
  return tallyFigures(items.map((marks) => ({ marks, count: 1 })));
}

/** Items whose marks count the same (so many exceptions, so many N/A, so many marked): a grid of thousands of
 * items is a handful of these, which is all the figures need. */
export interface MarkCount {
  /** Attributes of the plan. */
  attributes: number;
  exceptions: number;
  notApplicable: number;
  /** Cells with any mark (pass, exception or N/A). */
  marked: number;
  /** Items with these counts. */
  items: number;
}

/** The marks of one item with these counts; which attribute holds which mark changes no figure. */
export function marksOf(c: Omit<MarkCount, 'items'>): ItemMarks {
  const pass = c.marked - c.exceptions - c.notApplicable;
  if (pass < 0 || c.marked > c.attributes) throw new Error(`marks do not add up: ${JSON.stringify(c)}`);
  return [...Array<CellResult>(c.exceptions).fill('exception'), ...Array<CellResult>(c.notApplicable).fill('na'), ...Array<CellResult>(pass).fill('pass'), ...Array<null>(c.attributes - c.marked).fill(null)];
}

/** The figures of a grid given as counts of items per kind of marks (see MarkCount). */
export function figuresOfCounts(counts: readonly MarkCount[]): GridFigures {
  return tallyFigures(counts.map((c) => ({ marks: marksOf(c), count: c.items })));
}

function tallyFigures(tally: readonly { marks: ItemMarks; count: number }[]): GridFigures {
  const figures: GridFigures = { itemsInSample: 0, itemsTested: 0, deviations: 0, blankCells: 0, notApplicableItems: 0 };
  for (const { marks, count } of tally) {
    figures.itemsInSample += count;
    if (isTested(marks)) figures.itemsTested += count;
    if (isDeviation(marks)) figures.deviations += count;
    if (isWhollyNotApplicable(marks)) figures.notApplicableItems += count;
    for (const m of marks) if (m === null) figures.blankCells += count;
  }
  return figures;
}

/** What the evaluation needs to know about the sample and its control. */
export interface SampleFacts {
  frequency: Frequency;
  nature: Nature;
  sizing: 'table' | 'statistical';
  /** Fraction (0.95). */
  confidence: number;
  /** Stated tolerable rate (fraction) of a statistical sample; null for table sizing. */
  tolerableRate: number | null;
  plannedSize: number;
  /** The size proposed when it was selected (null: not recorded, the planned size stands in). A table-sized
   * sample's tolerable rate is implied from it, so a smaller sample approved by a manager keeps the proposal's. */
  proposedSize?: number | null;
  /** Sampleable items in the population. */
  populationSize: number;
  /** An extension has been drawn (sample items beyond the planned round). */
  extensionDrawn: boolean;
  /** The engagement's extension rule for table-sized samples (default exact); statistical ones use the exact rule. */
  extension?: ExtensionMethod;
  /** The engagement's policy: an extension after at most this many deviations (default 1). */
  maxDeviationsToExtend?: number;
}

export interface Evaluation extends GridFigures {
  /** No blank cell anywhere in the grid. */
  complete: boolean;
  /** Achieved upper deviation limit in percent, rounded up to 0.1; null before anything is tested. */
  upperLimitPct: number | null;
  /** Fraction: stated for a statistical sample, implied by the planned size for a table-sized one. */
  tolerableRate: number;
  tolerableStated: boolean;
  /** The rule's proposal on the items tested so far; null before anything is tested. */
  proposal: ProposedConclusion | null;
  /** Size the sample must reach for these deviations, when an extension can restore assurance. */
  requiredSize: number | null;
  /** Items still to draw to reach requiredSize (0 when already drawn). */
  toDraw: number;
}

/** Smallest n whose exact upper limit at k deviations is within `rate`: P(X ≤ k; n, rate) ≤ 1 − confidence. */
export function requiredSampleSize(deviations: number, rate: number, confidence: number): number | null {
  const alpha = 1 - confidence;
  const qualifies = (n: number) => n > deviations && binomialCdf(deviations, n, rate) <= alpha;
  if (!qualifies(MAX_EXTENDED_SAMPLE_SIZE)) return null;
  let lo = deviations;
  let hi = MAX_EXTENDED_SAMPLE_SIZE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (qualifies(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The size these deviations call for under the engagement's extension rule, or null when none covers them. */
function requiredSizeOf(facts: SampleFacts, deviations: number, rate: number): number | null {
  const rule = facts.extension;
  if (facts.sizing === 'table' && rule?.method === 'rule-of-thumb') return ruleOfThumbExtendedSampleSize({ plannedSize: facts.plannedSize, deviations, table: rule.table });
  return requiredSampleSize(deviations, rate, facts.confidence);
}

/** The size whose zero-deviation upper limit is a table-sized sample's implied tolerable rate: the proposal's. */
export function toleranceSize(facts: Pick<SampleFacts, 'plannedSize' | 'proposedSize'>): number {
  return facts.proposedSize ?? facts.plannedSize;
}

function tolerableOf(facts: SampleFacts): { rate: number; stated: boolean } {
  if (facts.sizing === 'statistical' && facts.tolerableRate !== null) return { rate: facts.tolerableRate, stated: true };
  return { rate: impliedTolerableRate({ confidence: facts.confidence, plannedSize: toleranceSize(facts) }), stated: false };
}

/**
 * The live figures of a workpaper. An extension counts as tested (the rule's `extended`) only once every cell is
 * marked, so a half-tested extension still reads "extend" rather than "not effective".
 */
export function evaluateWorkpaper(facts: SampleFacts, items: readonly ItemMarks[]): Evaluation {
  return evaluateFigures(facts, gridFigures(items));
}

/** evaluateWorkpaper from the grid's figures alone (see figuresOfCounts). */
export function evaluateFigures(facts: SampleFacts, figures: GridFigures): Evaluation {
  const complete = figures.blankCells === 0;
  const tolerable = tolerableOf(facts);
  const { itemsTested: tested, deviations } = figures;
  const base = { ...facts, tolerableRate: tolerable.rate, tested, deviations, extension: facts.extension ?? ({ method: 'exact' } as const) };
  const proposal = tested === 0 ? null : proposedConclusion({ ...base, extended: facts.extensionDrawn && complete });
  const extensionHelps = tested > 0 && deviations > 0 && proposedConclusion({ ...base, extended: false }) === 'extend';
  const requiredSize = extensionHelps ? requiredSizeOf(facts, deviations, tolerable.rate) : null;
  return {
    ...figures,
    complete,
    upperLimitPct: tested === 0 ? null : upperDeviationLimit({ confidence: facts.confidence, sampleSize: tested, deviations }),
    tolerableRate: tolerable.rate,
    tolerableStated: tolerable.stated,
    proposal,
    requiredSize,
    toDraw: requiredSize === null ? 0 : Math.max(0, requiredSize - figures.itemsInSample),
  };
}

/** What the proposal means when the auditor's choice is compared with it: an extension not yet drawn and
 * tested leaves the control unsupported, so "extend" weighs as "not effective". */
export function proposalAsConclusion(proposal: ProposedConclusion | 'no-testing'): Conclusion {
  return proposal === 'extend' ? 'not-effective' : proposal;
}

export interface ConclusionChoice {
  /** The rule's proposal; 'no-testing' when the population has no occurrences; null when nothing is tested. */
  proposed: ProposedConclusion | 'no-testing' | null;
  chosen: Conclusion;
  reason: string;
}

/** Why the auditor's conclusion cannot stand as given, or null: harsher freely, softer only with a written rationale. */
export function conclusionProblem({ proposed, chosen, reason }: ConclusionChoice): string | null {
  const explained = reason.trim().length > 0;
  if (chosen === 'no-testing') return explained ? null : 'Say why no testing was performed: the circumstances that warrant the control did not occur.';
  if (proposed === null) {
    if (chosen !== 'not-effective') return 'Nothing has been tested yet: test the sample before concluding that the control operated.';
    return explained ? null : 'Nothing has been tested yet: give the reason the control did not operate effectively.';
  }
  const expected = proposalAsConclusion(proposed);
  if (chosen === expected || isHarsher(chosen, expected)) return null;
  return explained ? null : `This conclusion is softer than the figures support (${CONCLUSION_LABELS[expected]}): give a written rationale.`;
}

export const CONCLUSION_LABELS: Record<Conclusion, string> = {
  'no-exceptions': 'No exceptions noted',
  'exceptions-effective': 'Exceptions noted, operated effectively',
  'not-effective': 'Not operating effectively',
  'no-testing': 'No testing performed',
};

export const PROPOSAL_LABELS: Record<ProposedConclusion, string> = {
  'no-exceptions': CONCLUSION_LABELS['no-exceptions'],
  'exceptions-effective': CONCLUSION_LABELS['exceptions-effective'],
  'not-effective': CONCLUSION_LABELS['not-effective'],
  extend: 'Extend the sample',
};

export interface PreparedCheck {
  /** Blank attributes (letters) of each item that has any, by item key. */
  blankCells: readonly { itemKey: string; attributes: readonly string[] }[];
  /** Exception cells whose exception record has not been written. */
  exceptionsWithoutRecord: readonly { itemKey: string; attribute: string }[];
  conclusion: Conclusion | null;
  /** conclusionProblem() of the stored conclusion against the current proposal. */
  conclusionProblem: string | null;
  /** Items with blank cells, and exception cells without a record, beyond those listed (a long grid lists the first). */
  moreBlankItems?: number;
  moreExceptionsWithoutRecord?: number;
}

/** Everything that stops the preparer signing: empty when the workpaper may be marked prepared. */
export function missingBeforePrepared(check: PreparedCheck): string[] {
  const missing: string[] = [];
  for (const { itemKey, attributes } of check.blankCells) {
    missing.push(`Item ${itemKey}: attribute${attributes.length === 1 ? '' : 's'} ${attributes.join(', ')} not marked.`);
  }
  const more = (n: number | undefined, what: string) => {
    if (n) missing.push(`… and ${n.toLocaleString('en-US')} more ${what}.`);
  };
  more(check.moreBlankItems, check.moreBlankItems === 1 ? 'item with blank cells' : 'items with blank cells');
  for (const { itemKey, attribute } of check.exceptionsWithoutRecord) {
    missing.push(`Item ${itemKey}, attribute ${attribute}: the exception record is not written.`);
  }
  more(check.moreExceptionsWithoutRecord, check.moreExceptionsWithoutRecord === 1 ? 'exception without its record' : 'exceptions without their records');
  if (check.conclusion === null) missing.push('No conclusion is set.');
  else if (check.conclusionProblem) missing.push(check.conclusionProblem);
  return missing;
}

/**
 * The population's completeness and accuracy before "prepared" (a rule of its own beside missingBeforePrepared):
 * a workpaper built on a client's list whose C&A is open is not ready, whatever its grid says.
 */
export function caMissingBeforePrepared(state: CaState, populationName: string): string[] {
  if (state !== 'open') return [];
  return [`Completeness and accuracy of the population (${populationName}) is open: mark it complete, or have a senior mark it not needed with a reason.`];
}
