// Calendar dates as whole epoch days, and the calendar arithmetic the reporting period is counted in.
//
// Dates are calendar dates (`YYYY-MM-DD`) with no time zone. All arithmetic is done on whole "epoch days"
// (days since 1970-01-01) through Date.UTC and the getUTC* getters: date-fns reads local-time fields, and a
// local calendar can skip a whole day (Pacific/Kiritimati on 1994-12-31, Pacific/Apia on 2011-12-30), so the
// server's time zone would otherwise leak into a population.
import type { DateRange, IsoDate } from './types.js';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  year: number;
  month: number; // 1..12
  day: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function fromYmd({ year, month, day }: Ymd): number {
  // Months outside 1..12 roll over into neighbouring years, which addMonths relies on.
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function toYmd(epochDay: number): Ymd {
  const d = new Date(epochDay * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Parses a `YYYY-MM-DD` date (years 1000–9999) into days since 1970-01-01; throws on anything else. */
export function toEpochDay(date: IsoDate): number {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (!match) throw new Error(`Invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new Error(`Invalid date ${JSON.stringify(date)}: no such calendar day`);
  }
  return fromYmd({ year, month, day });
}

export function fromEpochDay(epochDay: number): IsoDate {
  const { year, month, day } = toYmd(epochDay);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28 or 29). */
export function addMonths(epochDay: number, months: number): number {
  const { year, month, day } = toYmd(epochDay);
  const first = toYmd(fromYmd({ year, month: month + months, day: 1 }));
  return fromYmd({ ...first, day: Math.min(day, daysInMonth(first.year, first.month)) });
}

/** 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
export function weekdayFromMonday(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

export function parseRange({ start, end }: DateRange): { from: number; to: number } {
  const from = toEpochDay(start);
  const to = toEpochDay(end);
  if (to < from) throw new Error(`Invalid period: end ${end} is before start ${start}`);
  return { from, to };
}

/** The same calendar day `years` later, 29 February becoming 28 February in a common year. */
export function addYearsIso(date: IsoDate, years: number): IsoDate {
  return fromEpochDay(addMonths(toEpochDay(date), 12 * years));
}

/** The calendar date `days` after `date` (negative for before). */
export function addDaysIso(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}
