// Turns an uploaded control matrix (XLSX or CSV) into rows of text cells, keeping spreadsheet row numbers.
// The file is checked and read by the one spreadsheet reader every import uses.
import { checkSpreadsheet } from '../../core/files/spreadsheet-kind.js';
import { spreadsheetSheets, UnreadableFileError } from '../../core/files/spreadsheet-rows.js';
import { findHeaderRow } from '../../domain/control-matrix.js';
import { MAX_MATRIX_ROWS } from '../../domain/matrix-rows.js';

const MAX_COLUMNS = 60;
const MAX_ROWS = MAX_MATRIX_ROWS + 50;

/** A sheet's first MAX_ROWS rows, cut to MAX_COLUMNS cells; the rest is read (the reader streams) but not kept. */
async function sheetTable(rows: AsyncIterable<string[]>): Promise<string[][]> {
  const table: string[][] = [];
  for await (const row of rows) if (table.length < MAX_ROWS) table.push(row.slice(0, MAX_COLUMNS));
  return table;
}

export async function readSpreadsheet(bytes: Buffer): Promise<string[][]> {
  const sheet = await checkSpreadsheet(bytes);
  const sheets: string[][][] = [];
  for await (const rows of spreadsheetSheets(bytes, sheet, { keepBlankLines: true, relaxQuotes: true }))
    sheets.push(await sheetTable(rows));
  if (sheets.length === 0) throw new UnreadableFileError('The workbook has no worksheets.');
  // The matrix is the first sheet with a recognisable header; cover sheets and legends are skipped.
  const table = sheets.find((rows) => findHeaderRow(rows) >= 0) ?? sheets[0]!;
  if (table.every((row) => row.every((cell) => cell.trim() === '')))
    throw new UnreadableFileError('The file holds no data: every cell is empty.');
  return table;
}
