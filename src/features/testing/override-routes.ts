// Overrides of the figures' proposal on a workpaper: asking for a further extension (a softer conclusion is asked
// for through the conclusion form), and a manager's or the partner's decision on either.
import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm, text } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { approveOverride, declineOverride, requestExtensionOverride } from './override-service.js';
import { findOverride, workpaperOfPopulation } from './queries.js';
import type { WorkpaperScope } from './scope.js';
import { renderWorkpaper, scopeFrom } from './pages.js';
import { currentUser } from '../../core/auth/current-user.js';

const requestForm = z.object({ rationale: text('The rationale', 4000) });
const declineForm = z.object({ reason: text('The reason for declining', 2000) });

const WP = '/controls/:controlId/workpaper/:populationId';

export async function overrideRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  const refused = (
    req: FastifyRequest,
    reply: FastifyReply,
    scope: WorkpaperScope,
    err: unknown,
    field = 'override',
  ) => {
    if (!(err instanceof RuleError)) throw err;
    return renderWorkpaper(req, reply.code(422), scope, {
      alert: err.message,
      overrideErrors: { [field]: err.message },
    });
  };
  const done = (req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, message: string) => {
    req.session.flash = message;
    return reply.redirect(`${scope.url}#overrides`, 303);
  };
  /** The override the URL names, on this workpaper; undefined (404) for any other, another engagement's included. */
  const overrideOf = (req: FastifyRequest, scope: WorkpaperScope) => {
    const wp = workpaperOfPopulation(db, scope.population.id);
    return wp ? findOverride(db, wp.id, idParam((req.params as { overrideId: string }).overrideId)) : undefined;
  };

  app.post(`${WP}/overrides`, async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const parsed = parseForm(requestForm, req.body);
    if (!parsed.ok)
      return renderWorkpaper(req, reply.code(422), scope, {
        alert: parsed.errors.rationale,
        overrideErrors: parsed.errors,
      });
    try {
      const row = requestExtensionOverride(db, currentUser(req), scope, parsed.value.rationale);
      return done(
        req,
        reply,
        scope,
        `Your request for a further extension to ${row.extendTo} items is recorded and waits for a manager or the engagement partner.`,
      );
    } catch (err) {
      return refused(req, reply, scope, err, 'rationale');
    }
  });

  app.post(`${WP}/overrides/:overrideId/approve`, async (req, reply) => {
    const scope = scopeFrom(req);
    const asked = scope && overrideOf(req, scope);
    if (!scope || !asked) return reply.callNotFound();
    try {
      const row = approveOverride(app.conn, currentUser(req), scope, asked.id, {
        limit: app.config.largeSampleItems,
        role: engagementOf(req).membership.role,
      });
      return done(
        req,
        reply,
        scope,
        row.kind === 'extension'
          ? `Override approved: the sample is extended to ${row.extendTo} items, continuing its seeded sequence.`
          : 'Override approved: the conclusion is set, with its rationale.',
      );
    } catch (err) {
      return refused(req, reply, scope, err);
    }
  });

  app.post(`${WP}/overrides/:overrideId/decline`, async (req, reply) => {
    const scope = scopeFrom(req);
    const asked = scope && overrideOf(req, scope);
    if (!scope || !asked) return reply.callNotFound();
    const parsed = parseForm(declineForm, req.body);
    if (!parsed.ok)
      return renderWorkpaper(req, reply.code(422), scope, {
        alert: parsed.errors.reason,
        overrideErrors: parsed.errors,
      });
    try {
      declineOverride(db, currentUser(req), scope, asked.id, parsed.value.reason);
      return done(req, reply, scope, 'Override declined; the figures’ proposal stands.');
    } catch (err) {
      return refused(req, reply, scope, err);
    }
  });
}
