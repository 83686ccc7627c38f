// Overrides of the figures' proposal on a workpaper: asking for a further extension (a softer conclusion is asked
// for through the conclusion form), and a manager's or the partner's decision on either.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { engagementOf } from '../../core/engagement/access.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { RuleError } from '../../core/errors.js';
import { text } from '../../core/http/forms.js';
import { approveOverride, declineOverride, requestExtensionOverride } from './override-service.js';
import { onWorkpaper, overrideInPath, workpaperInPath } from './loaders.js';
import { renderWorkpaper } from './pages.js';
import { currentUser } from '../../core/auth/current-user.js';

const requestForm = z.object({ rationale: text('The rationale', 4000) });
const declineForm = z.object({ reason: text('The reason for declining', 2000) });

const WP = '/controls/:controlId/workpaper/:populationId';

export async function overrideRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);

  /** The workpaper again, the refusal (or the missing text) on top and beside the overrides. */
  const refused = (req: FastifyRequest, reply: FastifyReply, message: string | undefined, errors: object) =>
    renderWorkpaper(req, reply.code(422), workpaperInPath.of(req), { alert: message, overrideErrors: errors });
  const refusedBy =
    (req: FastifyRequest, reply: FastifyReply, field = 'override') =>
    (_e: unknown, _i: unknown, refusal: RuleError) =>
      refused(req, reply, refusal.message, { [field]: refusal.message });
  const back = (req: FastifyRequest) => `${workpaperInPath.of(req).url}#overrides`;

  const requestOptions = {
    schema: { params: pathIds('controlId', 'populationId'), body: formOf(requestForm) },
    preHandler: onWorkpaper,
  };
  routes.post(`${WP}/overrides`, requestOptions, async (req, reply) => {
    const reading = req.body;
    if (!reading.ok) return refused(req, reply, reading.errors.rationale, reading.errors);
    return actOrRerender(req, reply, {
      action: () => requestExtensionOverride(db, currentUser(req), workpaperInPath.of(req), reading.value.rationale),
      done: (row) =>
        `Your request for a further extension to ${row.extendTo} items is recorded and waits for a manager or the engagement partner.`,
      back: back(req),
      rerender: refusedBy(req, reply, 'rationale'),
    });
  });

  const params = pathIds('controlId', 'populationId', 'overrideId');
  const preHandler = [...onWorkpaper, overrideInPath.preHandler];

  routes.post(`${WP}/overrides/:overrideId/approve`, { schema: { params }, preHandler }, async (req, reply) =>
    actOrRerender(req, reply, {
      action: () =>
        approveOverride(app.conn, currentUser(req), workpaperInPath.of(req), overrideInPath.of(req).id, {
          limit: app.config.largeSampleItems,
          role: engagementOf(req).membership.role,
        }),
      done: (row) =>
        row.kind === 'extension'
          ? `Override approved: the sample is extended to ${row.extendTo} items, continuing its seeded sequence.`
          : 'Override approved: the conclusion is set, with its rationale.',
      back: back(req),
      rerender: refusedBy(req, reply),
    }),
  );

  const declineOptions = { schema: { params, body: formOf(declineForm) }, preHandler };
  routes.post(`${WP}/overrides/:overrideId/decline`, declineOptions, async (req, reply) => {
    const reading = req.body;
    if (!reading.ok) return refused(req, reply, reading.errors.reason, reading.errors);
    return actOrRerender(req, reply, {
      action: () =>
        declineOverride(db, currentUser(req), workpaperInPath.of(req), overrideInPath.of(req).id, reading.value.reason),
      done: 'Override declined; the figures’ proposal stands.',
      back: back(req),
      rerender: refusedBy(req, reply),
    });
  });
}
