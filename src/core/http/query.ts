// The query string of a page: filters, sorting, a calculator's inputs. Anyone can type one, so a value that
// no link of Tickmark would make is a plain 400 page, never a 500.
import { z } from 'zod';
import { RuleError } from '../errors.js';

/** Longer than any value a link or a GET form of Tickmark makes. */
export const MAX_QUERY_VALUE = 200;

/** A query string no page would send: a 400 page showing the message. */
const refused = (message: string) => new RuleError(message, { status: 400 });

const named = (name: string) => `“${name.slice(0, 40)}”`;

export interface ReadOptions {
  /** Read `?page=2&page=3` as page 2, as the grid's links always have (a page number harms no one). */
  firstOfRepeated?: boolean;
}

export type QueryReading<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The query's values, one string each. A parameter given twice (`?a=1&a=2`), or longer than MAX_QUERY_VALUE,
 * is refused: it is ambiguous or not from Tickmark, and no filter should guess which one was meant.
 */
function valuesOf(query: unknown, options: ReadOptions): QueryReading<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, given] of Object.entries(query && typeof query === 'object' ? query : {})) {
    const value: unknown = options.firstOfRepeated && Array.isArray(given) ? given[0] : given;
    if (typeof value !== 'string') return { ok: false, message: `The address gives ${named(name)} more than once.` };
    if (value.length > MAX_QUERY_VALUE)
      return { ok: false, message: `The address gives ${named(name)} a value longer than any page uses.` };
    values[name] = value;
  }
  return { ok: true, value: values };
}

/** The query's values as one string each (see valuesOf), or a 400 page. */
export function queryValues(query: unknown, options: ReadOptions = {}): Record<string, string> {
  const read = valuesOf(query, options);
  if (!read.ok) throw refused(read.message);
  return read.value;
}

/**
 * The query read with `schema`, or the message of a 400 page naming the parameter; a filter that should ignore
 * a stale value (an old bookmark) says so with `.catch()` in its schema.
 */
export function queryReading<T>(query: unknown, schema: z.ZodType<T>, options: ReadOptions = {}): QueryReading<T> {
  const values = valuesOf(query, options);
  if (!values.ok) return values;
  const parsed = schema.safeParse(values.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    message: `The address gives ${named(String(issue?.path[0] ?? 'a parameter'))} a value Tickmark does not use.`,
  };
}

/** The query read with `schema` (see queryReading), or a 400 page. */
export function readQuery<T>(query: unknown, schema: z.ZodType<T>, options: ReadOptions = {}): T {
  const read = queryReading(query, schema, options);
  if (!read.ok) throw refused(read.message);
  return read.value;
}

/** `?page=` and `?item=` of a list (read with `firstOfRepeated`) shown a page at a time; a page that is not one of the list's shows the first. */
export const pageQuery = z.object({ page: z.string().optional(), item: z.string().optional() });
