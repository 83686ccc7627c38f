// Marking a criterion or objective in scope not applicable, with the reason, and removing the mark.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notApplicableCheck } from '../../domain/not-applicable.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { engagementOf } from '../../core/engagement/access.js';
import { text, type FieldErrors } from '../../core/http/forms.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { exclusionsOf, markNotApplicable, removeNotApplicable } from './exclusions.js';
import { engagementRollUp, limitationsOf } from './roll-up-data.js';
import { currentUser } from '../../core/auth/current-user.js';

const notApplicableForm = z.object({
  notApplicableRef: text('The criterion or objective', 40),
  notApplicableReason: text('The reason it is not applicable', 2000),
});

interface Pages {
  render: (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => Promise<unknown>;
  done: (req: FastifyRequest, reply: FastifyReply, flash: string) => unknown;
}

export function notApplicableRoutes(app: FastifyInstance, { render, done }: Pages): void {
  const { db } = app.conn;
  const routes = typed(app);

  routes.post('/opinion/not-applicable', { schema: { body: formOf(notApplicableForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    const rollUp = engagementRollUp(db, app.config.rootDir, engagement);
    const check = notApplicableCheck(parsed.value.notApplicableRef, {
      inScope: rollUp.rows.map((r) => r.id),
      controls: rollUp.outcomes,
      marked: exclusionsOf(db, engagement.id).map((x) => x.criterionRef),
      limited: limitationsOf(db, engagement.id).map((l) => l.criterionRef),
    });
    if (!check.ok) return render(req, reply.code(422), { notApplicableRef: check.reason });
    markNotApplicable(db, currentUser(req), engagement.id, check.reference, parsed.value.notApplicableReason);
    return done(req, reply, `${check.reference} marked not applicable.`);
  });

  // Not a loader: a mark removed a moment ago is a flash, not the 404 page.
  const removeOptions = { schema: { params: pathIds('exclusionId') } };
  routes.post('/opinion/not-applicable/:exclusionId/remove', removeOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const id = req.params.exclusionId;
    const mark = exclusionsOf(db, engagement.id).find((x) => x.id === id);
    if (!mark)
      return wasDeletedHere(db, engagement.id, 'criterion-exclusion', id)
        ? done(req, reply, 'That mark was already removed.')
        : reply.callNotFound();
    removeNotApplicable(db, currentUser(req), engagement.id, id);
    return done(req, reply, `${mark.criterionRef} is no longer marked not applicable.`);
  });
}
