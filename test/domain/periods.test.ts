// These rules must not depend on the server's time zone. Run this file under several zones, e.g.
//   TZ=UTC npx vitest run test/domain/periods.test.ts
//   TZ=America/New_York npx vitest run test/domain/periods.test.ts
//   TZ=Pacific/Kiritimati npx vitest run test/domain/periods.test.ts
//   TZ=Pacific/Apia npx vitest run test/domain/periods.test.ts   (its calendar skipped 2011-12-30)
// The oracles below read dates as UTC midnights, independently of the code under test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  daysInRange,
  fromEpochDay,
  occurrences,
  periodMonths,
  splitAtDate,
  splitSampleAcrossWindows,
  toEpochDay,
  validateReportingPeriod,
} from '../../src/domain/periods.js';
import type { DateRange } from '../../src/domain/types.js';

const utc = (date: string): Date => new Date(`${date}T00:00:00Z`);
const iso = (date: Date): string => date.toISOString().slice(0, 10);
const shift = (date: string, days: number): string => iso(new Date(utc(date).getTime() + days * 86_400_000));
const isWeekend = (date: string): boolean => [0, 6].includes(utc(date).getUTCDay());
const range = (start: string, end: string): DateRange => ({ start, end });

const dateArb = fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2040-12-31') }).map(fromEpochDay);
const rangeArb = fc
  .tuple(dateArb, fc.integer({ min: 0, max: 800 }))
  .map(([start, days]) => range(start, shift(start, days)));
const calendarFrequencies = ['annual', 'quarterly', 'monthly', 'semi-monthly', 'weekly'] as const;

/** Independent oracle: is `date` the first / last day of its calendar period? */
function isPeriodStart(frequency: (typeof calendarFrequencies)[number], date: string): boolean {
  const d = utc(date);
  const [month, day] = [d.getUTCMonth() + 1, d.getUTCDate()];
  switch (frequency) {
    case 'annual':
      return month === 1 && day === 1;
    case 'quarterly':
      return day === 1 && month % 3 === 1;
    case 'monthly':
      return day === 1;
    case 'semi-monthly':
      return day === 1 || day === 16;
    case 'weekly':
      return d.getUTCDay() === 1;
  }
}
const isPeriodEnd = (frequency: (typeof calendarFrequencies)[number], date: string): boolean =>
  isPeriodStart(frequency, shift(date, 1));

describe('dates', () => {
  it('round-trips ISO dates through epoch days', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('2024-02-29')).toBe(19782);
    fc.assert(fc.property(dateArb, (date) => fromEpochDay(toEpochDay(date)) === date));
  });

  it.each(['2025-02-29', '2023-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-01', '20250101', '', '2025-01-01T00:00'])(
    'rejects %j',
    (bad) => expect(() => toEpochDay(bad)).toThrow(/Invalid date/),
  );

  it('counts days inclusively', () => {
    expect(daysInRange(range('2024-01-01', '2024-12-31'))).toBe(366);
    expect(daysInRange(range('2025-03-09', '2025-03-09'))).toBe(1);
  });
});

