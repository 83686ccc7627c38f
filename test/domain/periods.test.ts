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
  periodPosition,
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
const calendarFrequencies = ['monthly', 'semi-monthly', 'weekly'] as const;
const anchoredFrequencies = { annual: 12, 'semi-annual': 6, quarterly: 3 } as const;
type AnchoredFrequency = keyof typeof anchoredFrequencies;
type SpanFrequency = (typeof calendarFrequencies)[number] | AnchoredFrequency;
const spanFrequencies = [...calendarFrequencies, ...(Object.keys(anchoredFrequencies) as AnchoredFrequency[])];

/** Independent oracle: `start` plus k·months, on the same day or the month's last day when it is shorter. */
function anniversary(start: string, months: number): string {
  const d = utc(start);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d.getUTCDate(), lastDay))));
}

/** Independent oracle: is `date` the first day of a period counted from `anchor` every `months` months? */
function isAnniversary(anchor: string, months: number, date: string): boolean {
  const [ay, am] = [utc(anchor).getUTCFullYear(), utc(anchor).getUTCMonth()];
  const [dy, dm] = [utc(date).getUTCFullYear(), utc(date).getUTCMonth()];
  const offset = (dy - ay) * 12 + (dm - am);
  return offset % months === 0 && anniversary(anchor, offset) === date;
}

/** Independent oracle: is `date` the first / last day of its period (anchored ones counted from `anchor`)? */
function isPeriodStart(frequency: SpanFrequency, date: string, anchor: string): boolean {
  const d = utc(date);
  const day = d.getUTCDate();
  switch (frequency) {
    case 'monthly':
      return day === 1;
    case 'semi-monthly':
      return day === 1 || day === 16;
    case 'weekly':
      return d.getUTCDay() === 1;
    default:
      return isAnniversary(anchor, anchoredFrequencies[frequency], date);
  }
}
const isPeriodEnd = (frequency: SpanFrequency, date: string, anchor: string): boolean =>
  isPeriodStart(frequency, shift(date, 1), anchor);

