// A control's test grid -> the figures the auditor concludes on, the checks before "prepared" (domain.md,
// "Controls and how they are tested" and "Exceptions and the control's conclusion").

import {
  canBeExtended,
  DEFAULT_MAX_DEVIATIONS_TO_EXTEND,
  extensionSize,
  impliedTolerableRate,
  proposedConclusion,
  type ExtensionMethod,
  type ProposedConclusion,
} from './evaluation.js';
import { upperDeviationLimit } from './sample-size.js';
import { samplingBasis, type SamplingBasis, type SelectionMethod } from './sampling-methods.js';
import type { Frequency, Nature } from './types.js';

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
  /** Items that count towards the sample: every item drawn except those replaced. */
  itemsInSample: number;
  itemsTested: number;
  deviations: number;
  blankCells: number;
  /** Items not applicable on every attribute and not (yet) replaced: not occurrences of the control. */
  notApplicableItems: number;
  /** Items replaced by another item of the seeded sequence: kept as documentation, outside every other figure. */
  replacedItems: number;
}

/** An item of the grid that was replaced: its marks no longer count. */
export const REPLACED = 'replaced';
export type GridItemMarks = ItemMarks | typeof REPLACED;

export function gridFigures(items: readonly GridItemMarks[]): GridFigures {
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
  /** These items were replaced (their marks count for nothing). */
  replaced?: boolean;
}

/** The marks of one item with these counts; which attribute holds which mark changes no figure. */
export function marksOf(c: Omit<MarkCount, 'items' | 'replaced'>): ItemMarks {
  const pass = c.marked - c.exceptions - c.notApplicable;
  if (pass < 0 || c.marked > c.attributes) throw new Error(`marks do not add up: ${JSON.stringify(c)}`);
  return [
    ...Array<CellResult>(c.exceptions).fill('exception'),
    ...Array<CellResult>(c.notApplicable).fill('na'),
    ...Array<CellResult>(pass).fill('pass'),
    ...Array<null>(c.attributes - c.marked).fill(null),
  ];
}

/** The figures of a grid given as counts of items per kind of marks (see MarkCount). */
export function figuresOfCounts(counts: readonly MarkCount[]): GridFigures {
  return tallyFigures(counts.map((c) => ({ marks: c.replaced ? REPLACED : marksOf(c), count: c.items })));
}

