// Turns an uploaded control matrix (XLSX or CSV) into rows of text cells, keeping spreadsheet row numbers.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { cellText } from '../../core/files/spreadsheet-rows.js';
import { UnreadableFileError } from '../../core/files/unreadable-file.js';
import { assertReasonableZip } from '../../core/files/zip-guard.js';
import { findHeaderRow } from '../../domain/control-matrix.js';
import { MAX_MATRIX_ROWS } from '../../domain/matrix-rows.js';

/** A file that is not a spreadsheet we can read: the one class core's readers throw too. */
export { UnreadableFileError };

const MAX_COLUMNS = 60;
const MAX_ROWS = MAX_MATRIX_ROWS + 50;

export type SpreadsheetKind = 'xlsx' | 'csv';

/** Decided from the content, never from the name. */
export function sniffSpreadsheet(bytes: Buffer): SpreadsheetKind {
  if (bytes.length === 0) throw new UnreadableFileError('The file is empty.');
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new UnreadableFileError('This is an old Excel 97–2003 file (.xls). Open it in Excel, save it as an Excel Workbook (.xlsx) and upload that.');
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') throw new UnreadableFileError('This is a PDF, not a spreadsheet. Upload the matrix as .xlsx or .csv.');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UnreadableFileError('The file is UTF-16 text. Save it as "CSV UTF-8 (Comma delimited)" and upload it again.');
  }
  return 'csv';
}

export async function readSpreadsheet(bytes: Buffer): Promise<string[][]> {
  const kind = sniffSpreadsheet(bytes);
  if (kind === 'xlsx') await assertReasonableZip(bytes).catch((err: Error) => Promise.reject(new UnreadableFileError(err.message)));
  const table = kind === 'xlsx' ? await readXlsx(bytes) : readCsv(bytes);
  if (table.every((row) => row.every((cell) => cell.trim() === ''))) throw new UnreadableFileError('The file holds no data: every cell is empty.');
  return table;
}

function readCsv(bytes: Buffer): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableFileError('The file is neither an Excel workbook (.xlsx) nor UTF-8 text. Save it as .xlsx or "CSV UTF-8" and upload it again.');
  }
  // Binary content that happens to decode (a NUL, say) is not a CSV.
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new UnreadableFileError('The file is not a spreadsheet: it holds binary data. Upload the matrix as .xlsx or .csv.');
  try {
    const rows = parse(text, { bom: true, delimiter: csvDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, to: MAX_ROWS }) as string[][];
    return rows.map((r) => r.slice(0, MAX_COLUMNS));
  } catch (err) {
    throw new UnreadableFileError(`The CSV file could not be read: ${(err as Error).message}`);
  }
}

/** Excel writes semicolons where the decimal mark is a comma; the top lines (title rows included) tell which. */
function csvDelimiter(text: string): string {
  const top = text.split(/\r?\n/, 10).join('\n');
  const count = (ch: string) => top.split(ch).length - 1;
  const candidates = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
  return count(candidates[0]!) > 0 ? candidates[0]! : ',';
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new UnreadableFileError('The file looks like a ZIP archive but is not an Excel workbook that can be read. Save it from Excel as .xlsx and upload it again.');
  }
  const sheets = workbook.worksheets.map(sheetRows);
  if (sheets.length === 0) throw new UnreadableFileError('The workbook has no worksheets.');
  // The matrix is the first sheet with a recognisable header; cover sheets and legends are skipped.
  return sheets.find((rows) => findHeaderRow(rows) >= 0) ?? sheets[0]!;
}

function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  const last = Math.min(sheet.rowCount, MAX_ROWS);
  for (let r = 1; r <= last; r++) {
    const values = sheet.getRow(r).values as ExcelJS.CellValue[];
    // exceljs rows are 1-based: index 0 is always empty.
    rows.push(Array.from({ length: Math.min(Math.max(values.length - 1, 0), MAX_COLUMNS) }, (_, i) => cellText(values[i + 1])));
  }
  return rows;
}

