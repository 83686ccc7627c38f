import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateToStrata,
  describeAlgorithm,
  extendRandom,
  normaliseSeed,
  SELECTION_ALGORITHM_DOC,
  selectAll,
  selectPeriodSpread,
  selectRandom,
  selectSystematic,
  stratifyByPeriod,
} from '../../src/domain/selection.js';
import { createStream } from '../../src/domain/prng.js';

const seedArb = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const populationArb = fc.integer({ min: 0, max: 5_000 });
const sizeArb = fc.integer({ min: 0, max: 120 });

/** The shuffle exactly as SELECTION_ALGORITHM_DOC words it, on a full array: the reference for small N. */
function referenceShuffle(populationSize: number, sampleSize: number, seed: number, label = 'random'): number[] {
  const stream = createStream(seed, label);
  const a = Array.from({ length: populationSize }, (_, i) => i);
  const picked: number[] = [];
  for (let i = 0; i < Math.min(sampleSize, populationSize); i++) {
    const j = i + stream.uniform(populationSize - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
    picked.push(a[i]!);
  }
  return picked;
}

describe('the generator', () => {
  it('reads SHA-256 of the documented text as big-endian 32-bit words', () => {
    const stream = createStream(12345, 'random');
    const block = (k: number) => createHash('sha256').update(`tickmark-selection-v1:12345:random:${k}`).digest();
    const expected = [...Array.from({ length: 8 }, (_, i) => block(0).readUInt32BE(4 * i)), block(1).readUInt32BE(0)];
    expect(Array.from({ length: 9 }, () => stream.nextWord())).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual([1133734558, 1780265481, 1909373746]);
  });

  it('draws every value of a small range about equally often', () => {
    const stream = createStream(99, 'uniformity');
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[stream.uniform(6)]!++;
    const chiSquare = counts.reduce((sum, c) => sum + (c - 10_000) ** 2 / 10_000, 0);
    expect(chiSquare).toBeLessThan(20.5); // p = 0.001 at 5 degrees of freedom
  });

  it('stays inside the bound, including the extremes', () => {
    const stream = createStream(5, 'bounds');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), (bound) => {
        const value = stream.uniform(bound);
        return Number.isInteger(value) && value >= 0 && value < bound;
      }),
    );
    expect(stream.uniform(1)).toBe(0);
    expect(() => stream.uniform(0)).toThrow();
    expect(() => stream.uniform(2 ** 32 + 1)).toThrow();
  });

  it('accepts seeds from 1 to 2^53 − 1, as numbers or digit strings', () => {
    expect(normaliseSeed(42)).toBe('42');
    expect(normaliseSeed('00042')).toBe('42');
    expect(normaliseSeed(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(normaliseSeed('9007199254740991')).toBe('9007199254740991');
    for (const bad of [
      0,
      -1,
      1.5,
      2 ** 53,
      Number.NaN,
      '0',
      '',
      '12a',
      '-5',
      '1e5',
      '9007199254740992',
      ' 42',
    ] as const) {
      expect(() => normaliseSeed(bad), String(bad)).toThrow(/Invalid seed/);
    }
  });
});