function tallyFigures(tally: readonly { marks: GridItemMarks; count: number }[]): GridFigures {
  const figures: GridFigures = {
    itemsInSample: 0,
    itemsTested: 0,
    deviations: 0,
    blankCells: 0,
    notApplicableItems: 0,
    replacedItems: 0,
  };
  for (const { marks, count } of tally) {
    if (marks === REPLACED) {
      figures.replacedItems += count;
      continue;
    }
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
  /** How the items were selected: only a random selection is evaluated statistically. */
  method: SelectionMethod;
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
  /** An extension has been drawn (sample items beyond the planned round, replacements apart). */
  extensionDrawn: boolean;
  /** The engagement's extension rule for table-sized samples (default exact); statistical ones use the exact rule. */
  extension?: ExtensionMethod;
  /** The engagement's policy: an extension after at most this many deviations (default DEFAULT_MAX_DEVIATIONS_TO_EXTEND). */
  maxDeviationsToExtend?: number;
}

export interface Evaluation extends GridFigures {
  /** No blank cell anywhere in the grid. */
  complete: boolean;
  /** How the result is read: statistically, as a non-statistical sample, or as a test of every item. */
  basis: SamplingBasis;
  /** Achieved upper deviation limit in percent, rounded up to 0.1; null before anything is tested, and for a
   * sample that is not statistical or covers the whole population. */
  upperLimitPct: number | null;
  /** Fraction: stated for a statistical sample, implied by the planned size otherwise. */
  tolerableRate: number;
  tolerableStated: boolean;
  /** The rule's proposal on the items tested so far; null before anything is tested. */
  proposal: ProposedConclusion | null;
  /** Size the sample must reach when the proposal is to extend (the one extension the policy allows). */
  requiredSize: number | null;
  /** Items still to draw to reach requiredSize (0 when already drawn). */
  toDraw: number;
  /** Items not applicable on every attribute that can still be replaced from the population. */
  replacementsNeeded: number;
  /**
   * When the figures propose "not effective" after deviations the policy does not extend for (or after the one
   * extension): the size a further extension would need. Drawn only as an override the manager approves.
   */
  extensionByOverride: number | null;
}

/**
 * The size whose zero-deviation upper limit is a table-sized sample's implied tolerable rate: the larger of the
 * proposal and the sample. A smaller sample (approved by a manager) keeps the proposal's rate; a larger one is held
 * to its own, tighter rate, never loosened back to the proposal's.
 */
export function toleranceSize(facts: Pick<SampleFacts, 'plannedSize' | 'proposedSize'>): number {
  return Math.max(facts.plannedSize, facts.proposedSize ?? facts.plannedSize);
}

function tolerableOf(facts: SampleFacts, basis: SamplingBasis): { rate: number; stated: boolean } {
  if (basis === 'statistical' && facts.sizing === 'statistical' && facts.tolerableRate !== null)
    return { rate: facts.tolerableRate, stated: true };
  return {
    rate: impliedTolerableRate({ confidence: facts.confidence, plannedSize: toleranceSize(facts) }),
    stated: false,
  };
}

/** The extension these deviations call for under the engagement's rule (the rule of thumb only for a table-sized
 * sample read by the table rule), or null when none covers them. */
function extensionFor(
  facts: SampleFacts,
  deviations: number,
  tested: number,
  tolerable: { rate: number; stated: boolean },
): number | null {
  const extension = tolerable.stated ? undefined : facts.extension;
  return extensionSize({
    confidence: facts.confidence,
    plannedSize: facts.plannedSize,
    deviations,
    tolerableRate: tolerable.stated ? tolerable.rate : null,
    extension,
    atLeast: tested,
    toleranceSize: toleranceSize(facts),
  });
}

/**
 * The live figures of a workpaper. An extension counts as tested (the rule's `extended`) only once every cell is
 * marked, so a half-tested extension still reads "extend" while it can still cover the deviations found.
 * `items` lists every item drawn, a replaced one as REPLACED.
 */
export function evaluateWorkpaper(facts: SampleFacts, items: readonly GridItemMarks[]): Evaluation {
  return evaluateFigures(facts, gridFigures(items));
}

/** The rule's proposal and the extension it calls for; a drawn extension is never followed by a second. */
function proposalOf(
  facts: SampleFacts,
  figures: GridFigures,
  tolerable: { rate: number; stated: boolean },
  complete: boolean,
) {
  const { itemsTested: tested, deviations } = figures;
  if (tested === 0) return { proposal: null, requiredSize: null };
  const maxDeviationsToExtend = facts.maxDeviationsToExtend ?? DEFAULT_MAX_DEVIATIONS_TO_EXTEND;
  // Haphazard, judgmental and 100% tests conclude by the table rule: the rate the planned size implies.
  const sizing = tolerable.stated ? 'statistical' : 'table';
  const rule = {
    ...facts,
    sizing,
    tolerableRate: tolerable.rate,
    tested,
    deviations,
    maxDeviationsToExtend,
    extension: facts.extension ?? ({ method: 'exact' } as const),
  } as const;
  const proposal = proposedConclusion({ ...rule, extended: facts.extensionDrawn && complete });
  if (proposal !== 'extend') return { proposal, requiredSize: null };
  const size = extensionFor(facts, deviations, tested, tolerable);
  // An extension drawn and partly tested that can no longer cover the deviations found is not extended again.
  if (size === null || (facts.extensionDrawn && size > figures.itemsInSample))
    return { proposal: 'not-effective' as const, requiredSize: null };
  return { proposal, requiredSize: size };
}

/** evaluateWorkpaper from the grid's figures alone (see figuresOfCounts). */
export function evaluateFigures(facts: SampleFacts, figures: GridFigures): Evaluation {
  const complete = figures.blankCells === 0;
  const basis = samplingBasis(facts.method, facts.plannedSize, facts.populationSize);
  const tolerable = tolerableOf(facts, basis);
  const { itemsTested: tested, deviations } = figures;
  const { proposal: figuresProposal, requiredSize } = proposalOf(facts, figures, tolerable, complete);
  const undrawn = Math.max(0, facts.populationSize - figures.itemsInSample - figures.replacedItems);
  const replacementsNeeded = Math.min(figures.notApplicableItems, undrawn);
  // An item that was not an occurrence leaves the sample short: nothing is concluded in its favour until replaced.
  const short =
    replacementsNeeded > 0 && (figuresProposal === 'no-exceptions' || figuresProposal === 'exceptions-effective');
  return {
    ...figures,
    complete,
    basis,
    upperLimitPct:
      tested === 0 || basis !== 'statistical'
        ? null
        : upperDeviationLimit({ confidence: facts.confidence, sampleSize: tested, deviations }),
    tolerableRate: tolerable.rate,
    tolerableStated: tolerable.stated,
    proposal: short ? 'replace' : figuresProposal,
    requiredSize,
    toDraw: requiredSize === null ? 0 : Math.max(0, requiredSize - figures.itemsInSample),
    replacementsNeeded,
    extensionByOverride: figuresProposal === 'not-effective' ? furtherExtension(facts, figures, tolerable) : null,
  };
}

function furtherExtension(
  facts: SampleFacts,
  figures: GridFigures,
  tolerable: { rate: number; stated: boolean },
): number | null {
  const { itemsTested: tested, deviations, itemsInSample, replacedItems } = figures;
  if (tested === 0 || deviations === 0 || !canBeExtended(facts.frequency, facts.nature)) return null;
  const size = extensionFor(facts, deviations, tested, tolerable);
  const room = facts.populationSize - replacedItems;
  return size !== null && size > itemsInSample && size <= room ? size : null;
}

export {
  CONCLUSION_LABELS,
  type ConclusionChoice,
  conclusionProblem,
  isSofterThanFigures,
  PROPOSAL_LABELS,
  proposalAsConclusion,
} from './conclusion-choice.js';
export { caMissingBeforePrepared, missingBeforePrepared, type PreparedCheck } from './prepared-check.js';
