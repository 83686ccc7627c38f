import { z } from 'zod';
import { DATE_FORMATS } from '../../domain/population-checks.js';
import { optionalIsoDate, optionalText, text } from '../../core/http/forms.js';

const column = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v)))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 0 && v < 500), `Choose the ${label} column.`);

/** The date column may be left out only for a configuration listing dated as a whole (`asAt`): the route checks
 * that with the control and the window (itemDatingProblem). */
export const mappingForm = z
  .object({
    header: z
      .string()
      .optional()
      .transform((v) => v === 'on' || v === '1' || v === 'true'),
    key: column('item key').refine((v) => v !== null, 'Choose the column that holds the item key.'),
    date: column('date'),
    asAt: optionalIsoDate('As-at date'),
    description: column('description'),
    amount: column('amount'),
    dateFormat: z.enum(DATE_FORMATS, { error: 'Choose how dates are written.' }),
  })
  .refine((v) => v.key !== v.date, { message: 'The key and the date must be different columns.', path: ['date'] });
export type MappingInput = z.infer<typeof mappingForm>;

const countField = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v.replace(/,/g, '') : ''))
  .refine((v) => v === '' || /^\d{1,9}$/.test(v), 'Enter a whole number of records.')
  .transform((v) => (v === '' ? null : Number(v)));

const amountField = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^-?[\d,]+(\.\d{1,4})?$/.test(v), 'Enter an amount like 1,234.56.');

export const caForm = z.object({
  sourceSystem: optionalText('Source system', 200),
  reportUsed: optionalText('Report or query', 2000),
  extractedBy: optionalText('Extracted by', 200),
  extractedOn: optionalIsoDate('Extraction date'),
  clientCount: countField,
  clientTotal: amountField,
  procedures: optionalText('Procedures performed', 4000),
  tieOutExplanation: optionalText('Explanation of the difference', 4000),
});

export const caNotNeededForm = z.object({ reason: text('Reason C&A work is not needed', 2000) });

export const replaceForm = z.object({ reason: text('Reason for replacing the population', 1000) });

/** A form that carries only the `version` it was based on (read with versionOf). */
export const versionedForm = z.record(z.string(), z.unknown());
