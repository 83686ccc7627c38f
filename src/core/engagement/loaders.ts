// The rows a route names in its path (a control, a sample, a request), loaded before its handler runs, from
// the request's engagement only: an id of another engagement, or of nothing, is the same 404 page. The
// handler reads the row with `of(req)`; a loader may read one listed before it (a sample's population).
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { notFound } from '../errors.js';
import { idParam } from '../http/params.js';
import { engagementOf } from './access.js';

export interface Loader<T> {
  /** Put in the route's `preHandler` list. */
  readonly preHandler: preHandlerAsyncHookHandler;
  /** The row the preHandler loaded for this request. */
  of(req: FastifyRequest): T;
}

/** The path's id: a number once the route's params schema has read it, else read here the same way. */
function idIn(req: FastifyRequest, param: string): number {
  const raw = (req.params as Record<string, unknown>)[param];
  return typeof raw === 'number' ? raw : idParam(raw);
}

export function engagementEntity<T>(
  param: string,
  find: (req: FastifyRequest, engagementId: number, id: number) => T | null | undefined,
): Loader<T> {
  const loaded = new WeakMap<FastifyRequest, T>();
  return {
    preHandler: async (req) => {
      const id = idIn(req, param);
      const row = Number.isNaN(id) ? undefined : find(req, engagementOf(req).engagement.id, id);
      if (row === undefined || row === null) throw notFound();
      loaded.set(req, row);
    },
    of(req) {
      if (!loaded.has(req)) throw new Error(`the route does not load :${param} (add its loader to preHandler)`);
      return loaded.get(req) as T;
    },
  };
}
