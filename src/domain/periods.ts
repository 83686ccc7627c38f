// Reporting-period arithmetic and the occurrences of a periodic control.
// Dates are counted as whole epoch days (epoch-days.ts).
import type { DateRange, IsoDate, OccurrenceCalendar, PeriodicFrequency } from './types.js';
import { addMonths, fromEpochDay, fromYmd, parseRange, toEpochDay, toYmd, weekdayFromMonday } from './epoch-days.js';

export { addDaysIso, addYearsIso, fromEpochDay, toEpochDay } from './epoch-days.js';

export interface Occurrence {
  start: IsoDate;
  end: IsoDate;
  /** The calendar period was clipped by the start or the end of the reporting period. */
  partial: boolean;
}

export interface OccurrenceOptions {
  /** Non-business days for daily controls, as `YYYY-MM-DD`; dates outside the period are ignored. */
  holidays?: readonly IsoDate[];
  /** Which days a daily control operates on (default business days); 'every-day' ignores weekends and holidays. */
  calendar?: OccurrenceCalendar;
  /**
   * The day years, half-years and quarters are counted from: the reporting period's start (default the range's
   * start). A control tested from mid-period passes the engagement's start so its quarters stay the period's.
   */
  periodStart?: IsoDate;
}

export interface PeriodValidation {
  errors: string[];
  warnings: string[];
}

/** Frequencies counted from the reporting period's start, with their length in months. */
const ANCHORED_MONTHS = { annual: 12, 'semi-annual': 6, quarterly: 3 } as const;
type AnchoredFrequency = keyof typeof ANCHORED_MONTHS;

function isAnchored(frequency: PeriodicFrequency): frequency is AnchoredFrequency {
  return frequency in ANCHORED_MONTHS;
}

/**
 * The k-th span of `months` months counted from `anchor` that contains the day, with its index. Each span starts
 * on `anchor + k·months` (clamped to the month's end), so a 31 January start gives 30 April, 31 July, 31 October.
 */
function anchoredSpan(months: number, anchor: number, epochDay: number): { index: number; span: [number, number] } {
  const a = toYmd(anchor);
  const d = toYmd(epochDay);
  let k = Math.floor(((d.year - a.year) * 12 + (d.month - a.month)) / months);
  while (addMonths(anchor, k * months) > epochDay) k--;
  while (addMonths(anchor, (k + 1) * months) <= epochDay) k++;
  return { index: k, span: [addMonths(anchor, k * months), addMonths(anchor, (k + 1) * months) - 1] };
}

/** The calendar period (month, half-month, Monday–Sunday week) that contains the day, as inclusive epoch days. */
function calendarPeriod(frequency: 'monthly' | 'semi-monthly' | 'weekly', epochDay: number): [number, number] {
  const { year, month, day } = toYmd(epochDay);
  const first = fromYmd({ year, month, day: 1 });
  const last = addMonths(first, 1) - 1;
  switch (frequency) {
    case 'monthly':
      return [first, last];
    case 'semi-monthly':
      return day <= 15 ? [first, first + 14] : [first + 15, last];
    case 'weekly': {
      const monday = epochDay - weekdayFromMonday(epochDay);
      return [monday, monday + 6];
    }
  }
}

function periodContaining(
  frequency: Exclude<PeriodicFrequency, 'daily'>,
  epochDay: number,
  anchor: number,
): [number, number] {
  return isAnchored(frequency)
    ? anchoredSpan(ANCHORED_MONTHS[frequency], anchor, epochDay).span
    : calendarPeriod(frequency, epochDay);
}

function days(from: number, to: number, calendar: OccurrenceCalendar, holidays: readonly IsoDate[]): Occurrence[] {
  const closed = new Set(holidays.map(toEpochDay));
  const open = (d: number) => calendar === 'every-day' || (weekdayFromMonday(d) < 5 && !closed.has(d));
  const list: Occurrence[] = [];
  for (let d = from; d <= to; d++) {
    if (!open(d)) continue;
    const iso = fromEpochDay(d);
    list.push({ start: iso, end: iso, partial: false });
  }
  return list;
}

/**
 * The occurrences of a periodic control in a range (the period, or the part of it the control is tested over):
 * years, half-years and quarters counted from the reporting period's start (a fiscal year October–September has
 * one annual occurrence); calendar months, 1st–15th / 16th–month end halves and Monday–Sunday weeks; each clipped
 * to the range, the clipped first and last ones flagged partial. For 'daily', every business day (no Saturday,
 * Sunday or holiday), or every day with `calendar: 'every-day'`.
 */
export function occurrences(
  frequency: PeriodicFrequency,
  range: DateRange,
  { holidays = [], calendar = 'business-days', periodStart = range.start }: OccurrenceOptions = {},
): Occurrence[] {
  const { from, to } = parseRange(range);
  if (frequency === 'daily') return days(from, to, calendar, holidays);
  const anchor = toEpochDay(periodStart);
  const result: Occurrence[] = [];
  for (let cursor = from; cursor <= to; ) {
    const [spanStart, spanEnd] = periodContaining(frequency, cursor, anchor);
    const end = Math.min(spanEnd, to);
    result.push({
      start: fromEpochDay(cursor),
      end: fromEpochDay(end),
      partial: cursor !== spanStart || end !== spanEnd,
    });
    cursor = end + 1;
  }
  return result;
}

