import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHODOLOGY_BEFORE_FIRM_SETTINGS } from '../../src/db/schema/engagements.js';
import {
  DEFAULT_METHODOLOGY,
  extensionMethodOf,
  methodologyChanges,
  methodologyProblems,
  METHODOLOGY_BOUNDS,
  readEngagementMethodology,
  readMethodology,
  sizesWithoutRuleOfThumb,
  type Methodology,
} from '../../src/domain/methodology.js';
import { FREQUENCIES, RISKS } from '../../src/domain/types.js';

const withSizes = (f: string, lower: number, higher: number): Methodology => ({
  ...DEFAULT_METHODOLOGY,
  sampleSizes: { ...DEFAULT_METHODOLOGY.sampleSizes, [f]: { lower, higher } },
});

describe('the default methodology', () => {
  it('is the table and policy of domain.md', () => {
    expect(methodologyProblems(DEFAULT_METHODOLOGY)).toEqual({});
    const rows = FREQUENCIES.map((f) => [
      f,
      DEFAULT_METHODOLOGY.sampleSizes[f].lower,
      DEFAULT_METHODOLOGY.sampleSizes[f].higher,
    ]);
    expect(rows).toEqual([
      ['annual', 1, 1],
      ['semi-annual', 1, 2],
      ['quarterly', 2, 2],
      ['monthly', 2, 3],
      ['semi-monthly', 3, 5],
      ['weekly', 5, 10],
      ['daily', 20, 40],
      ['multiple-daily', 25, 60],
      ['event-driven', 25, 60],
    ]);
    expect(DEFAULT_METHODOLOGY).toMatchObject({
      maxDeviationsToExtend: 1,
      extension: 'exact',
      proRata: false,
      assemblyDays: 60,
      retentionYears: 7,
      largeSampleItems: 1000,
    });
    expect(DEFAULT_METHODOLOGY.ruleOfThumb).toEqual([
      { plannedSize: 25, deviations: 1, extendedSize: 40 },
      { plannedSize: 60, deviations: 1, extendedSize: 100 },
    ]);
  });

  it('is what engagements opened before firm settings existed hold (the column default the migration gives them)', () => {
    expect(readEngagementMethodology(JSON.parse(METHODOLOGY_BEFORE_FIRM_SETTINGS))).toEqual({
      firmSettingsOf: null,
      settings: DEFAULT_METHODOLOGY,
    });
  });

  it('gives the evaluation the exact rule, or the rule of thumb with its table', () => {
    expect(extensionMethodOf(DEFAULT_METHODOLOGY)).toEqual({ method: 'exact' });
    expect(extensionMethodOf({ ...DEFAULT_METHODOLOGY, extension: 'rule-of-thumb' })).toEqual({
      method: 'rule-of-thumb',
      table: DEFAULT_METHODOLOGY.ruleOfThumb,
    });
  });
});

describe('methodologyProblems: the sample-size table', () => {
  it('takes whole numbers of at least 1, the higher-risk size at least the lower', () => {
    expect(methodologyProblems(withSizes('daily', 0, 40))).toEqual({
      'sampleSizes.daily.lower': 'Daily, lower risk: enter a whole number from 1 to 10,000.',
    });
    expect(methodologyProblems(withSizes('daily', 20.5, 40))).toEqual({
      'sampleSizes.daily.lower': 'Daily, lower risk: enter a whole number.',
    });
    expect(methodologyProblems(withSizes('weekly', 5, NaN))).toEqual({
      'sampleSizes.weekly.higher': 'Weekly, higher risk: enter a whole number.',
    });
    expect(methodologyProblems(withSizes('daily', 40, 20))).toEqual({
      'sampleSizes.daily.higher': 'Daily: the higher-risk size (20) must be at least the lower-risk size (40).',
    });
    expect(methodologyProblems(withSizes('daily', 30, 30))).toEqual({});
    expect(methodologyProblems(withSizes('event-driven', 1, 10_001))).toHaveProperty([
      'sampleSizes.event-driven.higher',
    ]);
  });

  it('names exactly the sizes that are wrong (property)', () => {
    const size = fc.oneof(fc.integer({ min: -3, max: 10_005 }), fc.constantFrom(0.5, 24.9, NaN, Infinity));
    const table = fc.record(
      Object.fromEntries(FREQUENCIES.map((f) => [f, fc.record({ lower: size, higher: size })])) as Record<
        string,
        fc.Arbitrary<{ lower: number; higher: number }>
      >,
    );
    fc.assert(
      fc.property(table, (sampleSizes) => {
        const problems = methodologyProblems({
          ...DEFAULT_METHODOLOGY,
          sampleSizes: sampleSizes as Methodology['sampleSizes'],
        });
        const ok = (v: number) => Number.isInteger(v) && v >= 1 && v <= 10_000;
        const expected = new Set<string>();
        for (const f of FREQUENCIES) {
          const { lower, higher } = sampleSizes[f]!;
          for (const r of RISKS) if (!ok(sampleSizes[f]![r])) expected.add(`sampleSizes.${f}.${r}`);
          if (ok(lower) && ok(higher) && higher < lower) expected.add(`sampleSizes.${f}.higher`);
        }
        expect(new Set(Object.keys(problems))).toEqual(expected);
      }),
    );
  });
});

