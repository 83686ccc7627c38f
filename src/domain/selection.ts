// Replayable sample selection: the same method, seed and population always give the same items, on any
// machine, and SELECTION_ALGORITHM_DOC says exactly how, so that a reviewer can check it independently.
import type { DateRange, IsoDate } from './types.js';
import { occurrences, toEpochDay } from './periods.js';
import { createStream, MAX_POPULATION, type RandomStream, type Seed } from './prng.js';

export { MAX_SEED, MAX_POPULATION, normaliseSeed, type Seed } from './prng.js';

export interface SelectionArgs {
  populationSize: number;
  sampleSize: number;
  seed: Seed;
}

export interface ExtensionArgs {
  populationSize: number;
  seed: Seed;
  alreadySelected: readonly number[];
  additional: number;
}

export interface PeriodSpreadArgs {
  /** Sizes of consecutive parts of the population (items per quarter, per month …). */
  strata: readonly number[];
  sampleSize: number;
  seed: Seed;
}

export interface PeriodStrata {
  /** The calendar quarters or months of the period, clipped to it. */
  ranges: DateRange[];
  /** Items per range: pass as `strata` to selectPeriodSpread. */
  strata: number[];
  /** Original item indices grouped by range (stable): position k of the concatenated population is item order[k]. */
  order: number[];
  /** Items dated outside the period or not dated validly: they belong in no stratum. */
  outside: number[];
}

export const SELECTION_ALGORITHM_DOC = `### How Tickmark selects samples (generator tickmark-selection-v1)

**Seed.** A positive integer from 1 to 2^53 − 1 (9007199254740991), entered as a number or as decimal
digits; leading zeros are dropped, so \`00042\` and \`42\` are the same seed. Below, \`<seed>\` is its decimal
form without leading zeros.

**Random stream.** A stream has a seed and a label. Its block k (k = 0, 1, 2, …) is the SHA-256 digest of
the ASCII text \`tickmark-selection-v1:<seed>:<label>:<k>\` (k in decimal, no padding, no newline), read as
eight unsigned 32-bit big-endian integers. The stream is the words of block 0, then of block 1, and so on.
Example: seed 12345, label \`random\`, block 0 hashes \`tickmark-selection-v1:12345:random:0\`.

**Uniform integer in [0, m)** (1 ≤ m ≤ 2^32). Let L = 2^32 − (2^32 mod m). Take the next word w; if
w < L the result is w mod m, otherwise discard w and take the next word (rejection, so no modulo bias).

**Indices** are 0-based positions in the population in the order it was imported (its content hash is
recorded with the selection).

**Random selection** (label \`random\`) is a Fisher–Yates shuffle of the population, stopped early: start
from the list a = [0, 1, …, N − 1]; for step i = 0, 1, 2, …: j = i + uniform(N − i); swap a[i] and a[j];
the i-th selected item is a[i]. A sample of n is the first n steps (n ≥ N gives every index, in the order
of the full shuffle). Only the swapped positions need storing, so the cost depends on n, not on N.

**Extension** (after a deviation) continues the same shuffle with the same seed: run steps 0, 1, 2, … again
and keep, in order, each a[i] that is not already in the sample, until enough items are added or the
population is exhausted. When the sample was a random selection with this seed, the extended sample equals
a random selection of the larger size.

**Systematic selection** (label \`systematic\`): with N items and a sample of n < N, the interval is the
fraction N / n. Draw r = uniform(N) (the first draw of the stream); the random start is r / n, which lies in
[0, N / n). Item i (i = 0 … n − 1) is floor(r / n + i · N / n), computed exactly in integers as
floor((r + i · N) / n). A start drawn continuously from [0, N / n) would pick the same sets with the same
probabilities: the items only change where the start crosses a multiple of 1 / n. n ≥ N gives every index.

**Period spread** splits the population into consecutive strata (for example the items of each calendar
quarter of the period, in that order) of sizes s_1 … s_k, total S, with K non-empty strata, and allocates
the sample of n:
- n ≥ S: every item of every stratum;
- K ≤ n < S: one item to each non-empty stratum, and the other n − K in proportion to s_j − 1;
- n < K: all n in proportion to s_j.
"In proportion to weights w_j" for m items (W = Σ w_j) is the largest-remainder method: stratum j first
gets floor(m · w_j / W); each item still unallocated goes to a stratum with the largest remainder
(m · w_j mod W), one per stratum, the earlier stratum first on a tie.
Within stratum j (numbered from 1) the items are a random selection of its allocation from a population of
s_j, with the label \`stratum-<j>\` instead of \`random\`, and each index is offset by the sizes of the
strata before it. The sample lists stratum 1's items first, then stratum 2's, and so on.

**Interim and roll-forward split**: two strata, the items dated in the interim window and then those in
the roll-forward window; the sample is split in proportion to the windows' lengths in days (largest
remainder, the interim window first on a tie; each non-empty window gets at least one item when n ≥ 2), and
each stratum's items are drawn exactly as in a period spread (labels \`stratum-1\`, \`stratum-2\`).

**All items**: indices 0 … N − 1 in order.`;

