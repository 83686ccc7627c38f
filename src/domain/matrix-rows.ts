// Reading the rows of an uploaded control matrix into controls, with every problem tied to its row and column,
// and writing controls back into cells the same reader accepts.
import { referenceKey, splitReferences, type ScopeResolver } from './criteria.js';
import { calendarFor, findHeaderRow, MATRIX_COLUMN_KEYS, matchHeaders, type MatrixColumn } from './control-matrix.js';
import { MATRIX_FIELDS, matrixSpec, type MatrixField } from './control-field-views.js';
import { TEXT_LIMITS, type ControlFields } from './control-fields.js';
import {
  readAttributes,
  readProcedures,
  testPlanProblems,
  writeAttributes,
  writeProcedures,
  type TestProcedure,
} from './test-plan.js';

export { TEXT_LIMITS } from './control-fields.js';

/** A control as a matrix row describes it: the fields that are columns of the matrix, its criteria and test plan. */
export interface ControlDraft extends Pick<ControlFields, MatrixField> {
  /** Canonical references of the criteria or objectives the control addresses. */
  criteria: string[];
  procedures: TestProcedure[];
  attributes: string[];
}

/** The matrix fields of a control (or of a draft), in the matrix's order. */
export function matrixFieldsOf(source: Pick<ControlFields, MatrixField>): Pick<ControlFields, MatrixField> {
  return Object.fromEntries(MATRIX_FIELDS.map((field) => [field, source[field]])) as Pick<ControlFields, MatrixField>;
}

export interface CellProblem {
  column: MatrixColumn;
  message: string;
}

export type MatrixCells = Partial<Record<MatrixColumn, string>>;

export interface MatrixRow {
  /** The row's number in the spreadsheet, header and title rows included. */
  rowNumber: number;
  cells: MatrixCells;
  draft: ControlDraft | null;
  problems: CellProblem[];
}

export interface MatrixReading {
  positions: Partial<Record<MatrixColumn, number>>;
  ignored: string[];
  /** Problems with the file as a whole; when there are any, no row is read. */
  problems: string[];
  rows: MatrixRow[];
}

export const MAX_MATRIX_ROWS = 5000;

export function readMatrix(table: readonly (readonly string[])[], resolve: ScopeResolver): MatrixReading {
  const headerIndex = findHeaderRow(table);
  if (headerIndex < 0) {
    const problem =
      table.length === 0
        ? 'The file holds no rows.'
        : 'No header row found: one of the first rows must name the columns, at least "Reference" and "Description".';
    return { positions: {}, ignored: [], problems: [problem], rows: [] };
  }
  const { positions, ignored, problems } = matchHeaders(table[headerIndex]!);
  const body = table.slice(headerIndex + 1).map((cells, i) => ({ rowNumber: headerIndex + 2 + i, cells }));
  const filled = body.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (filled.length === 0) problems.push('The file has a header but no control rows.');
  if (filled.length > MAX_MATRIX_ROWS)
    problems.push(`The file has ${filled.length} control rows; split it into files of at most ${MAX_MATRIX_ROWS}.`);
  if (problems.length > 0) return { positions, ignored, problems, rows: [] };
  const rows = filled.map(({ rowNumber, cells }) => {
    const picked = pickCells(cells, positions);
    const { draft, problems: rowProblems } = readMatrixRow(picked, resolve);
    return { rowNumber, cells: picked, draft, problems: rowProblems };
  });
  flagDuplicateReferences(rows);
  return { positions, ignored, problems: [], rows };
}

function pickCells(cells: readonly string[], positions: Partial<Record<MatrixColumn, number>>): MatrixCells {
  const picked: MatrixCells = {};
  for (const column of MATRIX_COLUMN_KEYS) {
    const at = positions[column];
    if (at !== undefined) picked[column] = (cells[at] ?? '').trim();
  }
  return picked;
}

export function readMatrixRow(
  cells: MatrixCells,
  resolve: ScopeResolver,
): { draft: ControlDraft | null; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const problem = (column: MatrixColumn, message: string) => problems.push({ column, message });
  const fields: Partial<Record<MatrixField, unknown>> = {};
  for (const field of MATRIX_FIELDS) {
    const spec = matrixSpec(field);
    const read = spec.read(cells[spec.column] ?? '');
    if ('problem' in read) problem(spec.column, read.problem);
    else fields[field] = read.value;
  }
  const criteria = readCriteria(cells.criteria ?? '', resolve, problem);
  const { procedures, attributes } = readPlan(cells, problem);
  if (problems.length > 0) return { draft: null, problems };
  const read = fields as Pick<ControlFields, MatrixField>;
  return {
    draft: { ...read, calendar: calendarFor(read.frequency, read.calendar), criteria, procedures, attributes },
    problems,
  };
}