describe('methodologyProblems: extensions and the other settings', () => {
  const thumb = (rows: Methodology['ruleOfThumb'], over: Partial<Methodology> = {}): Methodology => ({
    ...DEFAULT_METHODOLOGY,
    extension: 'rule-of-thumb',
    ruleOfThumb: rows,
    ...over,
  });

  it('checks the whole-number settings against their bounds', () => {
    const problems = methodologyProblems({
      ...DEFAULT_METHODOLOGY,
      maxDeviationsToExtend: -1,
      assemblyDays: 0,
      retentionYears: 101,
      largeSampleItems: 10_001,
    });
    expect(problems).toEqual({
      maxDeviationsToExtend: 'Enter a whole number from 0 to 10.',
      assemblyDays: 'Enter a whole number from 1 to 365.',
      retentionYears: 'Enter a whole number from 1 to 100.',
      largeSampleItems: 'Enter a whole number from 1 to 10,000.',
    });
    expect(
      methodologyProblems({
        ...DEFAULT_METHODOLOGY,
        maxDeviationsToExtend: 0,
        assemblyDays: 365,
        retentionYears: 1,
        largeSampleItems: 10_000,
      }),
    ).toEqual({});
    expect(methodologyProblems({ ...DEFAULT_METHODOLOGY, extension: 'whatever' as 'exact' })).toEqual({
      extension: 'Choose the exact rule or the rule of thumb.',
    });
  });

  it('refuses rule-of-thumb rows that do not extend, repeat, or contradict each other', () => {
    expect(methodologyProblems(thumb([{ plannedSize: 25, deviations: 1, extendedSize: 25 }]))).toEqual({
      'ruleOfThumb.0.extendedSize': 'The extended size must be larger than the planned 25.',
    });
    expect(
      methodologyProblems(
        thumb([
          { plannedSize: 25, deviations: 1, extendedSize: 40 },
          { plannedSize: 25, deviations: 1, extendedSize: 45 },
        ]),
      ),
    ).toEqual({ 'ruleOfThumb.1.plannedSize': 'A row for 25 planned and 1 deviation is already above.' });
    const two = (extendedSize: number) =>
      thumb(
        [
          { plannedSize: 25, deviations: 1, extendedSize: 40 },
          { plannedSize: 25, deviations: 2, extendedSize },
        ],
        { maxDeviationsToExtend: 2 },
      );
    expect(methodologyProblems(two(54))).toEqual({});
    expect(methodologyProblems(two(35))).toEqual({
      'ruleOfThumb.1.extendedSize': 'For 25 planned, more deviations must extend further (1 deviation → 40).',
    });
    expect(methodologyProblems(thumb([{ plannedSize: 0, deviations: 0, extendedSize: 5001 }]))).toEqual({
      'ruleOfThumb.0.plannedSize': 'Planned size: enter a whole number from 1 to 4,999.',
      'ruleOfThumb.0.deviations': 'Deviations: enter a whole number from 1 to 10.',
      'ruleOfThumb.0.extendedSize': 'Extended size: enter a whole number from 2 to 5,000.',
    });
  });

  it('refuses, under the rule of thumb, rows the extension policy never reaches and an empty table', () => {
    const twoDeviations = [{ plannedSize: 25, deviations: 2, extendedSize: 54 }];
    expect(methodologyProblems(thumb(twoDeviations))).toEqual({
      'ruleOfThumb.0.deviations': 'No extension is proposed after more than 1: this row would never apply.',
    });
    expect(methodologyProblems(thumb(twoDeviations, { maxDeviationsToExtend: 2 }))).toEqual({});
    // Kept unused while the exact rule is chosen: switching back and forth loses nothing.
    expect(methodologyProblems({ ...DEFAULT_METHODOLOGY, ruleOfThumb: twoDeviations })).toEqual({});
    expect(methodologyProblems(thumb([]))).toEqual({
      ruleOfThumb: 'The rule of thumb needs at least one row (planned size, deviations, extended size).',
    });
    expect(methodologyProblems(thumb([], { maxDeviationsToExtend: 0 }))).toEqual({});
    expect(methodologyProblems(thumb(DEFAULT_METHODOLOGY.ruleOfThumb, { maxDeviationsToExtend: 0 }))).toEqual({
      'ruleOfThumb.0.deviations': 'No extension is proposed after any deviation: this row would never apply.',
      'ruleOfThumb.1.deviations': 'No extension is proposed after any deviation: this row would never apply.',
    });
    const many = Array.from({ length: METHODOLOGY_BOUNDS.ruleOfThumbRows + 1 }, (_, i) => ({
      plannedSize: i + 1,
      deviations: 1,
      extendedSize: i + 100,
    }));
    expect(methodologyProblems({ ...DEFAULT_METHODOLOGY, ruleOfThumb: many })).toHaveProperty('ruleOfThumb');
  });

  it('lists the planned sizes of extendable controls that the rule of thumb has no row for', () => {
    expect(sizesWithoutRuleOfThumb(DEFAULT_METHODOLOGY)).toEqual([3, 5, 10, 20, 40]);
    const rows = [3, 5, 10, 20, 25, 40, 60].map((p) => ({ plannedSize: p, deviations: 1, extendedSize: p * 2 }));
    expect(sizesWithoutRuleOfThumb({ ...DEFAULT_METHODOLOGY, ruleOfThumb: rows })).toEqual([]);
  });
});

