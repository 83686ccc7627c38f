// The control form's schema, built from the one definition of a control's fields (domain/control-fields.ts),
// and the check that ties that definition to the `controls` table.
import { z } from 'zod';
import type { controls } from '../../db/schema/index.js';
import { formLayout } from '../../domain/control-field-views.js';
import {
  CONTROL_FIELDS,
  type ControlFieldName,
  type ControlFields,
  type FormSpec,
} from '../../domain/control-fields.js';
import { optionalIsoDate, optionalText, text } from '../../core/http/forms.js';

/** Columns the system keeps: the user never edits them, so they have no field. */
type SystemColumn = 'id' | 'engagementId' | 'createdAt' | 'updatedAt' | 'version' | 'planVersion';
export type EditableControlColumn = Exclude<keyof typeof controls.$inferInsert, SystemColumn>;
/** The editable columns as an insert takes them: those with a default (or nullable) may be left out. */
export type ControlInsertFields = Pick<typeof controls.$inferInsert, EditableControlColumn>;

/** The editable columns an insert may leave out: they have a default, or may be null. */
export type DefaultedControlColumn = {
  [K in EditableControlColumn]-?: object extends Pick<ControlInsertFields, K> ? K : never;
}[EditableControlColumn];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * A column added to the table and left out of CONTROL_FIELDS (or a field with no column) fails here with
 * "Type 'true' is not assignable to type 'false'"; so does a ControlFields type that differs from the column's.
 */
export const FIELDS_MATCH_TABLE: Same<EditableControlColumn, ControlFieldName> = true;
export const FIELD_TYPES_MATCH_TABLE: Same<
  Pick<typeof controls.$inferSelect, EditableControlColumn>,
  ControlFields
> = true;
CONTROL_FIELDS satisfies Record<EditableControlColumn, unknown>;

const choice = (values: readonly [string, ...string[]], message: string) => z.enum(values, { error: message });

function fieldSchema(spec: FormSpec): z.ZodType {
  const label = spec.messageLabel ?? spec.label;
  switch (spec.kind) {
    case 'text':
    case 'textarea': {
      const base = spec.required ? text(label, spec.max) : optionalText(label, spec.max);
      return spec.kind === 'text' && spec.collapseSpaces ? base.transform((s) => s.replace(/\s+/g, ' ')) : base;
    }
    case 'select':
      return spec.defaultValue
        ? choice(spec.options.values, spec.error).optional().default(spec.defaultValue)
        : choice(spec.options.values, spec.error);
    case 'radio':
      return choice(spec.options.values, spec.error);
    case 'checkbox':
      return z
        .string()
        .optional()
        .transform((v) => v === 'yes');
    case 'date':
      return optionalIsoDate(label);
  }
}

/** What the form posts for the control's fields: a blank date is null (the caller fills its default). */
export type ControlFieldsPosted = Omit<ControlFields, 'implementedFrom'> & { implementedFrom: string | null };

export const controlFieldsShape = Object.fromEntries(
  formLayout().map(({ name, spec }) => [name, fieldSchema(spec)]),
) as Record<ControlFieldName, z.ZodType>;
