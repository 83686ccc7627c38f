import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialCdf } from '../../src/domain/binomial.js';
import {
  DEFAULT_SAMPLE_SIZE_TABLE,
  expectedDeviations,
  guidanceSampleSize,
  proRataSize,
  statisticalSampleSize,
  type SampleSizeTable,
} from '../../src/domain/sample-size.js';
import { FREQUENCIES } from '../../src/domain/types.js';

const TOLERABLE = [2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20];

// AICPA Audit Sampling guide, Appendix A. Rows: expected deviation rate (%); columns: TOLERABLE (%).
// "size(expected deviations)", or "*" where the guide prints no size (too large to be cost-effective).
const TABLE_A1 = `
0.00  149(0) 99(0)  74(0)  59(0)  49(0)  42(0)  36(0)  32(0)  29(0)  19(0) 14(0)
0.25  236(1) 157(1) 117(1) 93(1)  78(1)  66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
0.50  *      157(1) 117(1) 93(1)  78(1)  66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
0.75  *      208(2) 117(1) 93(1)  78(1)  66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
1.00  *      *      156(2) 93(1)  78(1)  66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
1.25  *      *      156(2) 124(2) 78(1)  66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
1.50  *      *      192(3) 124(2) 103(2) 66(1)  58(1)  51(1)  46(1)  30(1) 22(1)
1.75  *      *      227(4) 153(3) 103(2) 88(2)  77(2)  51(1)  46(1)  30(1) 22(1)
2.00  *      *      *      181(4) 127(3) 88(2)  77(2)  68(2)  46(1)  30(1) 22(1)
2.25  *      *      *      208(5) 127(3) 88(2)  77(2)  68(2)  61(2)  30(1) 22(1)
2.50  *      *      *      *      150(4) 109(3) 77(2)  68(2)  61(2)  30(1) 22(1)
2.75  *      *      *      *      173(5) 109(3) 95(3)  68(2)  61(2)  30(1) 22(1)
3.00  *      *      *      *      195(6) 129(4) 95(3)  84(3)  61(2)  30(1) 22(1)
3.25  *      *      *      *      *      148(5) 112(4) 84(3)  61(2)  30(1) 22(1)
3.50  *      *      *      *      *      167(6) 112(4) 84(3)  76(3)  40(2) 22(1)
3.75  *      *      *      *      *      185(7) 129(5) 100(4) 76(3)  40(2) 22(1)
4.00  *      *      *      *      *      *      146(6) 100(4) 89(4)  40(2) 22(1)
5.00  *      *      *      *      *      *      *      158(8) 116(6) 40(2) 30(2)
6.00  *      *      *      *      *      *      *      *      179(11) 50(3) 30(2)
7.00  *      *      *      *      *      *      *      *      *      68(5) 37(3)`;

const TABLE_A2 = `
0.00  114(0) 76(0)  57(0)  45(0)  38(0)  32(0)  28(0)  25(0)  22(0)  15(0) 11(0)
0.25  194(1) 129(1) 96(1)  77(1)  64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
0.50  194(1) 129(1) 96(1)  77(1)  64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
0.75  265(2) 129(1) 96(1)  77(1)  64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
1.00  *      176(2) 96(1)  77(1)  64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
1.25  *      221(3) 132(2) 77(1)  64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
1.50  *      *      132(2) 105(2) 64(1)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
1.75  *      *      166(3) 105(2) 88(2)  55(1)  48(1)  42(1)  38(1)  25(1) 18(1)
2.00  *      *      198(4) 132(3) 88(2)  75(2)  48(1)  42(1)  38(1)  25(1) 18(1)
2.25  *      *      *      132(3) 88(2)  75(2)  65(2)  42(1)  38(1)  25(1) 18(1)
2.50  *      *      *      158(4) 110(3) 75(2)  65(2)  58(2)  38(1)  25(1) 18(1)
2.75  *      *      *      209(6) 132(4) 94(3)  65(2)  58(2)  52(2)  25(1) 18(1)
3.00  *      *      *      *      132(4) 94(3)  65(2)  58(2)  52(2)  25(1) 18(1)
3.25  *      *      *      *      153(5) 113(4) 82(3)  58(2)  52(2)  25(1) 18(1)
3.50  *      *      *      *      194(7) 113(4) 82(3)  73(3)  52(2)  25(1) 18(1)
3.75  *      *      *      *      *      131(5) 98(4)  73(3)  52(2)  25(1) 18(1)
4.00  *      *      *      *      *      149(6) 98(4)  73(3)  65(3)  25(1) 18(1)
5.00  *      *      *      *      *      *      160(8) 115(6) 78(4)  34(2) 18(1)
6.00  *      *      *      *      *      *      *      182(11) 116(7) 43(3) 25(2)
7.00  *      *      *      *      *      *      *      *      199(14) 52(4) 25(2)`;