describe('reading a stored copy', () => {
  it('gives back exactly what was stored when it is valid, and null for anything else', () => {
    const m: Methodology = {
      ...withSizes('daily', 25, 45),
      extension: 'rule-of-thumb',
      proRata: true,
      assemblyDays: 45,
    };
    expect(readMethodology(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(readMethodology({ ...m, extra: 1 })).toBeNull();
    const { proRata: _p, ...missing } = m;
    expect(readMethodology(missing)).toBeNull();
    expect(readMethodology({ ...m, proRata: 'yes' })).toBeNull();
    expect(readMethodology({ ...m, sampleSizes: { ...m.sampleSizes, daily: { lower: 50, higher: 40 } } })).toBeNull();
    expect(readMethodology({ ...m, ruleOfThumb: [{ plannedSize: 25, deviations: 1, extendedSize: '40' }] })).toBeNull();
    expect(readMethodology(null)).toBeNull();
    expect(readMethodology([m])).toBeNull();
  });

  it('reads an engagement copy only with a real date or null', () => {
    expect(readEngagementMethodology({ firmSettingsOf: '2026-03-04', settings: DEFAULT_METHODOLOGY })).toEqual({
      firmSettingsOf: '2026-03-04',
      settings: DEFAULT_METHODOLOGY,
    });
    expect(readEngagementMethodology({ firmSettingsOf: '2026-13-04', settings: DEFAULT_METHODOLOGY })).toBeNull();
    expect(readEngagementMethodology({ firmSettingsOf: null, settings: {} })).toBeNull();
    expect(readEngagementMethodology({ settings: DEFAULT_METHODOLOGY })).toBeNull();
  });

  it('every valid setting survives the JSON column unchanged (property)', () => {
    const size = fc.integer({ min: 1, max: 500 });
    const arb = fc.record({
      lower: size,
      extra: fc.integer({ min: 0, max: 500 }),
      days: fc.integer({ min: 1, max: 365 }),
      proRata: fc.boolean(),
      rule: fc.constantFrom('exact' as const, 'rule-of-thumb' as const),
    });
    fc.assert(
      fc.property(arb, ({ lower, extra, days, proRata, rule }) => {
        const m: Methodology = {
          ...withSizes('weekly', lower, lower + extra),
          assemblyDays: days,
          proRata,
          extension: rule,
        };
        expect(methodologyProblems(m)).toEqual({});
        expect(readMethodology(JSON.parse(JSON.stringify(m)))).toEqual(m);
      }),
    );
  });
});

describe('methodologyChanges: what the trail records', () => {
  it('records every value on the first save and only what changed afterwards', () => {
    const first = methodologyChanges(null, DEFAULT_METHODOLOGY);
    expect(Object.keys(first)).toHaveLength(18 + 7);
    expect(first['sampleSizes.daily.higher']).toEqual([null, 40]);
    expect(first.ruleOfThumb).toEqual([null, '25 → 40 after 1; 60 → 100 after 1']);
    const after = { ...withSizes('daily', 20, 45), proRata: true };
    expect(methodologyChanges(DEFAULT_METHODOLOGY, after)).toEqual({
      'sampleSizes.daily.higher': [40, 45],
      proRata: [false, true],
    });
    expect(methodologyChanges(after, after)).toEqual({});
  });
});