function readCriteria(cell: string, resolve: ScopeResolver, problem: (c: MatrixColumn, m: string) => void): string[] {
  const criteria: string[] = [];
  for (const ref of splitReferences(cell)) {
    const resolved = resolve(ref);
    if (resolved.ok) {
      if (!criteria.includes(resolved.reference)) criteria.push(resolved.reference);
    } else problem('criteria', `${capitalise(resolved.message)}.`);
  }
  return criteria;
}

function readPlan(
  cells: MatrixCells,
  problem: (c: MatrixColumn, m: string) => void,
): { procedures: TestProcedure[]; attributes: string[] } {
  const read = readProcedures(cells.procedures ?? '');
  for (const message of read.problems) problem('procedures', `${capitalise(message)}.`);
  const attributes = readAttributes(cells.attributes ?? '');
  if (read.procedures.some((p) => p.text.length > TEXT_LIMITS.procedure))
    problem('procedures', `A procedure is longer than ${TEXT_LIMITS.procedure} characters.`);
  if (attributes.some((a) => a.length > TEXT_LIMITS.attribute))
    problem('attributes', `An attribute is longer than ${TEXT_LIMITS.attribute} characters.`);
  if (read.problems.length === 0) {
    for (const p of testPlanProblems({ procedures: read.procedures, attributes })) problem(p.field, p.message);
  }
  return { procedures: read.procedures, attributes };
}

/** Both copies of a repeated reference are flagged, so the reader sees the pair. */
function flagDuplicateReferences(rows: MatrixRow[]): void {
  const byKey = new Map<string, MatrixRow[]>();
  for (const row of rows) {
    const ref = row.cells.reference?.trim();
    if (!ref) continue;
    const key = referenceKey(ref);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (const row of group) {
      const others = group.filter((r) => r !== row).map((r) => r.rowNumber);
      row.problems.push({
        column: 'reference',
        message: `Duplicate reference "${row.cells.reference}": also on row ${others.join(', ')}.`,
      });
      row.draft = null;
    }
  }
}

/** The cells an export writes for a control: exactly what readMatrixRow reads back to the same control. */
export function controlCells(draft: ControlDraft): Record<MatrixColumn, string> {
  const fields = draft as ControlDraft & ControlFields;
  const cells = Object.fromEntries(
    MATRIX_FIELDS.map((field) => [matrixSpec(field).column, matrixSpec(field).write(fields)]),
  );
  return {
    ...cells,
    criteria: draft.criteria.join(', '),
    procedures: writeProcedures(draft.procedures),
    attributes: writeAttributes(draft.attributes),
  } as Record<MatrixColumn, string>;
}

/** Every field an import may change, with its column: the reference is what matches a row to its control. */
const FIELD_COLUMNS: [keyof ControlDraft, MatrixColumn][] = [
  ...MATRIX_FIELDS.filter((field) => field !== 'reference').map((field): [keyof ControlDraft, MatrixColumn] => [
    field,
    matrixSpec(field).column,
  ]),
  ['criteria', 'criteria'],
  ['procedures', 'procedures'],
  ['attributes', 'attributes'],
];

/**
 * What an imported row makes of an existing control. A column the file lacks leaves its field as it was, and
 * blank procedures and attributes keep the existing test plan: an import never silently discards planning work.
 */
export function mergeImported(
  existing: ControlDraft,
  incoming: ControlDraft,
  present: ReadonlySet<MatrixColumn>,
  cells: MatrixCells,
): ControlDraft {
  const merged: ControlDraft = { ...existing, reference: existing.reference };
  for (const [field, column] of FIELD_COLUMNS) {
    if (present.has(column)) (merged as unknown as Record<string, unknown>)[field] = incoming[field];
  }
  merged.calendar = calendarFor(merged.frequency, merged.calendar);
  const planBlank = !(cells.procedures ?? '').trim() && !(cells.attributes ?? '').trim();
  if (planBlank) {
    merged.procedures = existing.procedures;
    merged.attributes = existing.attributes;
  }
  return merged;
}

/** The matrix columns in which two versions of a control differ. */
export function changedColumns(before: ControlDraft, after: ControlDraft): MatrixColumn[] {
  return FIELD_COLUMNS.filter(([field]) => JSON.stringify(before[field]) !== JSON.stringify(after[field])).map(
    ([, column]) => column,
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