describe('selectRandom', () => {
  it('keeps its golden values (seed 12345, 25 of 1,000)', () => {
    const sample = selectRandom({ populationSize: 1000, sampleSize: 25, seed: 12345 });
    expect(sample.slice(0, 10)).toEqual([558, 529, 148, 615, 386, 2, 13, 536, 896, 376]);
    expect(sample).toEqual([
      558, 529, 148, 615, 386, 2, 13, 536, 896, 376, 901, 971, 726, 33, 806, 905, 289, 652, 504, 50, 718, 773, 347, 202,
      485,
    ]);
    expect(selectRandom({ populationSize: 10, sampleSize: 10, seed: 7 })).toEqual([7, 1, 3, 0, 2, 8, 6, 5, 4, 9]);
    expect(selectRandom({ populationSize: 1_000_000, sampleSize: 5, seed: '9007199254740991' })).toEqual([
      836498, 490820, 518487, 582167, 663934,
    ]);
  });

  it('gives distinct in-population indices, min(size, N) of them, the same for the same seed', () => {
    fc.assert(
      fc.property(populationArb, sizeArb, seedArb, (populationSize, sampleSize, seed) => {
        const sample = selectRandom({ populationSize, sampleSize, seed });
        expect(sample).toHaveLength(Math.min(sampleSize, populationSize));
        expect(new Set(sample).size).toBe(sample.length);
        expect(sample.every((i) => Number.isInteger(i) && i >= 0 && i < populationSize)).toBe(true);
        expect(selectRandom({ populationSize, sampleSize, seed: String(seed) })).toEqual(sample);
      }),
    );
  });

  it('matches the documented full-array Fisher–Yates shuffle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 320 }), seedArb, (n, size, seed) => {
        expect(selectRandom({ populationSize: n, sampleSize: size, seed })).toEqual(referenceShuffle(n, size, seed));
      }),
    );
  });

  it('returns every index, in the seeded order, when the sample is the whole population', () => {
    const all = selectRandom({ populationSize: 50, sampleSize: 80, seed: 3 });
    expect([...all].sort((a, b) => a - b)).toEqual(selectAll(50));
    expect(all).toEqual(referenceShuffle(50, 50, 3));
  });

  it('depends on the seed', () => {
    const a = selectRandom({ populationSize: 1_000_000, sampleSize: 25, seed: 1 });
    expect(selectRandom({ populationSize: 1_000_000, sampleSize: 25, seed: 2 })).not.toEqual(a);
  });

  it('costs the same whatever the population size', () => {
    const started = performance.now();
    const sample = selectRandom({ populationSize: 2 ** 32, sampleSize: 60, seed: 12345 });
    expect(performance.now() - started).toBeLessThan(500); // an O(N) method could not even allocate 2^32 slots
    expect(new Set(sample).size).toBe(60);
  });

  it('rejects impossible arguments', () => {
    expect(() => selectRandom({ populationSize: -1, sampleSize: 1, seed: 1 })).toThrow(/population size/);
    expect(() => selectRandom({ populationSize: 2 ** 32 + 1, sampleSize: 1, seed: 1 })).toThrow(/population size/);
    expect(() => selectRandom({ populationSize: 10, sampleSize: 2.5, seed: 1 })).toThrow(/sample size/);
    expect(() => selectRandom({ populationSize: 10, sampleSize: 2, seed: 0 })).toThrow(/seed/);
    expect(selectRandom({ populationSize: 0, sampleSize: 5, seed: 1 })).toEqual([]);
  });
});