export interface PeriodPosition {
  /** The year of the period (counted from its start) that holds the date. */
  year: DateRange;
  /** 1-based number of the half-year or quarter within that year; 1 for annual. */
  number: number;
}

/** Which year, half-year or quarter of the reporting period (counted from `periodStart`) holds the date. */
export function periodPosition(frequency: AnchoredFrequency, date: IsoDate, periodStart: IsoDate): PeriodPosition {
  const anchor = toEpochDay(periodStart);
  const months = ANCHORED_MONTHS[frequency];
  const perYear = 12 / months;
  const { index } = anchoredSpan(months, anchor, toEpochDay(date));
  const year = Math.floor(index / perYear);
  const yearStart = addMonths(anchor, 12 * year);
  const yearEnd = addMonths(anchor, 12 * (year + 1)) - 1;
  return { year: { start: fromEpochDay(yearStart), end: fromEpochDay(yearEnd) }, number: index - year * perYear + 1 };
}

/** Length of a period in days, both ends included. */
export function daysInRange(range: DateRange): number {
  const { from, to } = parseRange(range);
  return to - from + 1;
}

/**
 * Length of a period in months, counted from the start date's monthly anniversaries: whole months while
 * `start + m months` is on or before the day after the end, then the rest as a fraction of the next month's
 * days. 2025-01-01..2025-12-31 and 2025-02-15..2026-02-14 are both exactly 12.
 */
export function periodMonths(range: DateRange): number {
  const { from, to } = parseRange(range);
  const afterEnd = to + 1;
  let whole = 0;
  while (addMonths(from, whole + 1) <= afterEnd) whole++;
  const anniversary = addMonths(from, whole);
  const nextAnniversary = addMonths(from, whole + 1);
  return whole + (afterEnd - anniversary) / (nextAnniversary - anniversary);
}

/**
 * Whether the period runs past its first anniversary. The anniversary rolls over rather than clamps: a year from
 * 29 February 2024 runs through 28 February 2025 (it is 1 March 2025 that is a year later), so that period is 12
 * months, as is the one ending 27 February that clamping (and periodMonths) counts.
 */
function endsAfterFirstYear({ start, end }: DateRange): boolean {
  const { year, month, day } = toYmd(toEpochDay(start));
  return toEpochDay(end) >= fromYmd({ year: year + 1, month, day });
}

/** Checks a Type II reporting period: errors block it, warnings need the auditor's attention. */
export function validateReportingPeriod(range: DateRange): PeriodValidation {
  const errors: string[] = [];
  for (const [label, value] of [
    ['Start', range.start],
    ['End', range.end],
  ] as const) {
    try {
      toEpochDay(value);
    } catch (error) {
      errors.push(`${label} date: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) return { errors, warnings: [] };
  if (toEpochDay(range.end) <= toEpochDay(range.start)) {
    return { errors: ['The end of the reporting period must be after its start.'], warnings: [] };
  }
  const months = periodMonths(range);
  const warnings: string[] = [];
  if (months < 6) warnings.push('The reporting period is shorter than 6 months: allowed only in a first year.');
  if (endsAfterFirstYear(range)) warnings.push('The reporting period is longer than 12 months.');
  return { errors, warnings };
}

/** Splits a period at a control change: the change date is the first day of the 'after' range. */
export function splitAtDate(range: DateRange, changeDate: IsoDate): [before: DateRange, after: DateRange] {
  const { from, to } = parseRange(range);
  const change = toEpochDay(changeDate);
  if (change <= from || change > to) {
    throw new Error(`Change date ${changeDate} must be after ${range.start} and no later than ${range.end}`);
  }
  return [
    { start: range.start, end: fromEpochDay(change - 1) },
    { start: changeDate, end: range.end },
  ];
}

/** Days in a window; a window ending the day before it starts is empty (say, no roll-forward yet). */
function windowDays(window: DateRange): number {
  const days = toEpochDay(window.end) - toEpochDay(window.start) + 1;
  if (days < 0) throw new Error(`Invalid window: end ${window.end} is before start ${window.start}`);
  return days;
}

/**
 * Splits a sample between the interim and roll-forward windows in proportion to their lengths in days,
 * by largest remainder (a tie goes to the interim window), then moves one item so that each non-empty
 * window gets at least one when the sample has two or more.
 */
export function splitSampleAcrossWindows(
  size: number,
  interim: DateRange,
  rollForward: DateRange,
): { interim: number; rollForward: number } {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Invalid sample size ${size}`);
  const interimDays = windowDays(interim);
  const total = interimDays + windowDays(rollForward);
  if (total === 0) throw new Error('Both windows are empty');
  let first = Math.floor((size * interimDays) / total);
  const remainderFirst = (size * interimDays) % total;
  const remainderSecond = (size * (total - interimDays)) % total;
  if (remainderFirst > 0 && remainderFirst >= remainderSecond) first++;
  if (size >= 2 && interimDays > 0 && first === 0) first = 1;
  if (size >= 2 && interimDays < total && first === size) first = size - 1;
  return { interim: first, rollForward: size - first };
}
