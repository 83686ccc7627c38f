import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holidaysWithin, MAX_HOLIDAYS, readHolidayLines, readHolidayRows } from '../../src/domain/holiday-calendar.js';
import { readIcsHolidays } from '../../src/domain/holiday-ics.js';
import { fromEpochDay, toEpochDay } from '../../src/domain/periods.js';

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
const rows = (...lines: string[][]) => lines.map((cells, i) => ({ line: i + 1, cells }));

describe('pasted holiday lines', () => {
  it('reads a date and an optional name per line, sorted, skipping blank lines', () => {
    expect(
      readHolidayLines(
        '2025-12-25 Christmas Day\n\n2025-01-01, New Year’s Day\r\n2025-07-04\tIndependence Day\n2025-05-26\n',
      ),
    ).toEqual({
      holidays: [
        { date: '2025-01-01', name: 'New Year’s Day' },
        { date: '2025-05-26', name: '' },
        { date: '2025-07-04', name: 'Independence Day' },
        { date: '2025-12-25', name: 'Christmas Day' },
      ],
      problems: [],
    });
    expect(readHolidayLines('')).toEqual({ holidays: [], problems: [] });
  });

  it('names every bad line and reads nothing when there is one', () => {
    const reading = readHolidayLines(
      `2025-12-25 Christmas Day\n25/12/2025 Christmas\n2025-02-29 Leap day\n2025-12-25 Again\n2025-11-27 ${'x'.repeat(201)}`,
    );
    expect(reading.holidays).toEqual([]);
    expect(reading.problems).toEqual([
      'Line 2: "25/12/2025" is not a date: write it as YYYY-MM-DD (2025-12-25), optionally followed by the holiday\'s name.',
      'Line 3: 2025-02-29 is not a day of the calendar.',
      'Line 4: 2025-12-25 is already on line 1.',
      'Line 5: the name is longer than 200 characters.',
    ]);
  });

  it('strips control and invisible characters from names', () => {
    expect(readHolidayLines('2025-12-25 Christ\u202emas\u0007 Day').holidays).toEqual([
      { date: '2025-12-25', name: 'Christ mas Day' },
    ]);
  });

  it(`refuses more than ${MAX_HOLIDAYS} dates`, () => {
    const text = Array.from({ length: MAX_HOLIDAYS + 1 }, (_, i) => fromEpochDay(toEpochDay('2020-01-01') + i)).join(
      '\n',
    );
    expect(readHolidayLines(text).problems).toEqual([
      `The calendar has ${MAX_HOLIDAYS + 1} dates; it may hold at most ${MAX_HOLIDAYS}.`,
    ]);
  });

  it('reads back any list it was given, whatever the order and separators', () => {
    const dayArb = fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2040-12-31') }).map(fromEpochDay);
    const nameArb = fc.stringMatching(/^[A-Za-z][A-Za-z ’'.-]{0,30}[A-Za-z]$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(dayArb, nameArb, fc.constantFrom(' ', ', ', '\t', '; ')), {
          selector: (h) => h[0],
          maxLength: 40,
        }),
        (list) => {
          const reading = readHolidayLines(list.map(([d, n, sep]) => `${d}${sep}${n}`).join('\n'));
          expect(reading.problems).toEqual([]);
          expect(reading.holidays).toEqual(
            [...list]
              .sort((a, b) => (a[0] < b[0] ? -1 : 1))
              .map(([date, n]) => ({ date, name: n.replace(/\s+/g, ' ') })),
          );
        },
      ),
    );
  });
});

describe('CSV holiday rows', () => {
  it('skips a header row and reads the first two columns', () => {
    expect(
      readHolidayRows(
        rows(['Date', 'Holiday', 'Region'], ['2025-12-25', 'Christmas Day', 'All'], [''], ['2025-12-26', 'Boxing Day']),
      ),
    ).toEqual({
      holidays: [
        { date: '2025-12-25', name: 'Christmas Day' },
        { date: '2025-12-26', name: 'Boxing Day' },
      ],
      problems: [],
    });
  });

  it('names the line of a bad date, the header counted', () => {
    expect(
      readHolidayRows(rows(['Date', 'Name'], ['2025-12-25', 'Christmas'], ['12/26/2025', 'Boxing Day'])).problems,
    ).toEqual([
      'Line 3: "12/26/2025" is not a date: write it as YYYY-MM-DD (2025-12-25), optionally followed by the holiday\'s name.',
    ]);
    // A first row that is neither a date nor a header is a bad line, not a header.
    expect(readHolidayRows(rows(['Christmas', '2025-12-25'])).problems[0]).toMatch(
      /^Line 1: "Christmas" is not a date/,
    );
  });
});