describe('dates', () => {
  it('round-trips ISO dates through epoch days', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('2024-02-29')).toBe(19782);
    fc.assert(fc.property(dateArb, (date) => fromEpochDay(toEpochDay(date)) === date));
  });

  it.each([
    '2025-02-29',
    '2023-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-01',
    '20250101',
    '',
    '2025-01-01T00:00',
  ])('rejects %j', (bad) => expect(() => toEpochDay(bad)).toThrow(/Invalid date/));

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

  it('counts years, half-years and quarters from the start of a fiscal reporting period', () => {
    const fiscal = range('2024-10-01', '2025-09-30');
    expect(occurrences('annual', fiscal)).toEqual([{ start: '2024-10-01', end: '2025-09-30', partial: false }]);
    expect(occurrences('semi-annual', fiscal)).toEqual([
      { start: '2024-10-01', end: '2025-03-31', partial: false },
      { start: '2025-04-01', end: '2025-09-30', partial: false },
    ]);
    expect(occurrences('quarterly', range('2025-02-01', '2026-01-31'))).toEqual([
      { start: '2025-02-01', end: '2025-04-30', partial: false },
      { start: '2025-05-01', end: '2025-07-31', partial: false },
      { start: '2025-08-01', end: '2025-10-31', partial: false },
      { start: '2025-11-01', end: '2026-01-31', partial: false },
    ]);
    expect(occurrences('annual', range('2024-07-01', '2025-06-30'))).toEqual([
      { start: '2024-07-01', end: '2025-06-30', partial: false },
    ]);
  });

  it('keeps months and weeks on the calendar in a fiscal period', () => {
    const months = occurrences('monthly', range('2024-10-15', '2025-10-14'));
    expect(months[0]).toEqual({ start: '2024-10-15', end: '2024-10-31', partial: true });
    expect(months[1]).toEqual({ start: '2024-11-01', end: '2024-11-30', partial: false });
    expect(occurrences('weekly', range('2024-10-01', '2024-10-13'))[0]).toEqual({
      start: '2024-10-01',
      end: '2024-10-06',
      partial: true,
    });
  });

  it("counts a window's quarters from the reporting period's start, clipping the first", () => {
    // A control implemented on 10 February in a calendar-year engagement; a change on 1 August in a fiscal one.
    const quarters = occurrences('quarterly', range('2025-02-10', '2025-12-31'), { periodStart: '2025-01-01' });
    expect(quarters.map((o) => [o.start, o.end, o.partial])).toEqual([
      ['2025-02-10', '2025-03-31', true],
      ['2025-04-01', '2025-06-30', false],
      ['2025-07-01', '2025-09-30', false],
      ['2025-10-01', '2025-12-31', false],
    ]);
    expect(occurrences('annual', range('2025-08-01', '2025-09-30'), { periodStart: '2024-10-01' })).toEqual([
      { start: '2025-08-01', end: '2025-09-30', partial: true },
    ]);
    expect(occurrences('semi-annual', range('2025-03-01', '2025-09-30'), { periodStart: '2024-10-01' })).toEqual([
      { start: '2025-03-01', end: '2025-03-31', partial: true },
      { start: '2025-04-01', end: '2025-09-30', partial: false },
    ]);
  });

  it('counts quarters of a period starting on a month end from its monthly anniversaries', () => {
    expect(occurrences('quarterly', range('2025-01-31', '2026-01-30')).map((o) => o.start)).toEqual([
      '2025-01-31',
      '2025-04-30',
      '2025-07-31',
      '2025-10-31',
    ]);
    expect(occurrences('annual', range('2024-02-29', '2026-02-27')).map((o) => [o.start, o.end])).toEqual([
      ['2024-02-29', '2025-02-27'],
      ['2025-02-28', '2026-02-27'],
    ]);
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
    expect(occurrences('daily', range('2011-12-29', '2011-12-31')).map((d) => d.start)).toEqual([
      '2011-12-29',
      '2011-12-30',
    ]);
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

  it('tiles the range without gaps or overlaps, each occurrence a whole period unless clipped', () => {
    const anchoredRangeArb = fc
      .tuple(rangeArb, fc.integer({ min: 0, max: 500 }))
      .map(([r, back]) => ({ r, anchor: shift(r.start, -back) }));
    fc.assert(
      fc.property(fc.constantFrom(...spanFrequencies), anchoredRangeArb, (frequency, { r: period, anchor }) => {
        const list = occurrences(frequency, period, { periodStart: anchor });
        expect(list[0]?.start).toBe(period.start);
        expect(list.at(-1)?.end).toBe(period.end);
        expect(list.reduce((n, o) => n + daysInRange(o), 0)).toBe(daysInRange(period));
        list.forEach((o, i) => {
          expect(o.start <= o.end).toBe(true);
          if (i > 0) expect(o.start).toBe(shift(list[i - 1]!.end, 1));
          expect(o.partial).toBe(!isPeriodStart(frequency, o.start, anchor) || !isPeriodEnd(frequency, o.end, anchor));
          if (i > 0 && i < list.length - 1) expect(o.partial).toBe(false);
          if (i > 0) expect(isPeriodStart(frequency, o.start, anchor)).toBe(true);
          if (i < list.length - 1) expect(isPeriodEnd(frequency, o.end, anchor)).toBe(true);
          if (frequency === 'weekly' && !o.partial) expect(daysInRange(o)).toBe(7);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("starts annual, semi-annual and quarterly occurrences on the period start's anniversaries", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(anchoredFrequencies) as AnchoredFrequency[])),
        rangeArb,
        (frequency, period) => {
          const months = anchoredFrequencies[frequency];
          const list = occurrences(frequency, period);
          list.forEach((o, k) => {
            expect(o.start).toBe(anniversary(period.start, k * months));
            if (k < list.length - 1) expect(o.end).toBe(shift(anniversary(period.start, (k + 1) * months), -1));
          });
          // A period of exactly one year, half-year or quarter is one whole occurrence.
          const whole = range(period.start, shift(anniversary(period.start, months), -1));
          expect(occurrences(frequency, whole)).toEqual([{ ...whole, partial: false }]);
        },
      ),
      { numRuns: 300 },
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

  it('counts every day, weekends and holidays included, on the every-day calendar', () => {
    expect(occurrences('daily', range('2025-01-01', '2025-12-31'), { calendar: 'every-day' })).toHaveLength(365);
    expect(
      occurrences('daily', range('2024-01-01', '2024-12-31'), { calendar: 'every-day', holidays: ['2024-12-25'] }),
    ).toHaveLength(366);
    fc.assert(
      fc.property(rangeArb, fc.array(fc.integer({ min: -30, max: 830 }), { maxLength: 20 }), (period, offsets) => {
        const holidays = offsets.map((offset) => shift(period.start, offset));
        const days = occurrences('daily', period, { calendar: 'every-day', holidays });
        expect(days).toHaveLength(daysInRange(period));
        days.forEach((d, i) =>
          expect(d).toEqual({ start: shift(period.start, i), end: shift(period.start, i), partial: false }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('keeps business days the default for daily controls', () => {
    const week = range('2025-03-03', '2025-03-09');
    expect(occurrences('daily', week)).toEqual(occurrences('daily', week, { calendar: 'business-days' }));
    expect(occurrences('daily', week)).toHaveLength(5);
  });
});

describe('periodPosition', () => {
  it('names the year and the quarter or half of the period a date falls in', () => {
    expect(periodPosition('quarterly', '2025-01-15', '2024-10-01')).toEqual({
      year: range('2024-10-01', '2025-09-30'),
      number: 2,
    });
    expect(periodPosition('quarterly', '2025-09-30', '2024-10-01')).toEqual({
      year: range('2024-10-01', '2025-09-30'),
      number: 4,
    });
    expect(periodPosition('semi-annual', '2025-04-01', '2024-10-01').number).toBe(2);
    expect(periodPosition('annual', '2025-10-01', '2024-10-01')).toEqual({
      year: range('2025-10-01', '2026-09-30'),
      number: 1,
    });
    expect(periodPosition('quarterly', '2025-05-29', '2024-02-29')).toEqual({
      year: range('2025-02-28', '2026-02-27'),
      number: 2,
    });
  });

  it('agrees with the occurrences it names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(anchoredFrequencies) as AnchoredFrequency[])),
        rangeArb,
        (frequency, period) => {
          const perYear = 12 / anchoredFrequencies[frequency];
          occurrences(frequency, period).forEach((o, k) => {
            const position = periodPosition(frequency, o.start, period.start);
            expect(position.number).toBe((k % perYear) + 1);
            expect(position.year.start).toBe(anniversary(period.start, 12 * Math.floor(k / perYear)));
          });
        },
      ),
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

  it('gives no "longer than 12 months" warning for a year that starts on 29 February', () => {
    expect(validateReportingPeriod(range('2024-02-29', '2025-02-28'))).toEqual({ errors: [], warnings: [] });
    expect(validateReportingPeriod(range('2024-02-29', '2025-02-27'))).toEqual({ errors: [], warnings: [] });
    expect(validateReportingPeriod(range('2024-02-29', '2025-03-01')).warnings).toEqual([
      'The reporting period is longer than 12 months.',
    ]);
    expect(validateReportingPeriod(range('2024-03-01', '2025-02-28'))).toEqual({ errors: [], warnings: [] });
  });

  it('warns of a long period exactly from the first anniversary on', () => {
    fc.assert(
      fc.property(dateArb, (start) => {
        const [year, month, day] = start.split('-').map(Number) as [number, number, number];
        const nextYear = iso(new Date(Date.UTC(year + 1, month - 1, day))); // 29 Feb rolls over to 1 Mar
        const long = (end: string) =>
          validateReportingPeriod(range(start, end)).warnings.includes(
            'The reporting period is longer than 12 months.',
          );
        expect(long(shift(nextYear, -1))).toBe(false);
        expect(long(nextYear)).toBe(true);
      }),
    );
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
    expect(splitSampleAcrossWindows(2, range('2025-01-01', '2025-12-30'), short)).toEqual({
      interim: 1,
      rollForward: 1,
    });
    expect(splitSampleAcrossWindows(1, range('2025-01-01', '2025-12-30'), short)).toEqual({
      interim: 1,
      rollForward: 0,
    });
  });

  it('accepts an empty roll-forward window', () => {
    expect(splitSampleAcrossWindows(25, interim, range('2025-10-01', '2025-09-30'))).toEqual({
      interim: 25,
      rollForward: 0,
    });
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
