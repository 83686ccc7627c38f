// The shape of a field definition, shared by the entities whose fields are defined once (CONTROL_FIELDS):
// how a form edits a field, how a page shows it, and how a spreadsheet column reads and writes it.

export interface ChoiceOptions {
  values: readonly [string, ...string[]];
  labels: Readonly<Record<string, string>>;
}

interface FormCommon {
  /** The label the form shows. */
  label: string;
  /** How validation messages name the field, when not by its label. */
  messageLabel?: string;
  hint?: string;
  /** Spans the whole row of the form grid. */
  wide?: boolean;
  /** A key of the entity's form groups: consecutive fields of a group share its legend. */
  group?: string;
}

/** How the form edits a field: one template partial per kind (views/controls/fields/<kind>.eta). */
export type FormSpec = FormCommon &
  (
    | { kind: 'text'; max: number; required?: boolean; collapseSpaces?: boolean }
    | { kind: 'textarea'; max: number; required?: boolean; rows: number }
    | { kind: 'select'; options: ChoiceOptions; error: string; choose?: boolean; defaultValue?: string }
    | { kind: 'radio'; options: ChoiceOptions; error: string }
    | { kind: 'checkbox'; text: string }
    | { kind: 'date' }
  );

export type FieldKind = FormSpec['kind'];

export interface DisplayFormat {
  date(iso: string): string;
}

export interface DisplaySpec<Row> {
  label: string;
  /** The stored value in words; null when it does not apply to this control (an empty one reads as "—"). */
  text(c: Row, fmt: DisplayFormat): string | null;
  /**
   * The control page's facts list: false when the page shows the field elsewhere (title, lead paragraph,
   * under another field); otherwise other words than `text`, and lines shown beneath the value.
   */
  page?: false | { text?(c: Row, fmt: DisplayFormat): string | null; notes?(c: Row): [label: string, text: string][] };
}

export type CellRead<T> = { value: T } | { problem: string };

/** A column of the matrix spreadsheet: exported under `header`, imported from any of `synonyms` (normalised). */
export interface MatrixSpec<T, Row> {
  column: string;
  header: string;
  synonyms: readonly string[];
  width: number;
  /** A file without this column is refused; a missing optional column keeps the field's default or stored value. */
  required?: boolean;
  /** Reads a cell (trimmed, '' when blank or absent) into the value, or says what is wrong with it. */
  read(cell: string): CellRead<T>;
  /** The cell an export writes: exactly what `read` turns back into the same value. */
  write(c: Row): string;
}

export interface FieldDefinition<T, Row> {
  form: FormSpec;
  display: DisplaySpec<Row>;
  /** Absent: the field is not a column of the matrix (the import leaves it as it was, or at its default). */
  matrix?: MatrixSpec<T, Row>;
}

export const choice = (values: ChoiceOptions['values'], labels: Record<string, string>): ChoiceOptions => ({
  values,
  labels,
});

export function textCell(header: string, max: number, required: boolean, collapse: boolean) {
  return (cell: string): CellRead<string> => {
    const value = collapse ? cell.replace(/\s+/g, ' ').trim() : cell.trim();
    if (!value && required) return { problem: `${header} is missing.` };
    return value.length > max ? { problem: `${header} is longer than ${max} characters.` } : { value };
  };
}

export function choiceCell<T>(header: string, read: (cell: string) => T | null, labels: Record<string, string>) {
  const allowed = Object.values(labels).join(', ');
  return (cell: string): CellRead<T> => {
    if (!cell) return { problem: `${header} is missing: use one of ${allowed}.` };
    const value = read(cell);
    return value === null
      ? { problem: `Unknown ${header.toLowerCase()} "${cell}": use one of ${allowed}.` }
      : { value };
  };
}

export function orProblem<T>(read: (cell: string) => T | null, problem: (cell: string) => string) {
  return (cell: string): CellRead<T> => {
    const value = read(cell);
    return value === null ? { problem: problem(cell) } : { value };
  };
}
