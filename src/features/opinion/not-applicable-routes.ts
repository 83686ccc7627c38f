// Marking a criterion or objective in scope not applicable, with the reason, and removing the mark.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notApplicableCheck } from '../../domain/not-applicable.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm, text, type FieldErrors } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
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

  app.post('/opinion/not-applicable', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = parseForm(notApplicableForm, req.body);
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

  app.post<{ Params: { exclusionId: string } }>('/opinion/not-applicable/:exclusionId/remove', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const id = idParam(req.params.exclusionId);
    const mark = exclusionsOf(db, engagement.id).find((x) => x.id === id);
    if (!mark)
      return wasDeletedHere(db, engagement.id, 'criterion-exclusion', id)
        ? done(req, reply, 'That mark was already removed.')
        : reply.callNotFound();
    removeNotApplicable(db, currentUser(req), engagement.id, id);
    return done(req, reply, `${mark.criterionRef} is no longer marked not applicable.`);
  });
}
