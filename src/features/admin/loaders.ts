// The user account an administrator's route names in its path. Outside any engagement, so not the engagement
// gate's loader: people recorded from an unverified archive are not accounts and are the 404 page too.
import type { FastifyRequest } from 'fastify';
import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import type { Loader } from '../../core/engagement/loaders.js';
import { notFound } from '../../core/errors.js';

type UserRow = typeof users.$inferSelect;

const loaded = new WeakMap<FastifyRequest, UserRow>();

/** `:userId`, read as a number by the route's `pathIds('userId')`. */
export const userInPath: Loader<UserRow> = {
  preHandler: async (req) => {
    const id = Number((req.params as Record<string, unknown>).userId);
    const row = req.server.conn.db
      .select()
      .from(users)
      .where(and(eq(users.id, id), isNull(users.recordedEmail)))
      .get();
    if (!row) throw notFound();
    loaded.set(req, row);
  },
  of(req) {
    const row = loaded.get(req);
    if (!row) throw new Error('the route does not load :userId (add userInPath.preHandler)');
    return row;
  },
};