describe('extendRandom', () => {
  it('keeps its golden values (25 extended to 41)', () => {
    const planned = selectRandom({ populationSize: 1000, sampleSize: 25, seed: 12345 });
    expect(extendRandom({ populationSize: 1000, seed: 12345, alreadySelected: planned, additional: 16 })).toEqual([
      703, 987, 53, 846, 247, 810, 927, 771, 787, 116, 389, 197, 834, 408, 26, 911,
    ]);
  });

  it('continues the random selection of the same seed', () => {
    fc.assert(
      fc.property(populationArb, sizeArb, sizeArb, seedArb, (populationSize, size, additional, seed) => {
        const planned = selectRandom({ populationSize, sampleSize: size, seed });
        const extension = extendRandom({ populationSize, seed, alreadySelected: planned, additional });
        const larger = selectRandom({ populationSize, sampleSize: size + additional, seed });
        expect([...planned, ...extension]).toEqual(larger);
      }),
    );
  });

  it('never repeats an item already selected, however it was selected', () => {
    const argsArb = fc.integer({ min: 1, max: 400 }).chain((populationSize) =>
      fc.record({
        populationSize: fc.constant(populationSize),
        alreadySelected: fc.array(fc.integer({ min: 0, max: populationSize - 1 }), { maxLength: 450 }),
        additional: fc.integer({ min: 0, max: 450 }),
        seed: seedArb,
      }),
    );
    fc.assert(
      fc.property(argsArb, (args) => {
        const extension = extendRandom(args);
        const before = new Set(args.alreadySelected);
        expect(extension).toHaveLength(Math.min(args.additional, args.populationSize - before.size));
        expect(new Set(extension).size).toBe(extension.length);
        expect(extension.some((i) => before.has(i))).toBe(false);
        expect(extension.every((i) => i >= 0 && i < args.populationSize)).toBe(true);
        expect(extendRandom(args)).toEqual(extension);
      }),
    );
  });

  it('extends a systematic sample from the items it left out', () => {
    const systematic = selectSystematic({ populationSize: 500, sampleSize: 25, seed: 8 });
    const extension = extendRandom({ populationSize: 500, seed: 8, alreadySelected: systematic, additional: 15 });
    expect(extension).toHaveLength(15);
    expect(extension.filter((i) => systematic.includes(i))).toEqual([]);
  });

  it('rejects indices outside the population', () => {
    expect(() => extendRandom({ populationSize: 10, seed: 1, alreadySelected: [10], additional: 1 })).toThrow(
      /outside/,
    );
    expect(() => extendRandom({ populationSize: 10, seed: 1, alreadySelected: [-1], additional: 1 })).toThrow(
      /outside/,
    );
  });
});

describe('selectSystematic', () => {
  it('keeps its golden values (seed 12345, 25 of 1,000: interval 40)', () => {
    expect(selectSystematic({ populationSize: 1000, sampleSize: 25, seed: 12345 })).toEqual(
      Array.from({ length: 25 }, (_, i) => 25 + 40 * i),
    );
  });

  it('steps by the fractional interval from a start inside the first interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 200 }), seedArb, (n, size, seed) => {
        const sample = selectSystematic({ populationSize: n, sampleSize: size, seed });
        expect(sample).toHaveLength(Math.min(n, size));
        if (size >= n) {
          expect(sample).toEqual(selectAll(n));
          return;
        }
        const interval = n / size;
        sample.forEach((index, i) => {
          expect(index).toBeGreaterThanOrEqual(Math.floor(i * interval));
          expect(index).toBeLessThan((i + 1) * interval);
          if (i > 0) expect(index - sample[i - 1]!).toBeOneOf([Math.floor(interval), Math.ceil(interval)]);
        });
        expect(selectSystematic({ populationSize: n, sampleSize: size, seed })).toEqual(sample);
      }),
    );
  });

  it('chooses each start equally often', () => {
    const firsts = new Array<number>(4).fill(0);
    for (let seed = 1; seed <= 8000; seed++)
      firsts[selectSystematic({ populationSize: 40, sampleSize: 10, seed })[0]!]!++;
    const chiSquare = firsts.reduce((sum, c) => sum + (c - 2000) ** 2 / 2000, 0);
    expect(chiSquare).toBeLessThan(16.3); // p = 0.001 at 3 degrees of freedom
  });

  it('handles empty and full samples', () => {
    expect(selectSystematic({ populationSize: 100, sampleSize: 0, seed: 1 })).toEqual([]);
    expect(selectSystematic({ populationSize: 0, sampleSize: 3, seed: 1 })).toEqual([]);
    expect(selectSystematic({ populationSize: 3, sampleSize: 5, seed: 1 })).toEqual([0, 1, 2]);
  });
});

