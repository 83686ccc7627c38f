import { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** The first message for each field, keyed by field name, for showing beside the inputs. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    errors[key] ??= issue.message;
  }
  return errors;
}

export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors; input: Record<string, unknown> };

export function parseForm<T>(schema: z.ZodType<T>, body: unknown): ParseResult<T> {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrors(result.error), input };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A required text field, trimmed, with a length cap so no one stores a novel by accident. */
export const text = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

export const optionalText = (label: string, max = 2000) =>
  z.string().trim().max(max, `${label} must be at most ${max} characters.`).optional().default('');

export const email = z
  .string({ error: 'Email is required.' })
  .trim()
  .toLowerCase()
  .min(1, 'Email is required.')
  .max(254, 'Email is too long.')
  .email('Enter a valid email address.');

/** A calendar date in ISO form that actually exists (no 2025-02-30). */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .refine((s) => ISO_DATE.test(s) && isRealDate(s), `${label} must be a date (YYYY-MM-DD).`);

export const optionalIsoDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s : null))
    .refine((s) => s === null || (ISO_DATE.test(s) && isRealDate(s)), `${label} must be a date (YYYY-MM-DD).`);

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d && y >= 1900 && y <= 2200;
}

/** Checkbox groups and multi-selects arrive as a string or an array; normalise to an array. */
export const stringList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
