// Streams the rows of an uploaded CSV or XLSX file, from its stored file or its bytes, without building the
// whole table: every spreadsheet import (control matrix, population, PBC list) reads through here.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { checkedRow, CsvShapeCheck, ROW_LIMITS, type RowLimits } from './row-limits.js';
import {
  csvDelimiter,
  REFUSALS,
  SPREADSHEET_HEAD_BYTES,
  type CsvDelimiter,
  type Spreadsheet,
  type SpreadsheetKind,
} from './spreadsheet-kind.js';
import { UnreadableFileError } from './unreadable-file.js';

export { UnreadableFileError };
export type { Spreadsheet, SpreadsheetKind };

/** A stored upload (its path) or one held in memory. */
export type SpreadsheetSource = string | Buffer;

export interface ReadOptions {
  /** ROW_LIMITS unless given. */
  limits?: RowLimits;
  /** Empty lines and rows are kept (as empty rows), so that row numbers match the spreadsheet's. */
  keepBlankLines?: boolean;
  /** A quote inside an unquoted CSV cell is text, as hand-made exports write it. */
  relaxQuotes?: boolean;
}

const bytesOf = (source: SpreadsheetSource): Readable =>
  typeof source === 'string' ? createReadStream(source) : Readable.from([source]);

/**
 * The file's bytes with its separator: the one given, or else read from its first bytes as they stream in (a
 * kind stored without its separator, as a population's upload is). The file is opened once: it may be a pipe.
 */
async function separatedBytes(
  source: SpreadsheetSource,
  given: CsvDelimiter | undefined,
): Promise<{ bytes: Readable; delimiter: CsvDelimiter }> {
  if (given) return { bytes: bytesOf(source), delimiter: given };
  const chunks = bytesOf(source)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < SPREADSHEET_HEAD_BYTES && !ended) {
    const next = await chunks.next();
    ended = next.done === true;
    if (!next.done) {
      head.push(next.value);
      length += next.value.length;
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      for (let next = ended ? null : await chunks.next(); next && !next.done; next = await chunks.next())
        yield next.value;
    } finally {
      await chunks.return?.();
    }
  }
  return { bytes: Readable.from(replay(), { objectMode: false }), delimiter: csvDelimiter(Buffer.concat(head)) };
}

/** Passes bytes through while checking they are UTF-8, so a Latin-1 export fails with a clear message. */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
      done(null, chunk);
    } catch {
      done(new UnreadableFileError(REFUSALS.notUtf8));
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

const unreadableCsv = (err: unknown) =>
  err instanceof UnreadableFileError
    ? err
    : new UnreadableFileError(`The CSV file could not be read: ${(err as Error).message}`);

async function* csvRows(
  source: SpreadsheetSource,
  given: CsvDelimiter | undefined,
  options: ReadOptions,
): AsyncGenerator<string[]> {
  const limits = options.limits ?? ROW_LIMITS;
  const { bytes, delimiter } = await separatedBytes(source, given).catch((err: unknown) =>
    Promise.reject(unreadableCsv(err)),
  );
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: options.relaxQuotes ?? false,
    skip_empty_lines: !options.keepBlankLines,
    max_record_size: limits.recordBytes,
  });
  // pipeline, not pipe: an encoding error upstream must end the parser, not leave it waiting.
  pipeline(bytes, new Utf8Check(), new CsvShapeCheck(limits, delimiter), parser, () => undefined);
  try {
    for await (const record of parser) yield record as string[];
  } catch (err) {
    throw unreadableCsv(err);
  } finally {
    parser.destroy();
  }
}

/**
 * Reads a whole CSV file once, bytes only (no parsing), and refuses it on the first line beyond the limits or
 * the first byte that is not UTF-8: an upload is refused at once, not at the end of its import.
 */
export async function assertCsvShape(
  source: SpreadsheetSource,
  delimiter?: CsvDelimiter,
  limits: RowLimits = ROW_LIMITS,
): Promise<void> {
  const separated = await separatedBytes(source, delimiter);
  await pipelineAsync(
    separated.bytes,
    new Utf8Check(),
    new CsvShapeCheck(limits, separated.delimiter),
    new Writable({ write: (_chunk, _enc, done) => done() }),
  );
}

/** A cell's value as the text a person sees: dates as ISO dates, formulas by their result. */
function cellText(value: ExcelJS.CellValue | undefined): string {
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

function unreadableWorkbook(err: unknown): UnreadableFileError {
  if (err instanceof UnreadableFileError) return err;
  return new UnreadableFileError(
    `The Excel file could not be read (${(err as Error).message}). Is it a complete .xlsx workbook?`,
  );
}

async function* worksheetRows(sheet: AsyncIterable<unknown>, options: ReadOptions): AsyncGenerator<string[]> {
  const limits = options.limits ?? ROW_LIMITS;
  let next = 1;
  try {
    for await (const item of sheet) {
      const row = item as ExcelJS.Row;
      if (options.keepBlankLines) for (; next < row.number; next++) yield [];
      next = row.number + 1;
      // exceljs rows are 1-based: index 0 is always empty; Array.from turns its holes into empty cells.
      yield checkedRow(Array.from((row.values as ExcelJS.CellValue[]).slice(1), cellText), row.number, limits);
    }
  } catch (err) {
    throw unreadableWorkbook(err);
  }
}

/** Each worksheet in turn, each read to its end before the next; exceljs's streaming reader keeps memory flat. */
async function* xlsxSheets(source: SpreadsheetSource, options: ReadOptions): AsyncGenerator<AsyncGenerator<string[]>> {
  let input: Readable;
  try {
    // Opened here, not by exceljs: a stored file that is gone is then a refusal, not an unhandled stream error.
    input = typeof source === 'string' ? (await open(source, 'r')).createReadStream() : Readable.from([source]);
  } catch (err) {
    throw unreadableWorkbook(err);
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) yield worksheetRows(sheet as AsyncIterable<unknown>, options);
  } catch (err) {
    throw unreadableWorkbook(err);
  }
}

/** The rows of each sheet (a CSV file is one sheet), refused with a clear message as soon as one passes the limits. */
export async function* spreadsheetSheets(
  source: SpreadsheetSource,
  sheet: SpreadsheetKind | Spreadsheet,
  options: ReadOptions = {},
): AsyncGenerator<AsyncGenerator<string[]>> {
  const kind = typeof sheet === 'object' ? sheet.kind : sheet;
  if (kind === 'xlsx') yield* xlsxSheets(source, options);
  else yield csvRows(source, typeof sheet === 'object' && sheet.kind === 'csv' ? sheet.delimiter : undefined, options);
}

/** Every row of the first sheet. */
export async function* spreadsheetRows(
  source: SpreadsheetSource,
  sheet: SpreadsheetKind | Spreadsheet,
  options: ReadOptions = {},
): AsyncGenerator<string[]> {
  for await (const rows of spreadsheetSheets(source, sheet, options)) {
    yield* rows;
    return;
  }
}

/** The first `count` rows that hold a value, for a preview and for guessing the columns. */
export async function firstRows(
  source: SpreadsheetSource,
  sheet: SpreadsheetKind | Spreadsheet,
  count: number,
  options: ReadOptions = {},
): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of spreadsheetRows(source, sheet, options)) {
    if (row.every((v) => v.trim() === '')) continue;
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}
