// The engagement's holiday calendar as people bring it: dates pasted one a line, a CSV sheet, or an iCalendar
// (.ics) export. Every line is checked; a problem names its line, and any problem means nothing is read.
import { fromEpochDay, toEpochDay } from './periods.js';
import type { IsoDate } from './types.js';

export interface Holiday {
  date: IsoDate;
  name: string;
}

export interface HolidayReading {
  holidays: Holiday[];
  /** "Line 3: …", in the order of the lines; the calendar is taken only when there are none. */
  problems: string[];
}

/** A row of cells with its line in the file (1-based). */
export interface NumberedRow {
  line: number;
  cells: string[];
}

/** Ten years of any country's holidays fit many times over; more is not a holiday calendar. */
export const MAX_HOLIDAYS = 1000;
export const MAX_HOLIDAY_NAME = 200;
/** A multi-day event (a works shutdown) longer than this is refused rather than expanded. */
export const MAX_EVENT_DAYS = 31;

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
// Control and format characters (Unicode Cc, Cf) never belong in a name shown on every population page.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

function cleanName(name: string): string {
  return name.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
}

/** Collects holidays one at a time, so every reader reports duplicates and limits the same way. */
export class CalendarBuilder {
  readonly holidays: Holiday[] = [];
  readonly problems: string[] = [];
  private readonly lineOf = new Map<IsoDate, number>();

  problem(line: number, message: string): void {
    this.problems.push(`Line ${line}: ${message}`);
  }

  add(line: number, date: IsoDate, rawName: string): void {
    const name = cleanName(rawName);
    if (name.length > MAX_HOLIDAY_NAME)
      return this.problem(line, `the name is longer than ${MAX_HOLIDAY_NAME} characters.`);
    const earlier = this.lineOf.get(date);
    if (earlier !== undefined) return this.problem(line, `${date} is already on line ${earlier}.`);
    this.lineOf.set(date, line);
    this.holidays.push({ date, name });
  }

  result(): HolidayReading {
    const problems = [...this.problems];
    if (this.holidays.length > MAX_HOLIDAYS)
      problems.push(`The calendar has ${this.holidays.length} dates; it may hold at most ${MAX_HOLIDAYS}.`);
    if (problems.length > 0) return { holidays: [], problems };
    return { holidays: [...this.holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)), problems };
  }
}

/** The date of a cell written YYYY-MM-DD, or the message saying why it is not one. */
export function isoDateOf(cell: string): { date: IsoDate } | { message: string } {
  const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
  if (!ISO_SHAPE.test(cell))
    return {
      message: `"${shown}" is not a date: write it as YYYY-MM-DD (2025-12-25), optionally followed by the holiday's name.`,
    };
  try {
    toEpochDay(cell);
    return { date: cell };
  } catch {
    return { message: `${cell} is not a day of the calendar.` };
  }
}

function readRows(rows: readonly NumberedRow[], builder: CalendarBuilder): HolidayReading {
  for (const { line, cells } of rows) {
    const dateCell = (cells[0] ?? '').trim();
    if (dateCell === '' && cells.every((c) => c.trim() === '')) continue;
    const read = isoDateOf(dateCell);
    if ('message' in read) builder.problem(line, read.message);
    else builder.add(line, read.date, cells[1] ?? '');
  }
  return builder.result();
}

/** One pasted line: the date, then the name after a tab, comma, semicolon or spaces. */
function pastedCells(line: string): string[] {
  const match = /^(\S+?)(?:\s*[\t,;]\s*|\s+)(.*)$/.exec(line.trim());
  return match ? [match[1]!, match[2]!] : [line.trim()];
}

/** Dates pasted one a line ("2025-12-25 Christmas Day"); blank lines are skipped. */
export function readHolidayLines(text: string): HolidayReading {
  const rows = text.split(/\r\n|\n|\r/).map((line, i) => ({ line: i + 1, cells: pastedCells(line) }));
  return readRows(rows, new CalendarBuilder());
}

const HEADER_WORDS = /\b(date|day|holiday|name|description)s?\b/i;

/** The rows of a CSV sheet: the date in the first column, the name in the second; a header row is skipped. */
export function readHolidayRows(rows: readonly NumberedRow[]): HolidayReading {
  const first = rows.findIndex((r) => r.cells.some((c) => c.trim() !== ''));
  const header =
    first >= 0 &&
    !ISO_SHAPE.test((rows[first]!.cells[0] ?? '').trim()) &&
    HEADER_WORDS.test(rows[first]!.cells.join(' '));
  return readRows(header ? rows.slice(first + 1) : rows, new CalendarBuilder());
}

/** Days from `date` (inclusive) for `days` days, as ISO dates. */
export function daySpan(date: IsoDate, days: number): IsoDate[] {
  const first = toEpochDay(date);
  return Array.from({ length: days }, (_, i) => fromEpochDay(first + i));
}

/** The holidays inside a window, in date order. */
export function holidaysWithin<T extends { date: IsoDate }>(
  holidays: readonly T[],
  window: { start: IsoDate; end: IsoDate },
): T[] {
  return holidays.filter((h) => h.date >= window.start && h.date <= window.end);
}
