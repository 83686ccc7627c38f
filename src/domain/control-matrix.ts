// The control matrix as auditors exchange it in Excel: its columns, the words clients use for them, and the
// values in its cells.
import { MATRIX_FIELDS, matrixSpec, type FieldColumn } from './control-field-views.js';

export * from './control-values.js';

/** The columns a matrix row holds beyond the control's own fields: its criteria and its test plan (rows of their own). */
export const RELATED_COLUMNS = {
  criteria: {
    header: 'Criteria',
    synonyms: [
      'criteria',
      'criterion',
      'tsc',
      'tscs',
      'trust services criteria',
      'tsc reference',
      'mapped criteria',
      'criteria/objectives',
      'objectives',
      'objective',
      'control objective',
      'control objectives',
      'co',
    ],
    width: 20,
  },
  procedures: {
    header: 'Test procedures',
    synonyms: [
      'test procedures',
      'test procedure',
      'procedures',
      'testing procedures',
      'tests performed',
      'test of controls',
      'tests of controls',
      'audit procedures',
    ],
    width: 70,
  },
  attributes: {
    header: 'Attributes',
    synonyms: ['attributes', 'attribute', 'test attributes', 'testing attributes'],
    width: 50,
  },
} as const satisfies Record<string, { header: string; synonyms: readonly string[]; width: number }>;

export type RelatedColumn = keyof typeof RELATED_COLUMNS;
export type MatrixColumn = FieldColumn | RelatedColumn;

interface ColumnSpec {
  header: string;
  synonyms: readonly string[];
  width: number;
  required?: boolean;
}

/** Every column in export order: the control's fields (CONTROL_FIELDS), then the related ones. */
const COLUMNS = new Map<MatrixColumn, ColumnSpec>([
  ...MATRIX_FIELDS.map((field) => [matrixSpec(field).column, matrixSpec(field)] as [MatrixColumn, ColumnSpec]),
  ...Object.entries(RELATED_COLUMNS).map(([key, spec]) => [key, spec] as [MatrixColumn, ColumnSpec]),
]);

export const MATRIX_COLUMN_KEYS: readonly MatrixColumn[] = [...COLUMNS.keys()];

const byColumn = <T>(pick: (spec: ColumnSpec) => T) =>
  Object.fromEntries([...COLUMNS].map(([key, spec]) => [key, pick(spec)])) as Record<MatrixColumn, T>;

/** The header each column is exported under; `criteria` reads "Objectives" on a SOC 1 engagement. */
export const MATRIX_HEADERS: Record<MatrixColumn, string> = byColumn((s) => s.header);
export const MATRIX_WIDTHS: Record<MatrixColumn, number> = byColumn((s) => s.width);
const HEADER_SYNONYMS: Record<MatrixColumn, readonly string[]> = byColumn((s) => s.synonyms);

/** Columns a file must have; the others fall back to a default when absent. */
export const REQUIRED_COLUMNS: readonly MatrixColumn[] = MATRIX_COLUMN_KEYS.filter((key) => COLUMNS.get(key)!.required);

export function normaliseHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .replace(/[?:*.]+$/, '')
    .trim();
}

const COLUMN_BY_HEADER = new Map<string, MatrixColumn>(
  MATRIX_COLUMN_KEYS.flatMap((key) => HEADER_SYNONYMS[key].map((h) => [h, key] as [string, MatrixColumn])),
);

export function columnForHeader(header: string): MatrixColumn | null {
  return COLUMN_BY_HEADER.get(normaliseHeader(header)) ?? null;
}

/** Spreadsheet column letter of a 0-based position: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export interface HeaderMatch {
  /** Position in the row of each recognised column. */
  positions: Partial<Record<MatrixColumn, number>>;
  /** Headers that name no column we know; their cells are not read. */
  ignored: string[];
  problems: string[];
}

export function matchHeaders(cells: readonly string[]): HeaderMatch {
  const positions: Partial<Record<MatrixColumn, number>> = {};
  const ignored: string[] = [];
  const problems: string[] = [];
  cells.forEach((cell, i) => {
    if (!cell.trim()) return;
    const column = columnForHeader(cell);
    if (!column) return void ignored.push(cell.trim());
    const earlier = positions[column];
    if (earlier === undefined) positions[column] = i;
    else
      problems.push(
        `Columns ${columnLetter(earlier)} ("${cells[earlier]!.trim()}") and ${columnLetter(i)} ("${cell.trim()}") both read as ${MATRIX_HEADERS[column]}; keep one.`,
      );
  });
  for (const column of REQUIRED_COLUMNS) {
    if (positions[column] === undefined)
      problems.push(`No ${MATRIX_HEADERS[column]} column: add a column headed "${MATRIX_HEADERS[column]}".`);
  }
  return { positions, ignored, problems };
}

/** The header is the first of the top rows naming both a reference and a description column (titles may sit above it). */
export function findHeaderRow(rows: readonly (readonly string[])[], scan = 10): number {
  for (let i = 0; i < Math.min(rows.length, scan); i++) {
    const columns = new Set(rows[i]!.map(columnForHeader));
    if (columns.has('reference') && columns.has('description')) return i;
  }
  return -1;
}
