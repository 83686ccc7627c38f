// The shape a spreadsheet upload may have: enforced while the file streams in, so that a pathological file
// (a header of 25 MB of commas, rows of thousands of columns) is refused after its first few kilobytes.
import { Transform, type TransformCallback } from 'node:stream';
import { UnreadableFileError } from './unreadable-file.js';

export interface RowLimits {
  /** Cells in one row. */
  columns: number;
  /** Bytes (CSV) or characters (XLSX) of one cell. */
  cellBytes: number;
  /** Characters of one column name in the header row. */
  headerCellChars: number;
  /** Bytes (CSV) or characters (XLSX) of one row, separators included. */
  recordBytes: number;
}

export const ROW_LIMITS: RowLimits = {
  columns: 500,
  cellBytes: 32 * 1024,
  headerCellChars: 256,
  recordBytes: 256 * 1024,
};

// A file beyond one of the limits is an UnreadableFileError whose message names the limit and where it broke.
const n = (x: number) => x.toLocaleString('en-US');
const kb = (bytes: number) => `${n(Math.round(bytes / 1024))} KB`;

export function tooManyColumns(where: string, limits: RowLimits): UnreadableFileError {
  return new UnreadableFileError(
    `${where} has more than ${n(limits.columns)} columns, the most a file may have. Remove the columns you do not need (empty ones included) and upload it again.`,
  );
}

export function cellTooLong(where: string, limits: RowLimits): UnreadableFileError {
  return new UnreadableFileError(
    `${where} has a value longer than ${kb(limits.cellBytes)}, the most one value may hold. Shorten it and upload the file again.`,
  );
}

export function rowTooLong(where: string, limits: RowLimits): UnreadableFileError {
  return new UnreadableFileError(
    `${where} is longer than ${kb(limits.recordBytes)}, the most one row may hold. Remove the columns you do not need and upload the file again.`,
  );
}

/** Column names longer than the limit are refused with the column they are in. */
export function assertHeaderNames(header: readonly string[], limits: RowLimits = ROW_LIMITS): void {
  const index = header.findIndex((name) => name.trim().length > limits.headerCellChars);
  if (index >= 0) {
    throw new UnreadableFileError(
      `The name of column ${index + 1} in the first row is longer than ${n(limits.headerCellChars)} characters, the most a column name may have. Shorten it and upload the file again.`,
    );
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts the cells of each CSV record byte by byte, before any parser builds them, and fails as soon as a
 * limit is passed: csv-parse's own record limit counts cell contents, not separators, so a line of empty cells
 * would otherwise be built in full. Quotes toggle the quoted state (a doubled quote toggles twice); a quote the
 * parser would reject makes it fail on its own.
 */
export class CsvShapeCheck extends Transform {
  private line = 1;
  private cells = 1;
  private cellBytes = 0;
  private recordBytes = 0;
  private quoted = false;
  private readonly separator: number;

  constructor(
    private readonly limits: RowLimits = ROW_LIMITS,
    delimiter: string = ',',
  ) {
    super();
    this.separator = delimiter.charCodeAt(0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const limits = this.limits;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) this.quoted = !this.quoted;
      else if (b === LF) this.line++;
      if (!this.quoted && (b === LF || b === CR)) {
        this.cells = 1;
        this.cellBytes = 0;
        this.recordBytes = 0;
        continue;
      }
      if (++this.recordBytes > limits.recordBytes) return done(rowTooLong(`Line ${n(this.line)}`, limits));
      if (!this.quoted && b === this.separator) {
        if (++this.cells > limits.columns) return done(tooManyColumns(`Line ${n(this.line)}`, limits));
        this.cellBytes = 0;
      } else if (++this.cellBytes > limits.cellBytes) return done(cellTooLong(`Line ${n(this.line)}`, limits));
    }
    done(null, chunk);
  }
}

/** The same limits on a row the XLSX reader has built; trailing empty cells (formatting only) do not count.
 * The row is returned as it was read. */
export function checkedRow(cells: string[], rowNumber: number, limits: RowLimits = ROW_LIMITS): string[] {
  let end = cells.length;
  // exceljs leaves holes for cells it did not see: they count as empty.
  while (end > 0 && !cells[end - 1]) end--;
  const where = `Row ${n(rowNumber)}`;
  if (end > limits.columns) throw tooManyColumns(where, limits);
  let total = 0;
  for (let i = 0; i < end; i++) {
    const length = cells[i]?.length ?? 0;
    if (length > limits.cellBytes) throw cellTooLong(where, limits);
    total += length + 1;
  }
  if (total > limits.recordBytes) throw rowTooLong(where, limits);
  return cells;
}