export function describeAlgorithm(): string {
  return SELECTION_ALGORITHM_DOC;
}

function assertCount(value: number, name: string, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new Error(`Invalid ${name} ${value}: expected a whole number from 0 to ${max}`);
  }
}

function assertPopulationSize(populationSize: number): void {
  assertCount(populationSize, 'population size', MAX_POPULATION);
}

/** The seeded Fisher–Yates shuffle of 0 … n−1, one position at a time, storing only displaced entries. */
function* shuffled(populationSize: number, stream: RandomStream): Generator<number> {
  const displaced = new Map<number, number>();
  for (let i = 0; i < populationSize; i++) {
    const j = i + stream.uniform(populationSize - i);
    const atJ = displaced.get(j) ?? j;
    displaced.set(j, displaced.get(i) ?? i);
    displaced.delete(i); // position i is never read again
    yield atJ;
  }
}

function takeRandom(populationSize: number, sampleSize: number, seed: Seed, label: string): number[] {
  assertPopulationSize(populationSize);
  assertCount(sampleSize, 'sample size');
  const picked: number[] = [];
  if (sampleSize === 0) return picked;
  for (const index of shuffled(populationSize, createStream(seed, label))) {
    picked.push(index);
    if (picked.length === sampleSize) break;
  }
  return picked;
}

/** Seeded random selection without replacement; n ≥ N returns every index in the seeded order. */
export function selectRandom({ populationSize, sampleSize, seed }: SelectionArgs): number[] {
  return takeRandom(populationSize, sampleSize, seed, 'random');
}

/** Adds items to a sample by continuing selectRandom's sequence for the seed, skipping those already selected. */
export function extendRandom({ populationSize, seed, alreadySelected, additional }: ExtensionArgs): number[] {
  assertPopulationSize(populationSize);
  assertCount(additional, 'number of additional items');
  const taken = new Set<number>();
  for (const index of alreadySelected) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= populationSize) {
      throw new Error(`Already selected index ${index} is outside the population of ${populationSize}`);
    }
    taken.add(index);
  }
  const added: number[] = [];
  if (additional === 0 || taken.size === populationSize) return added;
  for (const index of shuffled(populationSize, createStream(seed, 'random'))) {
    if (taken.has(index)) continue;
    added.push(index);
    if (added.length === additional) break;
  }
  return added;
}

/** Systematic selection: interval N / n (a fraction), random start r / n with r uniform in [0, N). */
export function selectSystematic({ populationSize, sampleSize, seed }: SelectionArgs): number[] {
  assertPopulationSize(populationSize);
  assertCount(sampleSize, 'sample size');
  if (sampleSize >= populationSize) return selectAll(populationSize);
  if (sampleSize === 0) return [];
  const r = BigInt(createStream(seed, 'systematic').uniform(populationSize));
  const [size, n] = [BigInt(populationSize), BigInt(sampleSize)];
  return Array.from({ length: sampleSize }, (_, i) => Number((r + BigInt(i) * size) / n));
}

