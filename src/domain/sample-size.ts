// Sample sizes: the firm's table by frequency and risk, and statistical attribute sampling
// (AICPA Audit Sampling guide, Appendix A, tables ).

import { binomialCdf, clopperPearsonUpper, stripFloatNoise } from './binomial.js';
import { PERIODIC_FREQUENCIES, type Frequency, type Nature, type Risk } from './types.js';

/** Beyond this the guide calls a sample impractical; the app proposes no size. */
export const MAX_STATISTICAL_SAMPLE_SIZE = 5000;

function riskOfOverreliance(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  }
  return 1 - confidence;
}

function assertRate(name: string, value: number, { allowZero }: { allowZero: boolean }): void {
  const ok = allowZero ? value >= 0 && value < 1 : value > 0 && value < 1;
  if (!ok) throw new RangeError(`${name} must be a fraction ${allowZero ? 'in [0, 1)' : 'in (0, 1)'}, got ${value}`);
}

/** Expected number of deviations in a sample of n: ⌈n·E⌉ after stripping floating-point noise. */
export function expectedDeviations(sampleSize: number, expectedRate: number): number {
  return Math.ceil(stripFloatNoise(sampleSize * expectedRate));
}

export interface StatisticalSampleSizeInput {
  /** 1 − risk of overreliance, as a fraction (0.95). */
  confidence: number;
  /** Tolerable deviation rate T, as a fraction (0.05). */
  tolerableRate: number;
  /** Expected population deviation rate E, as a fraction (0.01). */
  expectedRate: number;
}

