// A manager's or the partner's decision on a proposed ISAE anomaly (the proposal is made from the exception's page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { RuleError } from '../../core/errors.js';
import { approveAnomaly, declineAnomaly, type AnomalyActor } from './anomaly-service.js';
import { anomalyDeclineForm } from './forms.js';
import { anomalyInPath, onWorkpaper, workpaperInPath } from './loaders.js';
import { renderWorkpaper } from './pages.js';
import { currentUser } from '../../core/auth/current-user.js';

const WP = '/controls/:controlId/workpaper/:populationId';

export async function anomalyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);
  const actorOf = (req: FastifyRequest): AnomalyActor => ({
    user: currentUser(req),
    role: engagementOf(req).membership.role,
  });
  /** The workpaper again, the refusal (or the missing reason) on top and beside the anomalies. */
  const refused = (req: FastifyRequest, reply: FastifyReply, message: string | undefined, errors: object) =>
    renderWorkpaper(req, reply.code(422), workpaperInPath.of(req), { alert: message, anomalyErrors: errors });
  const refusedBy = (req: FastifyRequest, reply: FastifyReply) => (_e: unknown, _i: unknown, refusal: RuleError) =>
    refused(req, reply, refusal.message, { anomaly: refusal.message });
  const back = (req: FastifyRequest) => `${workpaperInPath.of(req).url}#anomalies`;

  const params = pathIds('controlId', 'populationId', 'anomalyId');
  const preHandler = [...onWorkpaper, anomalyInPath.preHandler];

  routes.post(`${WP}/anomalies/:anomalyId/approve`, { schema: { params }, preHandler }, async (req, reply) =>
    actOrRerender(req, reply, {
      action: () => approveAnomaly(db, actorOf(req), workpaperInPath.of(req), anomalyInPath.of(req).id),
      done: 'Anomaly approved: the deviation is out of the count and is still reported, with its reason.',
      back: back(req),
      rerender: refusedBy(req, reply),
    }),
  );

  const declineOptions = { schema: { params, body: formOf(anomalyDeclineForm) }, preHandler };
  routes.post(`${WP}/anomalies/:anomalyId/decline`, declineOptions, async (req, reply) => {
    const reading = req.body;
    if (!reading.ok) return refused(req, reply, reading.errors.reason, reading.errors);
    return actOrRerender(req, reply, {
      action: () =>
        declineAnomaly(db, actorOf(req), workpaperInPath.of(req), anomalyInPath.of(req).id, reading.value.reason),
      done: 'Anomaly declined: the deviation counts.',
      back: back(req),
      rerender: refusedBy(req, reply),
    });
  });
}