interface SizeCell {
  expected: number;
  tolerable: number;
  printed: { size: number; deviations: number } | null;
}

function parseSizeTable(text: string): SizeCell[] {
  return text
    .trim()
    .split('\n')
    .flatMap((line) => {
      const [rate, ...cells] = line.trim().split(/\s+/);
      return cells.map((cell, i) => {
        const match = /^(\d+)\((\d+)\)$/.exec(cell);
        return {
          expected: Number(rate) / 100,
          tolerable: (TOLERABLE[i] as number) / 100,
          printed: match ? { size: Number(match[1]), deviations: Number(match[2]) } : null,
        };
      });
    });
}

const SIZE_TABLES = [
  { name: 'A-1 (5% risk of overreliance)', confidence: 0.95, cells: parseSizeTable(TABLE_A1) },
  { name: 'A-2 (10% risk of overreliance)', confidence: 0.9, cells: parseSizeTable(TABLE_A2) },
];

describe('statisticalSampleSize', () => {
  it('gives the sizes quoted in domain.md', () => {
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.05, expectedRate: 0 })).toBe(59);
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.1, expectedRate: 0 })).toBe(29);
    expect(statisticalSampleSize({ confidence: 0.9, tolerableRate: 0.1, expectedRate: 0 })).toBe(22);
  });

  for (const table of SIZE_TABLES) {
    const printed = table.cells.filter((c) => c.printed !== null);

    it(`reproduces every printed cell of Table ${table.name} (${printed.length} cells)`, () => {
      for (const { expected, tolerable, printed: cell } of printed) {
        const size = statisticalSampleSize({
          confidence: table.confidence,
          tolerableRate: tolerable,
          expectedRate: expected,
        });
        expect({ expected, tolerable, size }).toEqual({ expected, tolerable, size: cell?.size });
        expect(expectedDeviations(size as number, expected)).toBe(cell?.deviations);
      }
    });

    it(`sizes the "*" cells of Table ${table.name} above every printed size in their column`, () => {
      for (const tolerable of TOLERABLE.map((t) => t / 100)) {
        const column = table.cells.filter((c) => c.tolerable === tolerable);
        const largestPrinted = Math.max(...column.map((c) => c.printed?.size ?? 0));
        const firstStar = column.findIndex((c) => c.printed === null);
        if (firstStar === -1) continue;
        // Stars only ever continue a column downwards: sizes grow with the expected rate.
        expect(column.slice(firstStar).every((c) => c.printed === null)).toBe(true);
        for (const { expected } of column.slice(firstStar)) {
          const size = statisticalSampleSize({
            confidence: table.confidence,
            tolerableRate: tolerable,
            expectedRate: expected,
          });
          expect(size === null || size > largestPrinted).toBe(true);
        }
      }
    });
  }

  it('sizes cells the printed tables leave as "*" by the same rule, and gives null past 5,000', () => {
    // Values of the rule itself (the guide prints "*" here), kept as regression checks.
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.02, expectedRate: 0.005 })).toBe(313);
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.05, expectedRate: 0.025 })).toBe(234);
    expect(statisticalSampleSize({ confidence: 0.9, tolerableRate: 0.02, expectedRate: 0.01 })).toBe(398);
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.02, expectedRate: 0.0175 })).toBeNull();
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.05, expectedRate: 0.05 })).toBeNull();
    expect(statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.05, expectedRate: 0.08 })).toBeNull();
  });

  it('computes the expected deviations after stripping floating-point noise', () => {
    expect(0.07 * 200).not.toBe(14);
    expect(expectedDeviations(200, 0.07)).toBe(14);
    expect(expectedDeviations(93, 0.01)).toBe(1);
    expect(expectedDeviations(124, 0.0125)).toBe(2);
    expect(expectedDeviations(59, 0)).toBe(0);
  });

  it('rejects rates and confidences outside their range', () => {
    expect(() => statisticalSampleSize({ confidence: 1, tolerableRate: 0.05, expectedRate: 0 })).toThrow(RangeError);
    expect(() => statisticalSampleSize({ confidence: 95, tolerableRate: 0.05, expectedRate: 0 })).toThrow(RangeError);
    expect(() => statisticalSampleSize({ confidence: 0.95, tolerableRate: 0, expectedRate: 0 })).toThrow(RangeError);
    expect(() => statisticalSampleSize({ confidence: 0.95, tolerableRate: 5, expectedRate: 0 })).toThrow(RangeError);
    expect(() => statisticalSampleSize({ confidence: 0.95, tolerableRate: 0.05, expectedRate: -0.01 })).toThrow(
      RangeError,
    );
  });

  it('agrees with a plain linear search over n on a grid of inputs', () => {
    const linear = (confidence: number, tolerableRate: number, expectedRate: number) => {
      for (let n = 1; n <= 5000; n++) {
        if (binomialCdf(Math.ceil(Math.round(n * expectedRate * 1e9) / 1e9), n, tolerableRate) <= 1 - confidence)
          return n;
      }
      return null;
    };
    for (const confidence of [0.9, 0.95]) {
      for (const tolerableRate of [0.02, 0.04, 0.05, 0.08, 0.12, 0.2]) {
        for (const expectedRate of [0, 0.001, 0.0033, 0.01, 0.015, 0.03, 0.05]) {
          expect(statisticalSampleSize({ confidence, tolerableRate, expectedRate })).toBe(
            linear(confidence, tolerableRate, expectedRate),
          );
        }
      }
    }
  });

  const sizeOrInfinity = (n: number | null) => n ?? Number.POSITIVE_INFINITY;
  const confidenceArb = fc.constantFrom(0.9, 0.95, 0.99);
  const rateArb = (max: number) => fc.integer({ min: 0, max }).map((basisPoints) => basisPoints / 10_000);

  it('never grows as the tolerable rate grows', () => {
    fc.assert(
      fc.property(confidenceArb, rateArb(2500), rateArb(2500), rateArb(600), (confidence, t1, t2, expectedRate) => {
        fc.pre(t1 > 0 && t1 < t2);
        const smallerT = sizeOrInfinity(statisticalSampleSize({ confidence, tolerableRate: t1, expectedRate }));
        const largerT = sizeOrInfinity(statisticalSampleSize({ confidence, tolerableRate: t2, expectedRate }));
        expect(largerT).toBeLessThanOrEqual(smallerT);
      }),
      { numRuns: 150 },
    );
  });

  it('never shrinks as the expected rate grows', () => {
    fc.assert(
      fc.property(confidenceArb, rateArb(2500), rateArb(800), rateArb(800), (confidence, tolerableRate, e1, e2) => {
        fc.pre(tolerableRate > 0 && e1 < e2);
        const lowerE = sizeOrInfinity(statisticalSampleSize({ confidence, tolerableRate, expectedRate: e1 }));
        const higherE = sizeOrInfinity(statisticalSampleSize({ confidence, tolerableRate, expectedRate: e2 }));
        expect(higherE).toBeGreaterThanOrEqual(lowerE);
      }),
      { numRuns: 150 },
    );
  });

  it('returns an n that satisfies P(X ≤ ⌈n·E⌉; n, T) ≤ α while n − 1 does not', () => {
    fc.assert(
      fc.property(confidenceArb, rateArb(3000), rateArb(1000), (confidence, tolerableRate, expectedRate) => {
        fc.pre(tolerableRate > 0);
        const n = statisticalSampleSize({ confidence, tolerableRate, expectedRate });
        if (n === null) return;
        const alpha = 1 - confidence;
        expect(binomialCdf(expectedDeviations(n, expectedRate), n, tolerableRate)).toBeLessThanOrEqual(alpha);
        if (n > 1) {
          expect(binomialCdf(expectedDeviations(n - 1, expectedRate), n - 1, tolerableRate)).toBeGreaterThan(alpha);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('guidanceSampleSize', () => {
  const EXPECTED_DEFAULTS = {
    annual: [1, 1],
    'semi-annual': [1, 2],
    quarterly: [2, 2],
    monthly: [2, 3],
    'semi-monthly': [3, 5],
    weekly: [5, 10],
    daily: [20, 40],
    'multiple-daily': [25, 60],
    'event-driven': [25, 60],
  } as const;

  it("ships domain.md's table as the default", () => {
    for (const frequency of FREQUENCIES) {
      const [lower, higher] = EXPECTED_DEFAULTS[frequency];
      expect(DEFAULT_SAMPLE_SIZE_TABLE[frequency]).toEqual({ lower, higher });
      expect(guidanceSampleSize({ frequency, nature: 'manual', risk: 'lower' })).toMatchObject({
        size: lower,
        basis: 'table',
      });
      expect(guidanceSampleSize({ frequency, nature: 'it-dependent-manual', risk: 'higher' })).toMatchObject({
        size: higher,
        basis: 'table',
      });
    }
  });

  it('explains a table size in words an auditor would write', () => {
    expect(guidanceSampleSize({ frequency: 'monthly', nature: 'manual', risk: 'higher' }).rationale).toBe(
      "Monthly control, higher risk of failure: 3 occurrences per the firm's sample-size table.",
    );
    expect(guidanceSampleSize({ frequency: 'annual', nature: 'manual', risk: 'lower' }).rationale).toBe(
      "Annual control, lower risk of failure: 1 occurrence per the firm's sample-size table.",
    );
    expect(guidanceSampleSize({ frequency: 'multiple-daily', nature: 'manual', risk: 'lower' }).rationale).toMatch(
      /^Multiple-times-a-day control, lower risk of failure: 25 occurrences/,
    );
  });

  it('tests one occurrence of an automated control, whatever its frequency or risk', () => {
    for (const frequency of FREQUENCIES) {
      const result = guidanceSampleSize({ frequency, nature: 'automated', risk: 'higher', populationSize: 500 });
      expect(result).toEqual({
        size: 1,
        basis: 'automated',
        rationale: 'Automated control: 1 occurrence tested, relying on tested IT general controls.',
      });
    }
  });

  it('tests the whole population when it is smaller than the size', () => {
    expect(
      guidanceSampleSize({ frequency: 'event-driven', nature: 'manual', risk: 'lower', populationSize: 3 }),
    ).toEqual({
      size: 3,
      basis: 'whole-population',
      rationale:
        "Event-driven control, lower risk of failure: 25 occurrences per the firm's sample-size table. " +
        'Population of 3 items is smaller than the table size of 25: all 3 items tested.',
    });
    expect(
      guidanceSampleSize({ frequency: 'event-driven', nature: 'manual', risk: 'lower', populationSize: 1 }).rationale,
    ).toContain('Population of 1 item is smaller than the table size of 25: the single item tested.');
    expect(
      guidanceSampleSize({ frequency: 'event-driven', nature: 'manual', risk: 'lower', populationSize: 25 }),
    ).toMatchObject({
      size: 25,
      basis: 'table',
    });
  });

  it('proposes no testing when the control had no occurrences', () => {
    expect(
      guidanceSampleSize({ frequency: 'event-driven', nature: 'manual', risk: 'higher', populationSize: 0 }),
    ).toMatchObject({
      size: 0,
      basis: 'no-occurrences',
    });
  });

  it('keeps the table size for a short period unless the firm turns pro rata on (issue 13, item 7)', () => {
    const size = (
      frequency: (typeof FREQUENCIES)[number],
      risk: 'lower' | 'higher',
      periodMonths: number,
      populationSize?: number,
    ) => guidanceSampleSize({ frequency, nature: 'manual', risk, periodMonths, populationSize }).size;
    // The examples: pro rata is off by default.
    expect(size('daily', 'higher', 6)).toBe(40);
    expect(size('monthly', 'higher', 6, 6)).toBe(3);
    expect(size('quarterly', 'higher', 6, 2)).toBe(2);
    // Periodic controls: the table size, capped at the occurrences in the window.
    expect(size('quarterly', 'lower', 3, 1)).toBe(1);
    expect(size('weekly', 'higher', 6, 26)).toBe(10);
    expect(size('semi-monthly', 'higher', 2, 4)).toBe(4);
    expect(size('daily', 'higher', 9, 190)).toBe(40);
    expect(size('event-driven', 'higher', 6)).toBe(60);
    expect(guidanceSampleSize({ frequency: 'daily', nature: 'manual', risk: 'higher', periodMonths: 6 })).toEqual({
      size: 40,
      basis: 'table',
      rationale:
        "Daily control, higher risk of failure: 40 occurrences per the firm's sample-size table. " +
        'Period of 6 months: the table size holds for any period of six months or more.',
    });
    expect(
      guidanceSampleSize({
        frequency: 'monthly',
        nature: 'manual',
        risk: 'higher',
        periodMonths: 6.5,
        populationSize: 7,
      }).rationale,
    ).toBe(
      "Monthly control, higher risk of failure: 3 occurrences per the firm's sample-size table. " +
        'Period of 6.5 months: the table size holds, capped at the occurrences in the window.',
    );
    expect(
      guidanceSampleSize({
        frequency: 'quarterly',
        nature: 'manual',
        risk: 'lower',
        periodMonths: 3,
        populationSize: 1,
      }),
    ).toMatchObject({
      size: 1,
      basis: 'whole-population',
      rationale: expect.stringContaining(
        'Population of 1 item is smaller than the table size of 2: the single item tested.',
      ),
    });
    expect(
      guidanceSampleSize({ frequency: 'daily', nature: 'manual', risk: 'lower', periodMonths: 4 }).rationale,
    ).toContain('Period of 4 months, shorter than six months: the table size is kept.');
  });

  it('without pro rata, a daily or more frequent control’s size never depends on a period of six months or more', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('daily', 'multiple-daily', 'event-driven' as const),
        fc.constantFrom('lower', 'higher' as const),
        fc.double({ min: 6, max: 24, noNaN: true }),
        (frequency, risk, periodMonths) => {
          const table = DEFAULT_SAMPLE_SIZE_TABLE[frequency][risk];
          expect(guidanceSampleSize({ frequency, nature: 'manual', risk, periodMonths }).size).toBe(table);
        },
      ),
    );
  });

  it('a periodic control gets min(table size, occurrences in the window), and pro rata never asks for more', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('annual', 'quarterly', 'monthly', 'semi-monthly', 'weekly', 'daily' as const),
        fc.constantFrom('lower', 'higher' as const),
        fc.double({ min: 0.5, max: 12, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (frequency, risk, periodMonths, occurrences) => {
          const table = DEFAULT_SAMPLE_SIZE_TABLE[frequency][risk];
          const input = { frequency, nature: 'manual' as const, risk, periodMonths, populationSize: occurrences };
          const off = guidanceSampleSize(input).size;
          expect(off).toBe(Math.min(table, occurrences));
          const on = guidanceSampleSize({ ...input, proRata: true }).size;
          expect(on).toBeGreaterThanOrEqual(1);
          expect(on).toBeLessThanOrEqual(off);
        },
      ),
    );
  });

  it('scales calendar-driven sizes pro rata for a short period when the firm turns it on, rounding up', () => {
    expect(
      guidanceSampleSize({ frequency: 'daily', nature: 'manual', risk: 'higher', periodMonths: 6, proRata: true }),
    ).toEqual({
      size: 20,
      basis: 'pro-rata',
      rationale:
        "Daily control, higher risk of failure: 40 occurrences per the firm's sample-size table. " +
        'Reporting period of 6 months: table size 40 scaled pro rata to 20.',
    });
    const size = (frequency: (typeof FREQUENCIES)[number], risk: 'lower' | 'higher', periodMonths: number) =>
      guidanceSampleSize({ frequency, nature: 'manual', risk, periodMonths, proRata: true }).size;
    expect(size('daily', 'higher', 7)).toBe(24); // 23.3
    expect(size('daily', 'lower', 9)).toBe(15);
    expect(size('weekly', 'higher', 6)).toBe(5);
    expect(size('weekly', 'lower', 6)).toBe(3); // 2.5
    expect(size('semi-monthly', 'higher', 8)).toBe(4); // 3.3
    expect(size('monthly', 'higher', 6)).toBe(2); // 1.5
    expect(size('monthly', 'lower', 6)).toBe(1);
    expect(size('quarterly', 'lower', 3)).toBe(1); // 0.5
    expect(size('annual', 'higher', 6)).toBe(1); // never below 1
    expect(size('weekly', 'higher', 0.5)).toBe(1);
  });

  it('never scales transaction populations or periods of a year or more, even with pro rata on', () => {
    const on = { nature: 'manual', proRata: true } as const;
    expect(guidanceSampleSize({ ...on, frequency: 'event-driven', risk: 'higher', periodMonths: 6 }).size).toBe(60);
    expect(guidanceSampleSize({ ...on, frequency: 'multiple-daily', risk: 'lower', periodMonths: 6 }).size).toBe(25);
    expect(guidanceSampleSize({ ...on, frequency: 'daily', risk: 'higher', periodMonths: 12 }).size).toBe(40);
    expect(guidanceSampleSize({ ...on, frequency: 'daily', risk: 'higher', periodMonths: 15 }).size).toBe(40);
    expect(guidanceSampleSize({ ...on, frequency: 'daily', risk: 'higher', periodMonths: 12 }).rationale).not.toContain(
      'Period',
    );
  });

  it('caps the pro-rata size at a smaller population', () => {
    const result = guidanceSampleSize({
      frequency: 'daily',
      nature: 'manual',
      risk: 'higher',
      periodMonths: 6,
      populationSize: 15,
      proRata: true,
    });
    expect(result.size).toBe(15);
    expect(result.basis).toBe('whole-population');
    expect(result.rationale).toContain('scaled pro rata to 20.');
    expect(result.rationale).toContain('smaller than the pro-rata size of 20: all 15 items tested.');
  });

  it("uses the firm's own table when given one", () => {
    const table: SampleSizeTable = { ...DEFAULT_SAMPLE_SIZE_TABLE, daily: { lower: 25, higher: 45 } };
    expect(guidanceSampleSize({ frequency: 'daily', nature: 'manual', risk: 'higher', table }).size).toBe(45);
    expect(
      guidanceSampleSize({ frequency: 'daily', nature: 'manual', risk: 'higher', table, periodMonths: 6 }).size,
    ).toBe(45);
    expect(
      guidanceSampleSize({
        frequency: 'daily',
        nature: 'manual',
        risk: 'higher',
        table,
        periodMonths: 6,
        proRata: true,
      }).size,
    ).toBe(23);
  });

  it('rejects a broken table and impossible inputs', () => {
    const broken = { ...DEFAULT_SAMPLE_SIZE_TABLE, weekly: { lower: 0, higher: 10 } };
    expect(() => guidanceSampleSize({ frequency: 'weekly', nature: 'manual', risk: 'lower', table: broken })).toThrow(
      RangeError,
    );
    expect(() => guidanceSampleSize({ frequency: 'weekly', nature: 'manual', risk: 'lower', periodMonths: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      guidanceSampleSize({ frequency: 'weekly', nature: 'manual', risk: 'lower', populationSize: -1 }),
    ).toThrow(RangeError);
    expect(() =>
      guidanceSampleSize({ frequency: 'weekly', nature: 'manual', risk: 'lower', populationSize: 2.5 }),
    ).toThrow(RangeError);
  });

  it('keeps a pro-rata size between 1 and the table size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 12, noNaN: true }), (size, months) => {
        const scaled = proRataSize(size, months);
        expect(scaled).toBeGreaterThanOrEqual(1);
        expect(scaled).toBeLessThanOrEqual(size);
        expect(scaled).toBeGreaterThanOrEqual((size * months) / 12 - 1e-9);
      }),
    );
  });
});