/** Largest n′ ≥ n (up to the cap) whose expected number of deviations is still k. */
function lastSizeWithSameExpectedDeviations(n: number, k: number, expectedRate: number): number {
  let lo = n;
  let hi = MAX_STATISTICAL_SAMPLE_SIZE;
  if (expectedDeviations(hi, expectedRate) === k) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (expectedDeviations(mid, expectedRate) === k) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Smallest n in [from, to] with P(X ≤ k; n, T) ≤ α, given that `to` qualifies (the CDF falls as n grows). */
function smallestQualifyingSize(from: number, to: number, k: number, tolerableRate: number, alpha: number): number {
  let lo = from - 1;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(k, mid, tolerableRate) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Smallest n with P(X ≤ ⌈n·E⌉; n, T) ≤ α, as in AICPA tables A-1 (α = 5%) and A-2 (α = 10%);
 * null when no n up to 5,000 qualifies (the tables print "*" for sizes too large to be practical).
 */
export function statisticalSampleSize({
  confidence,
  tolerableRate,
  expectedRate,
}: StatisticalSampleSizeInput): number | null {
  const alpha = riskOfOverreliance(confidence);
  assertRate('tolerableRate', tolerableRate, { allowZero: false });
  assertRate('expectedRate', expectedRate, { allowZero: true });
  // Zero expected deviations is the smallest n any k allows, so start the search there.
  let n = Math.max(1, Math.ceil(stripFloatNoise(Math.log(alpha) / Math.log1p(-tolerableRate))));
  // k = ⌈n·E⌉ is constant over runs of n, and within a run the CDF only falls: test each run's last size,
  // then bisect inside the first run that qualifies.
  while (n <= MAX_STATISTICAL_SAMPLE_SIZE) {
    const k = expectedDeviations(n, expectedRate);
    const last = lastSizeWithSameExpectedDeviations(n, k, expectedRate);
    if (binomialCdf(k, last, tolerableRate) <= alpha) return smallestQualifyingSize(n, last, k, tolerableRate, alpha);
    n = last + 1;
  }
  return null;
}

export interface UpperDeviationLimitInput {
  confidence: number;
  sampleSize: number;
  deviations: number;
}

/** Exact (Clopper–Pearson) one-sided upper deviation limit, as a fraction, unrounded. */
export function exactUpperDeviationLimit({ confidence, sampleSize, deviations }: UpperDeviationLimitInput): number {
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new RangeError(`sampleSize must be a whole number ≥ 1, got ${sampleSize}`);
  }
  if (!Number.isInteger(deviations) || deviations < 0 || deviations > sampleSize) {
    throw new RangeError(`deviations must be a whole number in 0..${sampleSize}, got ${deviations}`);
  }
  return clopperPearsonUpper(deviations, sampleSize, riskOfOverreliance(confidence));
}

/**
 * Upper deviation limit in percent, rounded UP to 0.1 as in AICPA tables A-3 and A-4 (60 items, no deviation,
 * 95% → 4.9). Noise is stripped first so that 95.1000000000001 stays 95.1.
 */
export function upperDeviationLimit(input: UpperDeviationLimitInput): number {
  const tenthsOfPercent = stripFloatNoise(exactUpperDeviationLimit(input) * 1000);
  return Math.ceil(tenthsOfPercent) / 10;
}

// ---------------------------------------------------------------------------------------------------------
// The firm's sample-size table (guidance route).

export interface SampleSizeByRisk {
  lower: number;
  higher: number;
}
export type SampleSizeTable = Readonly<Record<Frequency, Readonly<SampleSizeByRisk>>>;

export const DEFAULT_SAMPLE_SIZE_TABLE: SampleSizeTable = {
  annual: { lower: 1, higher: 1 },
  'semi-annual': { lower: 1, higher: 2 },
  quarterly: { lower: 2, higher: 2 },
  monthly: { lower: 2, higher: 3 },
  'semi-monthly': { lower: 3, higher: 5 },
  weekly: { lower: 5, higher: 10 },
  daily: { lower: 20, higher: 40 },
  'multiple-daily': { lower: 25, higher: 60 },
  'event-driven': { lower: 25, higher: 60 },
};

export type GuidanceBasis = 'table' | 'pro-rata' | 'whole-population' | 'automated' | 'no-occurrences';

export interface GuidanceSampleSizeInput {
  frequency: Frequency;
  nature: Nature;
  risk: Risk;
  /** Occurrences or items in the population, when known. */
  populationSize?: number;
  /** Length of the window in months; under 12 it is explained, and scales sizes down only with `proRata`. */
  periodMonths?: number;
  /** The firm's table; defaults to DEFAULT_SAMPLE_SIZE_TABLE. */
  table?: SampleSizeTable;
  /** The firm's setting: scale sizes of calendar-driven controls pro rata for periods under 12 months (default
   * false, which keeps the assurance: see shortPeriodSentence). */
  proRata?: boolean;
}

export interface GuidanceSampleSize {
  size: number;
  /** Plain-English sentences for the workpaper. */
  rationale: string;
  /** The last rule that set the size. */
  basis: GuidanceBasis;
}

const FREQUENCY_LABELS: Record<Frequency, string> = {
  annual: 'Annual',
  'semi-annual': 'Semi-annual',
  quarterly: 'Quarterly',
  monthly: 'Monthly',
  'semi-monthly': 'Semi-monthly',
  weekly: 'Weekly',
  daily: 'Daily',
  'multiple-daily': 'Multiple-times-a-day',
  'event-driven': 'Event-driven',
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function isPeriodic(frequency: Frequency): boolean {
  return (PERIODIC_FREQUENCIES as readonly string[]).includes(frequency);
}

/** Daily and more frequent: populations so large that the size barely depends on how long the period is. */
const HIGH_FREQUENCIES: readonly Frequency[] = ['daily', 'multiple-daily', 'event-driven'];

const months = (m: number) => plural(Number(m.toFixed(1)), 'month');

/**
 * Why a period under 12 months keeps the table size when pro rata is off. For a daily or more frequent control
 * the binomial size is all but independent of the population once it is large, so halving the period must not
 * halve the assurance; a periodic control is capped at the occurrences in the window (the population rule).
 */
function shortPeriodSentence(frequency: Frequency, periodMonths: number): string {
  if (!HIGH_FREQUENCIES.includes(frequency)) {
    return `Period of ${months(periodMonths)}: the table size holds, capped at the occurrences in the window.`;
  }
  if (periodMonths >= 6 - 1e-9)
    return `Period of ${months(periodMonths)}: the table size holds for any period of six months or more.`;
  return `Period of ${months(periodMonths)}, shorter than six months: the table size is kept.`;
}

function tableSize(table: SampleSizeTable, frequency: Frequency, risk: Risk): number {
  const size = table[frequency]?.[risk];
  if (size === undefined || !Number.isInteger(size) || size < 1) {
    throw new RangeError(`the sample-size table has no valid size for ${frequency} / ${risk} risk`);
  }
  return size;
}

/** Ceiling keeps the scaled size conservative (40 over 7 months: 23.3 → 24), and never below 1. */
export function proRataSize(size: number, periodMonths: number): number {
  return Math.max(1, Math.ceil(stripFloatNoise((size * periodMonths) / 12)));
}

function validateGuidanceInput({ populationSize, periodMonths }: GuidanceSampleSizeInput): void {
  if (populationSize !== undefined && (!Number.isInteger(populationSize) || populationSize < 0)) {
    throw new RangeError(`populationSize must be a whole number ≥ 0, got ${populationSize}`);
  }
  if (periodMonths !== undefined && !(periodMonths > 0)) {
    throw new RangeError(`periodMonths must be positive, got ${periodMonths}`);
  }
}

/** A window under 12 months: scaled pro rata only where the firm turned it on, otherwise the size holds. */
function forShortPeriod(
  frequency: Frequency,
  size: number,
  periodMonths: number,
  proRata: boolean,
): { size: number; sentence: string; scaled: boolean } {
  if (!proRata || !isPeriodic(frequency))
    return { size, sentence: shortPeriodSentence(frequency, periodMonths), scaled: false };
  const scaled = proRataSize(size, periodMonths);
  return {
    size: scaled,
    sentence: `Reporting period of ${months(periodMonths)}: table size ${size} scaled pro rata to ${scaled}.`,
    scaled: true,
  };
}

/** Sample size from the firm's table, adjusted for automation, a short period and a small population. */
export function guidanceSampleSize(input: GuidanceSampleSizeInput): GuidanceSampleSize {
  validateGuidanceInput(input);
  const {
    frequency,
    nature,
    risk,
    populationSize,
    periodMonths,
    table = DEFAULT_SAMPLE_SIZE_TABLE,
    proRata = false,
  } = input;
  if (populationSize === 0) {
    return {
      size: 0,
      basis: 'no-occurrences',
      rationale: 'The control did not operate in the period: no occurrences to test.',
    };
  }
  if (nature === 'automated') {
    return {
      size: 1,
      basis: 'automated',
      rationale: 'Automated control: 1 occurrence tested, relying on tested IT general controls.',
    };
  }
  let size = tableSize(table, frequency, risk);
  let basis: GuidanceBasis = 'table';
  const sentences = [
    `${FREQUENCY_LABELS[frequency]} control, ${risk} risk of failure: ` +
      `${plural(size, 'occurrence')} per the firm's sample-size table.`,
  ];
  if (periodMonths !== undefined && periodMonths < 12) {
    const short = forShortPeriod(frequency, size, periodMonths, proRata);
    sentences.push(short.sentence);
    if (short.scaled) [size, basis] = [short.size, 'pro-rata'];
  }
  if (populationSize !== undefined && populationSize < size) {
    const what = basis === 'pro-rata' ? 'pro-rata size' : 'table size';
    const tested = populationSize === 1 ? 'the single item' : `all ${populationSize} items`;
    sentences.push(
      `Population of ${plural(populationSize, 'item')} is smaller than the ${what} of ${size}: ${tested} tested.`,
    );
    size = populationSize;
    basis = 'whole-population';
  }
  return { size, basis, rationale: sentences.join(' ') };
}
