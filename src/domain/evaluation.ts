// Deviations -> upper deviation limit -> extension -> proposed control conclusion (domain.md, "Exceptions
// and the control's conclusion"). Rates are fractions throughout.

import { binomialCdf } from './binomial.js';
import { exactUpperDeviationLimit } from './sample-size.js';
import type { Conclusion, Frequency, Nature } from './types.js';

/** An extension larger than this is not proposed: the control is concluded on what was tested. */
export const MAX_EXTENDED_SAMPLE_SIZE = 5000;

/**
 * Firm policy: an extension is proposed only after at most this many deviations, and once (domain.md, "One
 * extension, after at most one deviation"). The firm's methodology settings will supply it; this is the default.
 */
export const DEFAULT_MAX_DEVIATIONS_TO_EXTEND = 1;

export interface ExtendedSampleSizeInput {
  /** The engagement's confidence (1 − risk of overreliance), default 95% in practice. */
  confidence: number;
  plannedSize: number;
  /** Deviations found so far. */
  deviations: number;
}

/** The exact upper limit of the planned size at zero deviations: 25 items at 95% → 0.1129 (11.3%). */
export function impliedTolerableRate({ confidence, plannedSize }: { confidence: number; plannedSize: number }): number {
  return exactUpperDeviationLimit({ confidence, sampleSize: plannedSize, deviations: 0 });
}

