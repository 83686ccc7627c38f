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

/**
 * The query's values, one string each. A parameter given twice (`?a=1&a=2`), or longer than MAX_QUERY_VALUE,
 * is refused: it is ambiguous or not from Tickmark, and no filter should guess which one was meant.
 */
export function queryValues(query: unknown, options: ReadOptions = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, given] of Object.entries(query && typeof query === 'object' ? query : {})) {
    const value: unknown = options.firstOfRepeated && Array.isArray(given) ? given[0] : given;
    if (typeof value !== 'string') throw refused(`The address gives ${named(name)} more than once.`);
    if (value.length > MAX_QUERY_VALUE)
      throw refused(`The address gives ${named(name)} a value longer than any page uses.`);
    values[name] = value;
  }
  return values;
}

/**
 * The query read with `schema`. What the schema refuses is a 400 page naming the parameter; a filter that
 * should ignore a stale value (an old bookmark) says so with `.catch()` in its schema.
 */
export function readQuery<T>(query: unknown, schema: z.ZodType<T>, options: ReadOptions = {}): T {
  const parsed = schema.safeParse(queryValues(query, options));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw refused(`The address gives ${named(String(issue?.path[0] ?? 'a parameter'))} a value Tickmark does not use.`);
}

/** `?page=` and `?item=` of a list (read with `firstOfRepeated`) shown a page at a time; a page that is not one of the list's shows the first. */
export const pageQuery = z.object({ page: z.string().optional(), item: z.string().optional() });
