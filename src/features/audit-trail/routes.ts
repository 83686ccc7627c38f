import type { FastifyInstance } from 'fastify';
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { auditEntries, users } from '../../db/schema/index.js';
import { engagementOf } from '../../core/engagement/access.js';
import { queryOf, typed } from '../../core/http/contract.js';
import { divergentRows } from '../../core/audit/replay.js';
import { verifyTrail } from '../../core/audit/trail.js';
import { withPeopleNamed } from './people.js';
import { workpaperHistory } from './workpaper-history.js';

const PAGE = 200;
const historyQuery = z.object({
  entity: z.string().max(60).optional(),
  entityId: z.string().max(40).optional(),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  workpaper: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function auditTrailRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);

  /** The engagement's trail, newest first, filtered to one entity (a workpaper, a control…) when asked. */
  routes.get('/history', { schema: { querystring: queryOf(historyQuery) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const q = req.query;
    if (q.workpaper) {
      const rows = workpaperHistory(db, engagement.id, q.workpaper);
      const entries = rows.map((r) => ({
        ...r.entry,
        user: r.user,
        changes: JSON.parse(r.entry.changes) as Record<string, [unknown, unknown]>,
      }));
      return reply.page('audit-trail/history', {
        title: 'History of the workpaper',
        entries: withPeopleNamed(db, entries),
        filter: { entity: 'workpaper', entityId: String(q.workpaper) },
        next: null,
        verification: null,
      });
    }
    const conditions = [eq(auditEntries.engagementId, engagement.id)];
    if (q.entity) conditions.push(eq(auditEntries.entity, q.entity));
    if (q.entity && q.entityId) conditions.push(eq(auditEntries.entityId, q.entityId));
    if (q.before) conditions.push(lt(auditEntries.id, q.before));
    const rows = db
      .select({ entry: auditEntries, user: users.name })
      .from(auditEntries)
      .leftJoin(users, eq(users.id, auditEntries.userId))
      .where(and(...conditions))
      .orderBy(desc(auditEntries.id))
      .limit(PAGE)
      .all();
    const entries = rows.map((r) => ({
      ...r.entry,
      user: r.user,
      changes: JSON.parse(r.entry.changes) as Record<string, [unknown, unknown]>,
    }));
    return reply.page('audit-trail/history', {
      title: 'History',
      entries: withPeopleNamed(db, entries),
      filter: q,
      next: rows.length === PAGE ? rows[rows.length - 1]!.entry.id : null,
      verification: null,
    });
  });

  /** The hash chain, then the replay of this engagement's rows against their last entries (as the script does). */
  routes.post('/audit-trail/verify', async (req, reply) => {
    const verification = verifyTrail(db, app.trailAnchor.anchoring());
    const divergences = divergentRows(db, engagementOf(req).engagement.id);
    return reply.page('audit-trail/history', {
      title: 'History',
      entries: [],
      filter: {},
      next: null,
      verification,
      divergences,
    });
  });
}
