// A manager's or the partner's decision on a proposed ISAE anomaly (the proposal is made from the exception's page).
import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { approveAnomaly, declineAnomaly, type AnomalyActor } from './anomaly-service.js';
import { anomalyDeclineForm } from './forms.js';
import { findAnomaly, workpaperOfPopulation } from './queries.js';
import type { WorkpaperScope } from './scope.js';
import { renderWorkpaper, scopeFrom } from './pages.js';
import { currentUser } from '../../core/auth/current-user.js';

const WP = '/controls/:controlId/workpaper/:populationId';

export async function anomalyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const actorOf = (req: FastifyRequest): AnomalyActor => ({
    user: currentUser(req),
    role: engagementOf(req).membership.role,
  });
  const refused = (req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, err: unknown) => {
    if (!(err instanceof RuleError)) throw err;
    return renderWorkpaper(req, reply.code(422), scope, {
      alert: err.message,
      anomalyErrors: { anomaly: err.message },
    });
  };
  const done = (req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, message: string) => {
    req.session.flash = message;
    return reply.redirect(`${scope.url}#anomalies`, 303);
  };
  /** The proposal the URL names, on this workpaper; undefined (404) for any other, another engagement's included. */
  const proposalOf = (req: FastifyRequest, scope: WorkpaperScope) => {
    const wp = workpaperOfPopulation(db, scope.population.id);
    return wp ? findAnomaly(db, wp.id, idParam((req.params as { anomalyId: string }).anomalyId)) : undefined;
  };

  app.post(`${WP}/anomalies/:anomalyId/approve`, async (req, reply) => {
    const scope = scopeFrom(req);
    const asked = scope && proposalOf(req, scope);
    if (!scope || !asked) return reply.callNotFound();
    try {
      approveAnomaly(db, actorOf(req), scope, asked.id);
      return done(
        req,
        reply,
        scope,
        'Anomaly approved: the deviation is out of the count and is still reported, with its reason.',
      );
    } catch (err) {
      return refused(req, reply, scope, err);
    }
  });

  app.post(`${WP}/anomalies/:anomalyId/decline`, async (req, reply) => {
    const scope = scopeFrom(req);
    const asked = scope && proposalOf(req, scope);
    if (!scope || !asked) return reply.callNotFound();
    const parsed = parseForm(anomalyDeclineForm, req.body);
    if (!parsed.ok)
      return renderWorkpaper(req, reply.code(422), scope, {
        alert: parsed.errors.reason,
        anomalyErrors: parsed.errors,
      });
    try {
      declineAnomaly(db, actorOf(req), scope, asked.id, parsed.value.reason);
      return done(req, reply, scope, 'Anomaly declined: the deviation counts.');
    } catch (err) {
      return refused(req, reply, scope, err);
    }
  });
}