/** Smallest n in [from, cap] whose exact upper limit at k deviations is ≤ `rate`; null if none. */
function smallestSizeWithinRate(
  k: number,
  rate: number,
  confidence: number,
  from: number,
  cap = MAX_EXTENDED_SAMPLE_SIZE,
): number | null {
  const alpha = 1 - confidence;
  // Upper limit ≤ rate ⇔ P(X ≤ k; n, rate) ≤ α: a direct test, free of the bisection's own rounding.
  const qualifies = (n: number) => n > k && binomialCdf(k, n, rate) <= alpha;
  if (!qualifies(cap)) return null;
  let lo = Math.max(from, 1) - 1;
  let hi = cap;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (qualifies(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface ExtensionSizeInput {
  confidence: number;
  plannedSize: number;
  deviations: number;
  /**
   * The tolerable rate a statistically sized sample states (fraction). Omitted or null for a sample sized from
   * the firm's table, whose tolerable rate is the one its planned size implies.
   */
  tolerableRate?: number | null;
  /** Extension rule for table-sized samples (default exact). Statistical samples always use the exact rule. */
  extension?: ExtensionMethod;
  /** Never search below this many items (the items already tested); default 1. */
  atLeast?: number;
  /** The size whose implied rate is tolerated when none is stated: the proposal's, which a smaller sample approved
   * by a manager keeps (default plannedSize). */
  toleranceSize?: number | null;
}

/**
 * The one rule for how large a sample must be for `deviations` to give the assurance it was planned for: the
 * smallest n whose exact upper limit at those deviations is within the tolerable rate (the stated one, or the one
 * the planned size implies), or the firm's rule-of-thumb table. Null when no size up to MAX_EXTENDED_SAMPLE_SIZE
 * (or no row of the table) covers them. The workpaper and the sampling calculator both size extensions with it.
 */
export function extensionSize({
  confidence,
  plannedSize,
  deviations,
  tolerableRate,
  extension,
  atLeast = 1,
  toleranceSize,
}: ExtensionSizeInput): number | null {
  if (!Number.isInteger(deviations) || deviations < 0) {
    throw new RangeError(`deviations must be a whole number ≥ 0, got ${deviations}`);
  }
  const stated = tolerableRate !== undefined && tolerableRate !== null;
  if (!stated && extension?.method === 'rule-of-thumb') {
    return ruleOfThumbExtendedSampleSize({ plannedSize, deviations, table: extension.table });
  }
  if (deviations === 0 && !stated) return plannedSize;
  const rate = stated ? tolerableRate : impliedTolerableRate({ confidence, plannedSize: toleranceSize ?? plannedSize });
  if (!(rate > 0 && rate < 1)) throw new RangeError(`the tolerable rate must be in (0, 1), got ${rate}`);
  return smallestSizeWithinRate(deviations, rate, confidence, 1, Math.max(MAX_EXTENDED_SAMPLE_SIZE, atLeast));
}

/**
 * Exact extension of a table-sized sample: the smallest n′ whose exact upper limit at `deviations` is ≤ the exact
 * upper limit of the planned size at zero. At 95%: 25 → 41 (one deviation), 54 (two); 60 → 96 (one). At 90%:
 * 25 → 43. Throws when the extension would exceed MAX_EXTENDED_SAMPLE_SIZE.
 */
export function extendedSampleSize({ confidence, plannedSize, deviations }: ExtendedSampleSizeInput): number {
  const size = extensionSize({ confidence, plannedSize, deviations });
  if (size === null) {
    const limit = MAX_EXTENDED_SAMPLE_SIZE;
    throw new RangeError(`no extension of ${plannedSize} within ${limit} items covers ${deviations} deviations`);
  }
  return size;
}

/** One row of a firm's rule-of-thumb extension table. */
export interface RuleOfThumbExtension {
  plannedSize: number;
  deviations: number;
  extendedSize: number;
}

/**
 * A common firm shortcut instead of the exact rule: one deviation in 25 → test 40 in all, in 60 → 100.
 * No row for more deviations: under this rule a second deviation means the control is not effective.
 */
export const DEFAULT_RULE_OF_THUMB_EXTENSIONS: readonly RuleOfThumbExtension[] = [
  { plannedSize: 25, deviations: 1, extendedSize: 40 },
  { plannedSize: 60, deviations: 1, extendedSize: 100 },
];

/** The firm's rule-of-thumb extension, or null when the table has no row (no extension is allowed). */
export function ruleOfThumbExtendedSampleSize({
  plannedSize,
  deviations,
  table = DEFAULT_RULE_OF_THUMB_EXTENSIONS,
}: {
  plannedSize: number;
  deviations: number;
  table?: readonly RuleOfThumbExtension[];
}): number | null {
  if (deviations === 0) return plannedSize;
  const row = table.find((r) => r.plannedSize === plannedSize && r.deviations === deviations);
  return row?.extendedSize ?? null;
}

/**
 * What the figures propose. 'extend': draw and test the one extension the policy allows. 'replace' (proposed by
 * the workpaper's evaluation, never by proposedConclusion): items that were not occurrences of the control must be
 * replaced before the sample supports anything.
 */
export type ProposedConclusion = 'no-exceptions' | 'exceptions-effective' | 'not-effective' | 'extend' | 'replace';

export type ExtensionMethod =
  | { method: 'exact' }
  | { method: 'rule-of-thumb'; table?: readonly RuleOfThumbExtension[] };

export interface ProposedConclusionInput {
  frequency: Frequency;
  nature: Nature;
  /** How the planned size was set: the firm's table, or statistical attribute sampling. */
  sizing: 'table' | 'statistical';
  confidence: number;
  /** Tolerable deviation rate (fraction); required for statistical sizing, ignored for table sizing. */
  tolerableRate?: number;
  plannedSize: number;
  /** The size the table proposed, when the sample is smaller or larger: table sizing implies its tolerable rate
   * from the larger of this and plannedSize (default plannedSize). */
  proposedSize?: number | null;
  /** Items tested so far, extension included. */
  tested: number;
  /** Deviations among them (an item that could not be tested counts as one). */
  deviations: number;
  /** An extension has already been tested. Default: more items were tested than planned. */
  extended?: boolean;
  /** Items in the population, when known: no extension is proposed beyond it. */
  populationSize?: number;
  /** Extension rule for table-sized samples (default exact). Statistical samples always use the exact rule. */
  extension?: ExtensionMethod;
  /** Firm policy: no extension is proposed after more deviations than this (DEFAULT_MAX_DEVIATIONS_TO_EXTEND). */
  maxDeviationsToExtend?: number;
}

/** Too few occurrences in the period for an extension to restore assurance. */
const NO_EXTENSION_FREQUENCIES: readonly Frequency[] = ['annual', 'semi-annual', 'quarterly', 'monthly'];

/** False for annual, semi-annual, quarterly and monthly controls and automated ones: any deviation there is "not effective". */
export function canBeExtended(frequency: Frequency, nature: Nature): boolean {
  return nature !== 'automated' && !NO_EXTENSION_FREQUENCIES.includes(frequency);
}

function validateInput({
  confidence,
  plannedSize,
  tested,
  deviations,
  populationSize,
  maxDeviationsToExtend,
}: ProposedConclusionInput): void {
  const whole = (v: number) => Number.isInteger(v) && v >= 0;
  const fail = (message: string) => {
    throw new RangeError(message);
  };
  if (!(confidence > 0 && confidence < 1)) fail(`confidence must be strictly between 0 and 1, got ${confidence}`);
  if (!whole(plannedSize) || plannedSize < 1) fail(`plannedSize must be a whole number ≥ 1, got ${plannedSize}`);
  if (!whole(tested)) fail(`tested must be a whole number ≥ 0, got ${tested}`);
  if (!whole(deviations) || deviations > tested) fail(`deviations must be in 0..${tested}, got ${deviations}`);
  if (populationSize !== undefined && !whole(populationSize)) fail(`populationSize must be a whole number ≥ 0`);
  if (maxDeviationsToExtend !== undefined && !whole(maxDeviationsToExtend))
    fail(`maxDeviationsToExtend must be a whole number ≥ 0, got ${maxDeviationsToExtend}`);
  // Nothing tested is no evidence either way: neither "no exceptions" nor any other figure-based proposal.
  // A control that never operated is 'no-testing', decided from its empty population, not here.
  if (tested === 0) throw new RangeError('no items tested yet: no conclusion can be proposed');
}

/** Size the sample must reach for these deviations, or null when no extension can cover them. */
function requiredSize(input: ProposedConclusionInput): number | null {
  const { sizing, extension, plannedSize, tested, deviations, confidence } = input;
  if (
    sizing === 'statistical' &&
    (input.tolerableRate === undefined || !(input.tolerableRate > 0 && input.tolerableRate < 1))
  ) {
    throw new RangeError('a statistically sized sample needs a tolerable rate in (0, 1)');
  }
  const tolerableRate = sizing === 'statistical' ? input.tolerableRate : null;
  return extensionSize({
    confidence,
    plannedSize,
    deviations,
    tolerableRate,
    extension: sizing === 'table' ? extension : undefined,
    atLeast: tested,
    toleranceSize: Math.max(plannedSize, input.proposedSize ?? plannedSize),
  });
}

/**
 * The conclusion the figures support (the auditor may then choose a harsher one freely):
 * 0 deviations → no exceptions; annual/quarterly/monthly or automated with any deviation → not effective;
 * otherwise the sample supports the control once it reaches the size these deviations require (exact rule:
 * upper limit ≤ tolerable, the implied rate of the planned size for table sizing; or the firm's rule-of-thumb
 * table, where no row means no extension). Short of that size, one extension is proposed, and only after at most
 * `maxDeviationsToExtend` deviations (default 1). Once an extension has been tested, deviations beyond the policy,
 * or a sample still short of its size, mean "not effective": no second extension is ever proposed (going further
 * is the auditor's override, approved by the manager). Throws before any item is tested.
 */
export function proposedConclusion(input: ProposedConclusionInput): ProposedConclusion {
  validateInput(input);
  const { frequency, nature, tested, deviations, plannedSize, populationSize } = input;
  const maxDeviations = input.maxDeviationsToExtend ?? DEFAULT_MAX_DEVIATIONS_TO_EXTEND;
  if (deviations === 0) return 'no-exceptions';
  if (!canBeExtended(frequency, nature)) return 'not-effective';
  const extended = input.extended ?? tested > plannedSize;
  if (extended && deviations > maxDeviations) return 'not-effective';
  const needed = requiredSize(input);
  if (needed === null) return 'not-effective';
  if (tested >= needed) return 'exceptions-effective';
  if (extended || deviations > maxDeviations) return 'not-effective';
  const fitsPopulation = populationSize === undefined || needed <= populationSize;
  return fitsPopulation ? 'extend' : 'not-effective';
}

// ---------------------------------------------------------------------------------------------------------
// Comparing conclusions: "harsher freely, softer only with a written rationale".

const SEVERITY: Record<Exclude<Conclusion, 'no-testing'>, number> = {
  'no-exceptions': 0,
  'exceptions-effective': 1,
  'not-effective': 2,
};

/** 0, 1, 2 from best to worst; null for 'no-testing', which is a different kind of result, not a grade. */
export function conclusionSeverity(c: Conclusion): number | null {
  return c === 'no-testing' ? null : SEVERITY[c];
}

/**
 * True when `a` is strictly harsher than `b`. Anything involving 'no-testing' is not comparable and returns
 * false, so moving to or from it needs a rationale like any softening.
 */
export function isHarsher(a: Conclusion, b: Conclusion): boolean {
  const sa = conclusionSeverity(a);
  const sb = conclusionSeverity(b);
  return sa !== null && sb !== null && sa > sb;
}