export function selectAll(populationSize: number): number[] {
  assertPopulationSize(populationSize);
  return Array.from({ length: populationSize }, (_, i) => i);
}

/** Largest-remainder apportionment of `total` items by integer weights; ties go to the earlier entry. */
function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const [m, w] = [BigInt(total), BigInt(sum)];
  const shares = weights.map((weight, index) => ({
    index,
    base: Number((m * BigInt(weight)) / w),
    remainder: (m * BigInt(weight)) % w,
  }));
  let left = total - shares.reduce((a, s) => a + s.base, 0);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (left-- <= 0) break;
    share.base++;
  }
  return shares.map((s) => s.base);
}

/** How many items each stratum gets (see SELECTION_ALGORITHM_DOC, "Period spread"). */
export function allocateToStrata(strata: readonly number[], sampleSize: number): number[] {
  strata.forEach((size) => assertCount(size, 'stratum size', MAX_POPULATION));
  assertCount(sampleSize, 'sample size');
  const total = strata.reduce((a, b) => a + b, 0);
  if (sampleSize >= total) return [...strata];
  const nonEmpty = strata.filter((size) => size > 0).length;
  if (sampleSize < nonEmpty) return largestRemainder(sampleSize, strata);
  const rest = largestRemainder(
    sampleSize - nonEmpty,
    strata.map((size) => Math.max(size - 1, 0)),
  );
  return rest.map((count, j) => count + ((strata[j] ?? 0) > 0 ? 1 : 0));
}

/** Random selection within each part of the period, in proportion to the parts' sizes. */
export function selectPeriodSpread({ strata, sampleSize, seed }: PeriodSpreadArgs): number[] {
  return selectWithinStrata({ strata, allocation: allocateToStrata(strata, sampleSize), seed });
}

export interface WithinStrataArgs {
  strata: readonly number[];
  /** Items to draw from each stratum (at most its size). */
  allocation: readonly number[];
  seed: Seed;
}

/** A random selection of the given size inside each stratum; the interim / roll-forward split uses it too. */
export function selectWithinStrata({ strata, allocation, seed }: WithinStrataArgs): number[] {
  const picked: number[] = [];
  let offset = 0;
  strata.forEach((size, j) => {
    const take = Math.min(size, allocation[j] ?? 0);
    for (const index of takeRandom(size, take, seed, `stratum-${j + 1}`)) picked.push(offset + index);
    offset += size;
  });
  return picked;
}

export function stratifyByPeriod(dates: readonly IsoDate[], period: DateRange, by: 'quarter' | 'month'): PeriodStrata {
  const frequency = by === 'quarter' ? 'quarterly' : 'monthly';
  // Calendar quarters (counted from 1 January), whatever the period's start: the strata are part of the replayable
  // selection (tickmark-selection-v1), so they must not move with how the control's occurrences are counted.
  const ranges = occurrences(frequency, period, { periodStart: `${period.start.slice(0, 4)}-01-01` }).map(
    ({ start, end }) => ({ start, end }),
  );
  const ends = ranges.map((range) => toEpochDay(range.end));
  const first = toEpochDay(period.start);
  const members: number[][] = ranges.map(() => []);
  const outside: number[] = [];
  dates.forEach((date, item) => {
    const day = safeEpochDay(date);
    const slot = day === undefined || day < first ? -1 : ends.findIndex((end) => day <= end);
    if (slot < 0) outside.push(item);
    else members[slot]?.push(item);
  });
  return { ranges, strata: members.map((m) => m.length), order: members.flat(), outside };
}

function safeEpochDay(date: IsoDate): number | undefined {
  try {
    return toEpochDay(date);
  } catch {
    return undefined;
  }
}