describe('iCalendar holidays', () => {
  it('reads all-day events, each day of a multi-day one, unescaping and unfolding names', () => {
    const text = ics(
      ...event('UID:1', 'DTSTART;VALUE=DATE:20251225', 'DTEND;VALUE=DATE:20251226', 'SUMMARY:Christmas Day'),
      ...event(
        'DTSTART;VALUE=DATE:20251229',
        'DTEND;VALUE=DATE:20251231',
        'SUMMARY:Year-end shutdown\\, part ',
        ' one',
      ),
      ...event('DTSTART:20250101', 'SUMMARY:New Year', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'END:VALARM'),
      ...event('DTSTART;VALUE=DATE:20250704', 'STATUS:CANCELLED', 'SUMMARY:Not this year'),
      ...event('DTSTART;VALUE=DATE:20250526', 'DURATION:P1D', 'SUMMARY:Memorial Day'),
    );
    expect(readIcsHolidays(text)).toEqual({
      holidays: [
        { date: '2025-01-01', name: 'New Year' },
        { date: '2025-05-26', name: 'Memorial Day' },
        { date: '2025-12-25', name: 'Christmas Day' },
        { date: '2025-12-29', name: 'Year-end shutdown, part one' },
        { date: '2025-12-30', name: 'Year-end shutdown, part one' },
      ],
      problems: [],
    });
  });

  it('passes over time zones and other components outside events', () => {
    const text = ics(
      'BEGIN:VTIMEZONE',
      'TZID:Europe/London',
      'BEGIN:STANDARD',
      'DTSTART:19701025T020000',
      'END:STANDARD',
      'END:VTIMEZONE',
      ...event('DTSTART;VALUE=DATE:20251226', 'SUMMARY:Boxing Day'),
    );
    expect(readIcsHolidays(text).holidays).toEqual([{ date: '2025-12-26', name: 'Boxing Day' }]);
  });

  it('names the line of every event it cannot take', () => {
    const text = ics(
      ...event('DTSTART:20251225T090000Z', 'SUMMARY:Party'), // lines 4–7
      ...event('DTSTART;VALUE=DATE:20250101', 'RRULE:FREQ=YEARLY', 'SUMMARY:New Year'), // 8–12
      ...event('SUMMARY:No date'), // 13–15
      ...event('DTSTART;VALUE=DATE:20250230'), // 16–18
      ...event('DTSTART;VALUE=DATE:20250801', 'DTEND;VALUE=DATE:20250915'), // 19–22
      ...event('DTSTART;VALUE=DATE:20251226', 'DTEND;VALUE=DATE:20251226'), // 23–26
    );
    expect(readIcsHolidays(text)).toEqual({
      holidays: [],
      problems: [
        'Line 5: DTSTART 20251225T090000Z is a time of day, not a whole day: a holiday is an all-day event.',
        'Line 10: the event repeats (RRULE): export the calendar with each holiday as its own event, or paste the dates.',
        'Line 13: the event has no DTSTART.',
        'Line 17: DTSTART 20250230 is not a day of the calendar.',
        'Line 20: the event lasts 45 days; a holiday lasts at most 31.',
        'Line 25: DTEND is not after DTSTART.',
      ],
    });
  });

  it('refuses a file that is not a calendar, an incomplete one and an empty one', () => {
    expect(readIcsHolidays('Date,Name\n').problems).toEqual(['Line 1: an iCalendar file begins with BEGIN:VCALENDAR.']);
    expect(readIcsHolidays('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251225\r\n').problems).toEqual([
      'Line 1: BEGIN:VCALENDAR is never closed: the file is incomplete.',
    ]);
    expect(readIcsHolidays(ics()).problems).toEqual(['The calendar holds no events.']);
    expect(readIcsHolidays(ics('this is not a property')).problems).toEqual([
      'Line 4: not an iCalendar line (NAME:value).',
    ]);
    expect(
      readIcsHolidays(ics(...event('DTSTART;VALUE=DATE:20251225'), ...event('DTSTART;VALUE=DATE:20251225'))).problems,
    ).toEqual(['Line 8: 2025-12-25 is already on line 5.']);
  });
});

describe('holidaysWithin', () => {
  it('keeps the dates of the window, both ends included', () => {
    const list = ['2024-12-31', '2025-01-01', '2025-06-30', '2025-07-01'].map((date) => ({ date }));
    expect(holidaysWithin(list, { start: '2025-01-01', end: '2025-06-30' }).map((h) => h.date)).toEqual([
      '2025-01-01',
      '2025-06-30',
    ]);
  });
});
