import { z } from 'zod';
import { EXCEPTION_NATURES, EXCEPTION_STATUSES } from '../../db/schema/index.js';
import { CONCLUSIONS } from '../../domain/types.js';
import { CELL_RESULTS } from '../../domain/workpaper.js';
import {
  optionalText,
  parseForm,
  stringList,
  text,
  type FieldErrors,
  type ParseResult,
} from '../../core/http/forms.js';
import type { CellInput } from './cell-service.js';

const NA_REASON_REQUIRED = 'Say why the attribute is not applicable to this item.';

const id = (label: string) =>
  z
    .string({ error: `${label} is missing.` })
    .regex(/^[1-9]\d{0,9}$/, `${label} is not valid.`)
    .transform(Number);
const version = z
  .string()
  .optional()
  .default('0')
  .refine((v) => /^\d{1,9}$/.test(v), 'The form is damaged: reload the page.')
  .transform(Number);
const letter = z.string({ error: 'Choose an attribute.' }).regex(/^[A-Z]$/, 'Choose an attribute.');
const result = z
  .enum(['', ...CELL_RESULTS], { error: 'Choose pass, exception or not applicable.' })
  .optional()
  .default('')
  .transform((v) => (v === '' ? null : v));
const naReason = optionalText('The reason', 500);

export const cellForm = z
  .object({ item: id('The item'), attribute: letter, result, naReason, version })
  .refine((v) => v.result !== 'na' || v.naReason.trim() !== '', { message: NA_REASON_REQUIRED, path: ['naReason'] })
  .transform(
    (v): CellInput => ({
      sampleItemId: v.item,
      attribute: v.attribute,
      result: v.result,
      naReason: v.naReason,
      version: v.version,
    }),
  );

/** The cell a mark that did not parse was aimed at, as far as it says (an item id no row has when it does not). */
export function cellTargetOf(input: Record<string, unknown>): { sampleItemId: number; attribute: string } {
  const item = typeof input.item === 'string' && /^[1-9]\d{0,9}$/.test(input.item) ? Number(input.item) : Number.NaN;
  return { sampleItemId: item, attribute: String(input.attribute ?? '') };
}

/** The item page's results form without JavaScript: `result-A`, `reason-A`, `version-A` for each attribute. */
export function readItemResults(
  body: unknown,
  sampleItemId: number,
  letters: readonly string[],
): ParseResult<CellInput[]> {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const cells: CellInput[] = [];
  for (const l of letters) {
    const parsed = parseForm(cellForm, {
      item: String(sampleItemId),
      attribute: l,
      result: input[`result-${l}`],
      naReason: input[`reason-${l}`],
      version: input[`version-${l}`],
    });
    if (parsed.ok) cells.push(parsed.value);
    else
      for (const [field, message] of Object.entries(parsed.errors))
        errors[field === 'naReason' ? `reason-${l}` : `result-${l}`] = message;
  }
  return Object.keys(errors).length ? { ok: false, errors, input } : { ok: true, value: cells };
}

export const bulkForm = z.union(
  [z.object({ item: id('The item') }).transform((v) => ({ sampleItemId: v.item })), z.object({ attribute: letter })],
  { error: 'Choose an item or an attribute.' },
);

export const notesForm = z.object({
  evidenceRef: optionalText('The evidence reference', 500),
  tickmarks: stringList,
  notes: optionalText('Notes', 5000),
  version,
});

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^[1-9]\d{0,9}$/.test(v), 'Choose a control from the list.')
  .transform((v) => (v === null ? null : Number(v)));

export const exceptionForm = z.object({
  description: text('What happened', 1000),
  cause: optionalText('The cause', 2000),
  nature: z
    .enum(['', ...EXCEPTION_NATURES], { error: 'Choose isolated or systemic.' })
    .optional()
    .default('')
    .transform((v) => (v === '' ? null : v)),
  managementResponse: optionalText("Management's response", 4000),
  compensatingControlId: optionalId,
  status: z.enum(EXCEPTION_STATUSES, { error: 'Choose open or resolved.' }).optional().default('open'),
  version,
});

export const conclusionForm = z.object({
  accept: z
    .string()
    .optional()
    .transform((v) => v === '1'),
  conclusion: z
    .enum(['', ...CONCLUSIONS], { error: 'Choose a conclusion.' })
    .optional()
    .default('')
    .transform((v) => (v === '' ? null : v)),
  reason: optionalText('The rationale', 4000),
  version,
});

export const wordingForm = z.object({
  itemNoun: optionalText('What was sampled', 60),
  text: optionalText('The result', 2000),
  basedOn: optionalText('The result', 4000),
  version,
});

export const registerQuery = z.object({
  control: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
  status: z.enum(EXCEPTION_STATUSES).optional().catch(undefined),
  nature: z
    .enum([...EXCEPTION_NATURES, 'unassessed'])
    .optional()
    .catch(undefined),
});

/** The reason is checked by the rule (domain/anomaly.ts), after the engagement's standard and the role. */
export const anomalyForm = z.object({ reason: optionalText('The reason', 4000), version });
export const anomalyDeclineForm = z.object({ reason: text('The reason for declining', 2000) });