describe('allocateToStrata', () => {
  it.each([
    [[63, 64, 65, 64], 25, [6, 6, 7, 6]],
    [[90, 90, 90, 90], 25, [7, 6, 6, 6]],
    [[1000, 10, 10, 10], 25, [22, 1, 1, 1]],
    [[1000, 10, 10, 10], 3, [3, 0, 0, 0]],
    [[0, 50, 0, 50], 5, [0, 3, 0, 2]],
    [[2, 3, 1], 10, [2, 3, 1]],
    [[1, 1, 1, 100], 4, [1, 1, 1, 1]],
    [[], 5, []],
  ])('allocates %j for a sample of %d as %j', (strata, size, expected) => {
    expect(allocateToStrata(strata, size)).toEqual(expected);
  });

  it('sums to the sample, fits each stratum and reaches every non-empty one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 14 }), sizeArb, (strata, size) => {
        const allocation = allocateToStrata(strata, size);
        const total = strata.reduce((a, b) => a + b, 0);
        const nonEmpty = strata.filter((s) => s > 0).length;
        expect(allocation.reduce((a, b) => a + b, 0)).toBe(Math.min(size, total));
        allocation.forEach((count, j) => {
          expect(count).toBeGreaterThanOrEqual(0);
          expect(count).toBeLessThanOrEqual(strata[j]!);
          if (size >= nonEmpty && strata[j]! > 0) expect(count).toBeGreaterThanOrEqual(1);
        });
      }),
    );
  });
});

describe('selectPeriodSpread', () => {
  it('keeps its golden values (four quarters of business days, 25 items)', () => {
    expect(selectPeriodSpread({ strata: [63, 64, 65, 64], sampleSize: 25, seed: 12345 })).toEqual([
      45, 0, 8, 10, 23, 32, 123, 103, 96, 125, 126, 66, 172, 163, 127, 162, 159, 170, 185, 203, 214, 206, 228, 244, 249,
    ]);
  });

  it('draws each stratum’s allocation from inside it, with a seed derived per stratum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }),
        sizeArb,
        seedArb,
        (strata, size, seed) => {
          const sample = selectPeriodSpread({ strata, sampleSize: size, seed });
          const allocation = allocateToStrata(strata, size);
          expect(new Set(sample).size).toBe(sample.length);
          let offset = 0;
          let position = 0;
          strata.forEach((stratumSize, j) => {
            const part = sample.slice(position, position + allocation[j]!);
            const within = part.map((i) => i - offset);
            expect(within).toEqual(referenceShuffle(stratumSize, allocation[j]!, seed, `stratum-${j + 1}`));
            position += allocation[j]!;
            offset += stratumSize;
          });
          expect(position).toBe(sample.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('stratifyByPeriod', () => {
  it('groups dated items by calendar quarter and sets aside those outside the period', () => {
    const dates = [
      '2025-05-02',
      '2025-01-10',
      '2024-12-31',
      '2025-12-31',
      '2025-05-01',
      'n/a',
      '2025-07-01',
      '2026-01-01',
    ];
    const result = stratifyByPeriod(dates, { start: '2025-01-01', end: '2025-12-31' }, 'quarter');
    expect(result.ranges.map((r) => r.start)).toEqual(['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']);
    expect(result.strata).toEqual([1, 2, 1, 1]);
    expect(result.order).toEqual([1, 0, 4, 6, 3]);
    expect(result.outside).toEqual([2, 5, 7]);
  });

  it('groups by the clipped months of a period', () => {
    const result = stratifyByPeriod(
      ['2025-03-20', '2025-04-30', '2025-03-31'],
      { start: '2025-03-15', end: '2025-04-30' },
      'month',
    );
    expect(result.ranges).toEqual([
      { start: '2025-03-15', end: '2025-03-31' },
      { start: '2025-04-01', end: '2025-04-30' },
    ]);
    expect(result.strata).toEqual([2, 1]);
    expect(result.order).toEqual([0, 2, 1]);
  });
});

it('documents the algorithm for the README', () => {
  expect(describeAlgorithm()).toBe(SELECTION_ALGORITHM_DOC);
  for (const phrase of [
    'tickmark-selection-v1:<seed>:<label>:<k>',
    'big-endian',
    'floor((r + i · N) / n)',
    'stratum-<j>',
  ]) {
    expect(SELECTION_ALGORITHM_DOC).toContain(phrase);
  }
});
