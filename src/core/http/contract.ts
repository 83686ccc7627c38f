// What a route accepts, declared beside it the fastify way: its params, query string and form body as zod
// schemas (fastify-type-provider-zod), validated after the log-in, team and role gates (which run in
// preValidation) and before the handler, which receives them typed. A param that is not an id is the 404 page,
// a query string no page makes is a 400 page; a form body is always read into a ParseResult, so the handler
// can put the form back with its messages (forms are the user's, and are not refused wholesale).
import type { FastifyError, FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseForm, type ParseResult } from './forms.js';
import { queryReading, type ReadOptions } from './query.js';

/** An id in a path: a positive safe integer written plainly ("01", "1e3", "-1" and "abc" are no page). */
export const pathIdValue = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);

type IdShape<K extends string> = { [P in K]: typeof pathIdValue };

/**
 * The route's id params, each read as a number. Other params (the engagement's id, which its gate has read
 * already) pass through unread.
 */
export function pathIds<const K extends string>(...names: K[]) {
  const shape = Object.fromEntries(names.map((name) => [name, pathIdValue])) as IdShape<K>;
  return z.looseObject(shape);
}

/**
 * A query string read with `schema`, as `readQuery` reads one: a parameter given twice or too long, or a value
 * the schema refuses, is a 400 page naming the parameter.
 */
export function queryOf<T>(schema: z.ZodType<T>, options: ReadOptions = {}) {
  return z.unknown().transform((raw, ctx): T => {
    const read = queryReading(raw, schema, options);
    if (read.ok) return read.value;
    ctx.addIssue({ code: 'custom', message: read.message });
    return z.NEVER;
  });
}

/** A form read with its form schema: the values or the messages, and always what was typed (to show it again). */
export type FormReading<T> = ParseResult<T> & { input: Record<string, unknown> };

const readings = new WeakSet<object>();

/** A urlencoded form body read with the form's schema; the handler gets a FormReading, never a refusal. */
export function formOf<T>(schema: z.ZodType<T>) {
  return z.unknown().transform((raw): FormReading<T> => {
    const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const reading = { ...parseForm(schema, input), input };
    readings.add(reading);
    return reading;
  });
}

/** What the user typed into the form: the reading's input, or the raw body of a route that declares no form. */
export function typedInput(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && readings.has(body)) return (body as FormReading<unknown>).input;
  return (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
}

/** The app validates with zod and routes are typed from their schemas. */
export function useRouteContracts(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

/** The routes of a plugin, typed from their declared schemas. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export type ContractPart = 'params' | 'querystring' | 'body' | 'headers';

/** Which part of the request a failed validation was about, for the error handler; undefined for other errors. */
export function contractBroken(error: FastifyError): { part: ContractPart; message: string } | undefined {
  if (!error.validation || !error.validationContext) return undefined;
  return { part: error.validationContext as ContractPart, message: error.validation[0]?.message ?? error.message };
}
