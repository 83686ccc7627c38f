import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSelections, drawExtension, drawSample } from '../../src/domain/sample-plan.js';
import { addDaysIso } from '../../src/domain/periods.js';
import { selectRandom } from '../../src/domain/selection.js';

const period = { start: '2025-01-01', end: '2025-12-31' };
const dailyDates = (n: number) => (p: number) => addDaysIso('2025-01-01', Math.floor((p * 365) / n));

describe('drawSample', () => {
  it('random is the seeded selection', () => {
    const draw = drawSample({
      design: { method: 'random' },
      populationSize: 1000,
      sampleSize: 25,
      seed: 12345,
      period,
    });
    expect(draw.positions).toEqual(selectRandom({ populationSize: 1000, sampleSize: 25, seed: 12345 }));
  });

  it('period spread draws from every quarter', () => {
    const draw = drawSample({
      design: { method: 'period-spread', by: 'quarter' },
      populationSize: 1200,
      sampleSize: 25,
      seed: 7,
      period,
      dateOf: dailyDates(1200),
    });
    expect(draw.positions).toHaveLength(25);
    expect(draw.strata?.map((s) => s.drawn).every((n) => n >= 6)).toBe(true);
    const quarters = new Set(draw.positions.map((p) => Math.floor((Number(dailyDates(1200)(p).slice(5, 7)) - 1) / 3)));
    expect(quarters.size).toBe(4);
  });

  it('interim split allocates in proportion to the windows and keeps each item in its window', () => {
    const dateOf = dailyDates(3650);
    const draw = drawSample({
      design: { method: 'interim-split', interimEnd: '2025-09-30' },
      populationSize: 3650,
      sampleSize: 40,
      seed: 99,
      period,
      dateOf,
    });
    const interim = draw.positions.filter((p) => dateOf(p) <= '2025-09-30').length;
    expect(interim).toBe(30); // 273 of 365 days → 29.9, rounded by largest remainder
    expect(draw.positions.length - interim).toBe(10);
    expect(draw.strata?.map((s) => s.drawn)).toEqual([30, 10]);
  });

  it('is replayable and distinct for every method', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.constantFrom('random', 'systematic', 'period-spread', 'interim-split', 'all'),
        (n, size, seed, method) => {
          const design =
            method === 'period-spread'
              ? { method, by: 'month' as const }
              : method === 'interim-split'
                ? { method, interimEnd: '2025-06-30' }
                : { method };
          const input = {
            design,
            populationSize: n,
            sampleSize: size,
            seed,
            period,
            dateOf: dailyDates(n),
          } as Parameters<typeof drawSample>[0];
          const a = drawSample(input).positions;
          expect(drawSample(input).positions).toEqual(a);
          expect(new Set(a).size).toBe(a.length);
          expect(a.every((p) => p >= 0 && p < n)).toBe(true);
          if (method !== 'all' && method !== 'interim-split') expect(a.length).toBe(Math.min(size, n));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('drawExtension', () => {
  it('never repeats an item and continues the random sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (n, size, more, seed) => {
          const first = selectRandom({ populationSize: n, sampleSize: size, seed });
          const extra = drawExtension({ populationSize: n, seed, alreadySelected: first, additional: more });
          expect(extra.filter((p) => first.includes(p))).toEqual([]);
          expect([...first, ...extra]).toEqual(selectRandom({ populationSize: n, sampleSize: size + more, seed }));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('compareSelections', () => {
  it('lists each position that differs', () => {
    expect(compareSelections([1, 2, 3], [1, 2, 3])).toEqual([]);
    expect(compareSelections([1, 5, 3], [1, 2, 3, 4])).toEqual([
      { sequence: 1, recorded: 5, recomputed: 2 },
      { sequence: 3, recorded: null, recomputed: 4 },
    ]);
  });
});
