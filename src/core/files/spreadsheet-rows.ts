// Streams the rows of an uploaded CSV or XLSX file without loading it into memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { checkedRow, CsvShapeCheck, ROW_LIMITS, type RowLimits } from './row-limits.js';
import { UnreadableFileError } from './unreadable-file.js';
import { assertReasonableZip } from './zip-guard.js';

export { UnreadableFileError };
export type SpreadsheetKind = 'csv' | 'xlsx';

/** Decides from the content, never from the name: XLSX is a ZIP; CSV must be text. */
export async function sniffSpreadsheet(file: string): Promise<SpreadsheetKind> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) throw new UnreadableFileError('The file is empty.');
    const bytes = head.subarray(0, bytesRead);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
      await assertReasonableZip(file);
      return 'xlsx';
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new UnreadableFileError('The file is in UTF-16. Save it as CSV UTF-8 (Excel: "CSV UTF-8 (Comma delimited)") and upload it again.');
    }
    if (bytes.includes(0)) throw new UnreadableFileError('The file is neither a CSV text file nor an Excel workbook (.xlsx).');
    return 'csv';
  } finally {
    await handle.close();
  }
}

/** Passes bytes through while checking they are UTF-8, so a Latin-1 export fails with a clear message. */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
      done(null, chunk);
    } catch {
      done(new UnreadableFileError('The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again.'));
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
      done();
    } catch {
      done(new UnreadableFileError('The file ends in the middle of a character: it is not valid UTF-8 text.'));
    }
  }
}

async function* csvRows(file: string, limits: RowLimits): AsyncGenerator<string[]> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: limits.recordBytes });
  // pipeline, not pipe: an encoding error upstream must end the parser, not leave it waiting.
  pipeline(createReadStream(file), new Utf8Check(), new CsvShapeCheck(limits), parser, () => undefined);
  try {
    for await (const record of parser) yield record as string[];
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
    throw new UnreadableFileError(`The CSV file could not be read: ${(err as Error).message}`);
  } finally {
    parser.destroy();
  }
}

/**
 * Reads a whole CSV file once, bytes only (no parsing), and refuses it on the first line beyond the limits or
 * the first byte that is not UTF-8: an upload is refused at once, not at the end of its import.
 */
export async function assertCsvShape(file: string, limits: RowLimits = ROW_LIMITS): Promise<void> {
  await pipelineAsync(createReadStream(file), new Utf8Check(), new CsvShapeCheck(limits), new Writable({ write: (_chunk, _enc, done) => done() }));
}

/** A cell's value as the text a person sees: dates as ISO dates, formulas by their result. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

/** The first worksheet only; exceljs's streaming reader keeps memory flat for a million rows. */
async function* xlsxRows(file: string, limits: RowLimits): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row as ExcelJS.Row).values as ExcelJS.CellValue[];
        // exceljs rows are 1-based: index 0 is always empty.
        yield checkedRow(values.slice(1).map(cellText), (row as ExcelJS.Row).number, limits);
      }
      return;
    }
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
    throw new UnreadableFileError(`The Excel file could not be read (${(err as Error).message}). Is it a complete .xlsx workbook?`);
  }
}

/** Every row, refused with a clear message as soon as one passes the limits (ROW_LIMITS unless given). */
export async function* spreadsheetRows(file: string, kind: SpreadsheetKind, limits: RowLimits = ROW_LIMITS): AsyncGenerator<string[]> {
  yield* kind === 'csv' ? csvRows(file, limits) : xlsxRows(file, limits);
}

/** The first `count` rows, for a preview and for guessing the columns. */
export async function firstRows(file: string, kind: SpreadsheetKind, count: number, limits: RowLimits = ROW_LIMITS): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of spreadsheetRows(file, kind, limits)) {
    if (row.every((v) => v.trim() === '')) continue;
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}
