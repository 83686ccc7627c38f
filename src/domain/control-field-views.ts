// The field definition read in the shapes its users need: the form's groups, order and layout, the matrix's
// columns, the control page's facts and a refused save's conflict texts.
import type { DisplayFormat, DisplaySpec } from './field-definition.js';
import {
  CONTROL_FIELDS,
  type ControlFieldName,
  type ControlFields,
  type FieldDefinition,
  type FormSpec,
  type MatrixSpec,
} from './control-fields.js';

/** The form groups fields that sit together under one legend; consecutive fields of a group share it. */
export const FORM_GROUPS = {
  change: {
    legend: 'Change during the period',
    hint: '(optional: the control is then tested separately before and after)',
  },
} as const;

/** The form's order where it differs from the matrix's: reference and owner share the first row. */
export const FORM_ORDER = [
  'reference',
  'owner',
  'description',
  'frequency',
  'calendar',
  'nature',
  'controlType',
  'risk',
  'isKey',
  'implementedFrom',
  'changedOn',
  'descriptionBeforeChange',
  'descriptionAfterChange',
] as const satisfies readonly ControlFieldName[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
/** A field left out of FORM_ORDER names itself here as a type error. */
export const FORM_ORDER_IS_COMPLETE: Missing<ControlFieldName, (typeof FORM_ORDER)[number]> = true;

type Fields = typeof CONTROL_FIELDS;
/** The fields that are columns of the matrix, and those columns' keys. */
export type MatrixField = {
  [K in ControlFieldName]: Fields[K] extends { matrix: object } ? K : never;
}[ControlFieldName];
export type FieldColumn = {
  [K in MatrixField]: Fields[K] extends { matrix: { column: infer C } } ? C : never;
}[MatrixField];

const fieldNames = Object.keys(CONTROL_FIELDS) as ControlFieldName[];
export const MATRIX_FIELDS = fieldNames.filter((k) => 'matrix' in CONTROL_FIELDS[k]) as MatrixField[];

export function matrixSpec(field: MatrixField): MatrixSpec<ControlFields[MatrixField]> & { column: FieldColumn } {
  return (CONTROL_FIELDS[field] as FieldDefinition<ControlFields[MatrixField]>).matrix as MatrixSpec<
    ControlFields[MatrixField]
  > & { column: FieldColumn };
}

/** The fields as the control page's facts list shows them. */
export function pageFacts(
  c: ControlFields,
  fmt: DisplayFormat,
): { label: string; text: string; notes: [string, string][] }[] {
  const facts: { label: string; text: string; notes: [string, string][] }[] = [];
  for (const name of fieldNames) {
    const display: DisplaySpec<ControlFields> = CONTROL_FIELDS[name].display;
    if (display.page === false) continue;
    const text = display.page?.text ? display.page.text(c, fmt) : display.text(c, fmt);
    if (text !== null) facts.push({ label: display.label, text, notes: display.page?.notes?.(c) ?? [] });
  }
  return facts;
}

/** Every field in words, for showing what is stored now beside a refused save. */
export function fieldTexts(c: ControlFields, fmt: DisplayFormat): [string, string | null][] {
  return fieldNames.map((name) => [CONTROL_FIELDS[name].display.label, CONTROL_FIELDS[name].display.text(c, fmt)]);
}

/** The fields in the form's order, each with the group it opens or closes. */
export function formLayout(): { name: ControlFieldName; spec: FormSpec }[] {
  return FORM_ORDER.map((name) => ({ name, spec: CONTROL_FIELDS[name].form as FormSpec }));
}
