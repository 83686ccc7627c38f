// The one way a route reads an id from its path: a positive safe integer written plainly, else no such page.
import type { FastifyRequest } from 'fastify';
import { notFound } from '../errors.js';

/** A positive id from the URL, or NaN for anything else ("01", "1e3", "-1", "abc"), which no row matches. */
export function idParam(raw: unknown): number {
  return typeof raw === 'string' && /^[1-9]\d{0,14}$/.test(raw) && Number.isSafeInteger(Number(raw))
    ? Number(raw)
    : NaN;
}

/** The id in the route's `name` parameter; anything else is a 404 page (a RuleError the error handler renders). */
export function pathId(req: FastifyRequest, name: string): number {
  const id = idParam((req.params as Record<string, unknown>)[name]);
  if (Number.isNaN(id)) throw notFound();
  return id;
}