describe('occurrences', () => {
  it('gives calendar periods for a calendar-year reporting period', () => {
    const year = range('2025-01-01', '2025-12-31');
    expect(occurrences('annual', year)).toEqual([{ start: '2025-01-01', end: '2025-12-31', partial: false }]);
    expect(occurrences('quarterly', year).map((o) => [o.start, o.end])).toEqual([
      ['2025-01-01', '2025-03-31'],
      ['2025-04-01', '2025-06-30'],
      ['2025-07-01', '2025-09-30'],
      ['2025-10-01', '2025-12-31'],
    ]);
    expect(occurrences('monthly', year)).toHaveLength(12);
    expect(occurrences('semi-monthly', year)).toHaveLength(24);
    expect(occurrences('quarterly', year).every((o) => !o.partial)).toBe(true);
  });

  it('clips calendar years and quarters to a fiscal reporting period', () => {
    expect(occurrences('annual', range('2024-07-01', '2025-06-30'))).toEqual([
      { start: '2024-07-01', end: '2024-12-31', partial: true },
      { start: '2025-01-01', end: '2025-06-30', partial: true },
    ]);
    const quarters = occurrences('quarterly', range('2025-02-10', '2025-11-30'));
    expect(quarters[0]).toEqual({ start: '2025-02-10', end: '2025-03-31', partial: true });
    expect(quarters.at(-1)).toEqual({ start: '2025-10-01', end: '2025-11-30', partial: true });
    expect(quarters.slice(1, -1).every((o) => !o.partial)).toBe(true);
  });

  it('flags a partial first month', () => {
    const months = occurrences('monthly', range('2025-01-15', '2025-12-31'));
    expect(months[0]).toEqual({ start: '2025-01-15', end: '2025-01-31', partial: true });
    expect(months[1]).toEqual({ start: '2025-02-01', end: '2025-02-28', partial: false });
    expect(months.at(-1)).toEqual({ start: '2025-12-01', end: '2025-12-31', partial: false });
    expect(months).toHaveLength(12);
  });

  it('handles leap years', () => {
    expect(occurrences('monthly', range('2024-02-01', '2024-03-31'))[0]?.end).toBe('2024-02-29');
    expect(occurrences('monthly', range('2024-02-29', '2024-03-05'))).toEqual([
      { start: '2024-02-29', end: '2024-02-29', partial: true },
      { start: '2024-03-01', end: '2024-03-05', partial: true },
    ]);
    expect(occurrences('daily', range('2024-02-29', '2024-02-29'))).toEqual([
      { start: '2024-02-29', end: '2024-02-29', partial: false },
    ]);
  });

  it.each([
    ['2025-01', '2025-01-31'],
    ['2025-02', '2025-02-28'],
    ['2024-02', '2024-02-29'],
    ['2025-04', '2025-04-30'],
  ])('splits %s semi-monthly on the 15th/16th and ends on %s', (month, lastDay) => {
    expect(occurrences('semi-monthly', range(`${month}-01`, lastDay))).toEqual([
      { start: `${month}-01`, end: `${month}-15`, partial: false },
      { start: `${month}-16`, end: lastDay, partial: false },
    ]);
  });

  it('clips semi-monthly halves at the boundary days', () => {
    expect(occurrences('semi-monthly', range('2025-03-15', '2025-03-16'))).toEqual([
      { start: '2025-03-15', end: '2025-03-15', partial: true },
      { start: '2025-03-16', end: '2025-03-16', partial: true },
    ]);
  });

  it('runs weeks Monday to Sunday with partial weeks at both ends', () => {
    // 2025-01-01 is a Wednesday, 2025-01-31 a Friday.
    const weeks = occurrences('weekly', range('2025-01-01', '2025-01-31'));
    expect(weeks[0]).toEqual({ start: '2025-01-01', end: '2025-01-05', partial: true });
    expect(weeks[1]).toEqual({ start: '2025-01-06', end: '2025-01-12', partial: false });
    expect(weeks.at(-1)).toEqual({ start: '2025-01-27', end: '2025-01-31', partial: true });
    expect(weeks).toHaveLength(5);
    expect(occurrences('weekly', range('2024-12-30', '2025-01-05'))).toEqual([
      { start: '2024-12-30', end: '2025-01-05', partial: false },
    ]);
  });

  it('counts the business days of a year and skips holidays', () => {
    const year = range('2025-01-01', '2025-12-31');
    expect(occurrences('daily', year)).toHaveLength(261);
    const holidays = ['2025-01-01', '2025-12-25', '2025-12-27' /* a Saturday */, '2026-01-01' /* outside */];
    const days = occurrences('daily', year, { holidays });
    expect(days).toHaveLength(259);
    expect(days[0]).toEqual({ start: '2025-01-02', end: '2025-01-02', partial: false });
    expect(days.map((d) => d.start)).not.toContain('2025-12-25');
  });

  it('keeps days that a local calendar skipped (Samoa jumped over 2011-12-30)', () => {
    expect(occurrences('daily', range('2011-12-29', '2011-12-31')).map((d) => d.start)).toEqual(['2011-12-29', '2011-12-30']);
    expect(occurrences('weekly', range('1994-12-26', '1995-01-01'))).toEqual([
      { start: '1994-12-26', end: '1995-01-01', partial: false },
    ]);
  });

  it('returns no business day for a weekend-only period', () => {
    expect(occurrences('daily', range('2025-03-08', '2025-03-09'))).toEqual([]);
  });

  it('throws on invalid dates, holidays and reversed periods', () => {
    expect(() => occurrences('monthly', range('2025-12-31', '2025-01-01'))).toThrow(/before start/);
    expect(() => occurrences('monthly', range('2025-02-30', '2025-03-31'))).toThrow(/Invalid date/);
    expect(() => occurrences('daily', range('2025-01-01', '2025-01-31'), { holidays: ['25/12/2025'] })).toThrow(
      /Invalid date/,
    );
  });

  it('tiles the period with ordered, contiguous, calendar-aligned occurrences', () => {
    fc.assert(
      fc.property(fc.constantFrom(...calendarFrequencies), rangeArb, (frequency, period) => {
        const list = occurrences(frequency, period);
        expect(list[0]?.start).toBe(period.start);
        expect(list.at(-1)?.end).toBe(period.end);
        list.forEach((o, i) => {
          expect(o.start <= o.end).toBe(true);
          if (i > 0) expect(o.start).toBe(shift(list[i - 1]!.end, 1));
          expect(o.partial).toBe(!isPeriodStart(frequency, o.start) || !isPeriodEnd(frequency, o.end));
          if (i > 0 && i < list.length - 1) expect(o.partial).toBe(false);
          if (i > 0) expect(isPeriodStart(frequency, o.start)).toBe(true);
          if (i < list.length - 1) expect(isPeriodEnd(frequency, o.end)).toBe(true);
          if (frequency === 'weekly' && !o.partial) expect(daysInRange(o)).toBe(7);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('gives every business day and nothing else for daily controls', () => {
    fc.assert(
      fc.property(rangeArb, fc.array(fc.integer({ min: -30, max: 830 }), { maxLength: 40 }), (period, offsets) => {
        const inside = Array.from({ length: daysInRange(period) }, (_, i) => shift(period.start, i));
        const holidays = offsets.map((offset) => shift(period.start, offset));
        const expected = inside.filter((d) => !isWeekend(d) && !holidays.includes(d));
        const days = occurrences('daily', period, { holidays });
        expect(days.map((d) => d.start)).toEqual(expected);
        expect(days.every((d) => d.start === d.end && !d.partial)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('periodMonths', () => {
  it.each([
    ['2025-01-01', '2025-12-31', 12],
    ['2025-01-01', '2025-06-30', 6],
    ['2025-02-15', '2026-02-14', 12],
    ['2024-02-29', '2025-02-27', 12],
    ['2025-04-01', '2025-04-30', 1],
    ['2025-04-01', '2025-04-15', 0.5],
    ['2025-01-15', '2025-12-31', 11 + 17 / 31],
    ['2024-01-01', '2025-03-31', 15],
  ])('%s..%s is %d months', (start, end, months) => {
    expect(periodMonths(range(start, end))).toBeCloseTo(months, 12);
  });

  it('counts whole months to the day before each monthly anniversary', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 30 }), (start, k) => {
        const [year, month, day] = start.split('-').map(Number) as [number, number, number];
        fc.pre(day <= 28); // month-end starts clamp (Jan 31 + 1 month = Feb 28)
        const end = shift(iso(new Date(Date.UTC(year, month - 1 + k, day))), -1);
        expect(periodMonths(range(start, end))).toBe(k);
      }),
    );
  });

  it('grows with the end date', () => {
    fc.assert(
      fc.property(rangeArb, (period) => {
        const longer = range(period.start, shift(period.end, 1));
        expect(periodMonths(longer)).toBeGreaterThan(periodMonths(period));
      }),
    );
  });
});

describe('validateReportingPeriod', () => {
  it('accepts a 12-month period', () => {
    expect(validateReportingPeriod(range('2025-01-01', '2025-12-31'))).toEqual({ errors: [], warnings: [] });
    expect(validateReportingPeriod(range('2025-01-01', '2025-06-30'))).toEqual({ errors: [], warnings: [] });
  });

  it('warns below 6 and above 12 months', () => {
    expect(validateReportingPeriod(range('2025-01-01', '2025-06-29')).warnings).toEqual([
      'The reporting period is shorter than 6 months: allowed only in a first year.',
    ]);
    expect(validateReportingPeriod(range('2025-01-01', '2026-01-01')).warnings).toEqual([
      'The reporting period is longer than 12 months.',
    ]);
  });

  it('rejects invalid dates and an end not after the start', () => {
    expect(validateReportingPeriod(range('2025-01-01', '2025-01-01')).errors).toHaveLength(1);
    expect(validateReportingPeriod(range('2025-12-31', '2025-01-01')).errors[0]).toMatch(/must be after/);
    const invalid = validateReportingPeriod(range('2025-02-30', 'soon'));
    expect(invalid.errors).toHaveLength(2);
    expect(invalid.errors[0]).toMatch(/^Start date/);
  });
});

describe('splitAtDate', () => {
  it('starts the after range on the change date', () => {
    expect(splitAtDate(range('2025-01-01', '2025-12-31'), '2025-07-01')).toEqual([
      range('2025-01-01', '2025-06-30'),
      range('2025-07-01', '2025-12-31'),
    ]);
    expect(splitAtDate(range('2024-01-01', '2024-12-31'), '2024-03-01')[0].end).toBe('2024-02-29');
    expect(splitAtDate(range('2025-01-01', '2025-12-31'), '2025-12-31')[1]).toEqual(range('2025-12-31', '2025-12-31'));
  });

  it('refuses a change date outside the period or on its first day', () => {
    const year = range('2025-01-01', '2025-12-31');
    expect(() => splitAtDate(year, '2025-01-01')).toThrow(/must be after/);
    expect(() => splitAtDate(year, '2026-01-01')).toThrow(/must be after/);
    expect(() => splitAtDate(year, '2025-06-31')).toThrow(/Invalid date/);
  });
});

describe('splitSampleAcrossWindows', () => {
  const interim = range('2025-01-01', '2025-09-30'); // 273 days
  const rollForward = range('2025-10-01', '2025-12-31'); // 92 days

  it('splits in proportion to the windows', () => {
    expect(splitSampleAcrossWindows(25, interim, rollForward)).toEqual({ interim: 19, rollForward: 6 });
    expect(splitSampleAcrossWindows(40, interim, rollForward)).toEqual({ interim: 30, rollForward: 10 });
    expect(splitSampleAcrossWindows(2, range('2025-01-01', '2025-01-02'), range('2025-01-03', '2025-01-04'))).toEqual({
      interim: 1,
      rollForward: 1,
    });
  });

  it('gives each non-empty window at least one item from a sample of two', () => {
    const short = range('2025-12-31', '2025-12-31');
    expect(splitSampleAcrossWindows(2, range('2025-01-01', '2025-12-30'), short)).toEqual({ interim: 1, rollForward: 1 });
    expect(splitSampleAcrossWindows(1, range('2025-01-01', '2025-12-30'), short)).toEqual({ interim: 1, rollForward: 0 });
  });

  it('accepts an empty roll-forward window', () => {
    expect(splitSampleAcrossWindows(25, interim, range('2025-10-01', '2025-09-30'))).toEqual({ interim: 25, rollForward: 0 });
    expect(() => splitSampleAcrossWindows(25, interim, range('2025-10-01', '2025-09-01'))).toThrow(/before start/);
    expect(() => splitSampleAcrossWindows(-1, interim, rollForward)).toThrow(/sample size/);
  });

  it('always sums to the size and stays within one item of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), rangeArb, fc.integer({ min: 0, max: 400 }), (size, first, days) => {
        const second = range(shift(first.end, 1), shift(first.end, days));
        const split = splitSampleAcrossWindows(size, first, second);
        expect(split.interim + split.rollForward).toBe(size);
        const exact = (size * daysInRange(first)) / (daysInRange(first) + days);
        expect(Math.abs(split.interim - exact)).toBeLessThan(1);
        if (size >= 2) expect(split.interim).toBeGreaterThanOrEqual(1);
        if (size >= 2 && days > 0) expect(split.rollForward).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
