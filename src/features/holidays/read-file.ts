// An uploaded holiday calendar: an iCalendar export (.ics) or a CSV sheet, told apart by the content alone.
import { parse } from 'csv-parse/sync';
import { readHolidayRows, type HolidayReading, type NumberedRow } from '../../domain/holiday-calendar.js';
import { readIcsHolidays } from '../../domain/holiday-ics.js';
import { csvDelimiter, sniffSpreadsheet, type CsvDelimiter } from '../../core/files/spreadsheet-kind.js';
import { UnreadableFileError } from '../../core/files/unreadable-file.js';

/** A calendar is a few kilobytes; this bounds what an upload may hold in memory. */
export const HOLIDAY_FILE_BYTES = 256 * 1024;

const HOW =
  'Upload an iCalendar export (.ics) or a CSV file with the date (YYYY-MM-DD) in the first column and the name in the second.';

/** The spreadsheet imports' refusals, with a calendar's advice: it takes text, never a workbook. */
const REFUSALS = {
  empty: 'The file is empty.',
  xls: `This is an old Excel 97–2003 file (.xls), not a calendar. Save the sheet as "CSV UTF-8". ${HOW}`,
  pdf: `The file is a PDF, not a calendar. ${HOW}`,
  utf16: 'The file is UTF-16 text. Save it as UTF-8 ("CSV UTF-8") and upload it again.',
  binary: `The file holds binary data, not a calendar. ${HOW}`,
  notUtf8: `The file is not UTF-8 text. ${HOW}`,
};

/** The file's text, refused when it is a binary file (a workbook, a PDF) or not UTF-8. */
function textOf(bytes: Buffer): string {
  // The whole file is its head: it is small, and a binary byte anywhere in it is refused.
  if (sniffSpreadsheet(bytes, REFUSALS) === 'xlsx')
    throw new UnreadableFileError(
      `The file is a ZIP archive (an Excel workbook?), not a calendar. Save the sheet as "CSV UTF-8". ${HOW}`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UnreadableFileError(REFUSALS.notUtf8);
  }
}

function csvRows(text: string, delimiter: CsvDelimiter): NumberedRow[] {
  try {
    const records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UnreadableFileError(
      `${line ? `Line ${line}: ` : ''}the CSV file could not be read (${(err as Error).message.replace(/^Invalid Record Length: |^Quote Not Closed: /, '')}).`,
    );
  }
}

/** Reads an upload: BEGIN:VCALENDAR at the top makes it iCalendar, anything else is read as CSV. */
export function readHolidayFile(bytes: Buffer): { kind: 'ics' | 'csv'; reading: HolidayReading } {
  const text = textOf(bytes);
  if (/^\s*BEGIN:VCALENDAR/i.test(text)) return { kind: 'ics', reading: readIcsHolidays(text) };
  return { kind: 'csv', reading: readHolidayRows(csvRows(text, csvDelimiter(bytes))) };
}
