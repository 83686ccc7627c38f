import { z } from 'zod';
import { SAMPLE_METHODS } from '../../db/schema/index.js';
import { MAX_SAMPLE_SIZE } from '../../domain/sample-approval.js';
import { optionalIsoDate, text } from '../../core/http/forms.js';

const percent = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v)))
    .refine(
      (v) => v === null || (Number.isFinite(v) && v >= min && v <= max),
      `${label} must be a percentage between ${min} and ${max}.`,
    );

/** The sizing half of the form, also used by the calculator and to refresh the proposal. */
export const sizingForm = z
  .object({
    sizing: z.enum(['table', 'statistical']).optional().default('table'),
    confidence: z.enum(['90', '95']).optional().default('95'),
    tolerableRate: percent('Tolerable rate', 0.5, 50),
    expectedRate: percent('Expected rate', 0, 20),
  })
  .refine((v) => v.sizing === 'table' || v.tolerableRate !== null, {
    message: 'Enter the tolerable deviation rate.',
    path: ['tolerableRate'],
  })
  .refine((v) => v.sizing === 'table' || v.tolerableRate === null || (v.expectedRate ?? 0) < v.tolerableRate, {
    message: 'The expected rate must be below the tolerable rate.',
    path: ['expectedRate'],
  });
export type SizingFormValue = z.infer<typeof sizingForm>;

export const selectionForm = z.intersection(
  sizingForm,
  z
    .object({
      method: z.enum(SAMPLE_METHODS, { error: 'Choose a selection method.' }),
      seed: z
        .string()
        .trim()
        .regex(/^[1-9]\d{0,15}$/, 'The seed is a whole number from 1 to 9007199254740991.')
        .refine((s) => Number(s) <= Number.MAX_SAFE_INTEGER, 'The seed is a whole number from 1 to 9007199254740991.'),
      overrideSize: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? Number(v) : null))
        .refine(
          (v) => v === null || (Number.isInteger(v) && v >= 1 && v <= MAX_SAMPLE_SIZE),
          `The size is a whole number of items, at most ${MAX_SAMPLE_SIZE.toLocaleString('en-US')}.`,
        ),
      overrideReason: z
        .string()
        .trim()
        .max(2000)
        .optional()
        .transform((v) => v || null),
      spreadBy: z.enum(['quarter', 'month']).optional().default('quarter'),
      interimEnd: optionalIsoDate('End of the interim window'),
      pickedKeys: z
        .string()
        .max(200_000)
        .optional()
        .default('')
        .transform((s) => [
          ...new Set(
            s
              .split(/[\r\n,]+/)
              .map((k) => k.trim())
              .filter(Boolean),
          ),
        ]),
      selectionReason: z
        .string()
        .trim()
        .max(2000)
        .optional()
        .transform((v) => v || null),
    })
    .refine((v) => v.overrideSize === null || v.overrideReason !== null, {
      message: 'Say why the size differs from the proposal.',
      path: ['overrideReason'],
    })
    .refine((v) => !['haphazard', 'judgmental'].includes(v.method) || v.pickedKeys.length > 0, {
      message: 'List the keys of the items you picked.',
      path: ['pickedKeys'],
    })
    .refine((v) => !['haphazard', 'judgmental'].includes(v.method) || v.selectionReason !== null, {
      message: 'Say how and why the items were picked.',
      path: ['selectionReason'],
    })
    .refine((v) => v.method !== 'interim-split' || v.interimEnd !== null, {
      message: 'Enter the last day of the interim window.',
      path: ['interimEnd'],
    }),
);

export const declineForm = z.object({ reason: text('The reason for declining', 2000) });

export const calculatorForm = z.object({
  confidence: z.enum(['90', '95']).optional().default('95'),
  tolerableRate: percent('Tolerable rate', 0.5, 50),
  expectedRate: percent('Expected rate', 0, 20),
  sampleSize: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine(
      (v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 5000),
      'The sample size is a whole number from 1 to 5,000.',
    ),
  deviations: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : 0))
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= 100, 'Deviations are a whole number from 0 to 100.'),
});
