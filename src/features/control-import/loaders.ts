// The pending import a route names in its path: the user's own, in the request's engagement (else 404). Its id
// is a UUID, not a row number, so it is read by the route's params schema (importParams) rather than pathIds.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentUser } from '../../core/auth/current-user.js';
import { engagementOf } from '../../core/engagement/access.js';
import type { Loader } from '../../core/engagement/loaders.js';
import { notFound } from '../../core/errors.js';
import { getPendingImport } from './service.js';

/** The import's id in the path, as savePendingImport makes it (anything else is the 404 page). */
export const importParams = z.looseObject({ importId: z.uuid() });

type PendingImport = NonNullable<ReturnType<typeof getPendingImport>>;

const importIdOf = (req: FastifyRequest) => importParams.parse(req.params).importId;

const loaded = new WeakMap<FastifyRequest, PendingImport>();

export const pendingImportInPath: Loader<PendingImport> = {
  preHandler: async (req) => {
    const { engagement } = engagementOf(req);
    const pending = getPendingImport(req.server.conn.db, engagement.id, currentUser(req).id, importIdOf(req));
    if (!pending) throw notFound();
    loaded.set(req, pending);
  },
  of(req) {
    const pending = loaded.get(req);
    if (!pending) throw new Error('the route does not load :importId (add its loader to preHandler)');
    return pending;
  },
};
