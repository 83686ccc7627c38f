import type { Tx } from '../../db/connection.js';
import { referenceKey, type ScopeResolver } from '../../domain/criteria.js';
import { columnLetter, MATRIX_COLUMN_KEYS, type MatrixColumn } from '../../domain/control-matrix.js';
import {
  changedColumns,
  mergeImported,
  readMatrix,
  type ControlDraft,
  type MatrixRow,
} from '../../domain/matrix-rows.js';
import { loadMatrix, type StoredControl } from '../controls/index.js';

export type ImportAction = 'create' | 'update' | 'unchanged' | 'rejected';

export interface PreviewRow extends MatrixRow {
  action: ImportAction;
  /** The control as it will be stored: the row, merged into the existing control on an update. */
  result: ControlDraft | null;
  existing: StoredControl | null;
  changes: MatrixColumn[];
}

export interface ImportPreview {
  problems: string[];
  ignored: string[];
  rows: PreviewRow[];
  /** The file's column letter for each column read, for pointing at a cell. */
  letters: Partial<Record<MatrixColumn, string>>;
  counts: Record<ImportAction, number>;
}

/**
 * Reads the file against the matrix as it stands now. A reference already in the engagement updates that
 * control (export, edit in Excel, import again); a repeated reference within the file is an error.
 */
export function previewImport(db: Tx, engagementId: number, resolve: ScopeResolver, table: string[][]): ImportPreview {
  const reading = readMatrix(table, resolve);
  const existing = new Map(loadMatrix(db, engagementId).map((s) => [referenceKey(s.control.reference), s]));
  const present = new Set(MATRIX_COLUMN_KEYS.filter((c) => reading.positions[c] !== undefined));
  const rows = reading.rows.map((row): PreviewRow => {
    const stored = row.cells.reference ? (existing.get(referenceKey(row.cells.reference)) ?? null) : null;
    if (!row.draft) return { ...row, action: 'rejected', result: null, existing: stored, changes: [] };
    if (!stored) return { ...row, action: 'create', result: row.draft, existing: null, changes: [] };
    const result = mergeImported(stored.draft, row.draft, present, row.cells);
    const changes = changedColumns(stored.draft, result);
    return { ...row, action: changes.length ? 'update' : 'unchanged', result, existing: stored, changes };
  });
  const counts = { create: 0, update: 0, unchanged: 0, rejected: 0 };
  for (const row of rows) counts[row.action]++;
  const letters = Object.fromEntries(Object.entries(reading.positions).map(([k, i]) => [k, columnLetter(i)]));
  return { problems: reading.problems, ignored: reading.ignored, rows, letters, counts };
}

export function canCommit(preview: ImportPreview): boolean {
  return preview.problems.length === 0 && preview.counts.rejected === 0 && preview.rows.length > 0;
}
