// An uploaded holiday calendar: an iCalendar export (.ics) or a CSV sheet, told apart by the content alone.
import { parse } from 'csv-parse/sync';
import { readHolidayRows, type HolidayReading, type NumberedRow } from '../../domain/holiday-calendar.js';
import { readIcsHolidays } from '../../domain/holiday-ics.js';
import { UnreadableFileError } from '../../core/files/unreadable-file.js';

/** A calendar is a few kilobytes; this bounds what an upload may hold in memory. */
export const HOLIDAY_FILE_BYTES = 256 * 1024;

const HOW = 'Upload an iCalendar export (.ics) or a CSV file with the date (YYYY-MM-DD) in the first column and the name in the second.';

/** The file's text, refused when it is a binary file (a workbook, a PDF) or not UTF-8. */
function textOf(bytes: Buffer): string {
  if (bytes.length === 0) throw new UnreadableFileError('The file is empty.');
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw new UnreadableFileError(`The file is a ZIP archive (an Excel workbook?), not a calendar. Save the sheet as "CSV UTF-8". ${HOW}`);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') throw new UnreadableFileError(`The file is a PDF, not a calendar. ${HOW}`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new UnreadableFileError('The file is UTF-16 text. Save it as UTF-8 ("CSV UTF-8") and upload it again.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableFileError(`The file is not UTF-8 text. ${HOW}`);
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new UnreadableFileError(`The file holds binary data, not a calendar. ${HOW}`);
  return text.replace(/^\uFEFF/, '');
}

/** Excel writes semicolons where the decimal mark is a comma; the top lines tell which separator the file uses. */
function delimiterOf(text: string): string {
  const top = text.split(/\r?\n/, 10).join('\n');
  const counts = [',', ';', '\t'].map((d) => [d, top.split(d).length - 1] as const).sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function csvRows(text: string): NumberedRow[] {
  try {
    const records = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UnreadableFileError(`${line ? `Line ${line}: ` : ''}the CSV file could not be read (${(err as Error).message.replace(/^Invalid Record Length: |^Quote Not Closed: /, '')}).`);
  }
}

/** Reads an upload: BEGIN:VCALENDAR at the top makes it iCalendar, anything else is read as CSV. */
export function readHolidayFile(bytes: Buffer): { kind: 'ics' | 'csv'; reading: HolidayReading } {
  const text = textOf(bytes);
  if (/^\s*BEGIN:VCALENDAR/i.test(text)) return { kind: 'ics', reading: readIcsHolidays(text) };
  return { kind: 'csv', reading: readHolidayRows(csvRows(text)) };
}
