import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OPINION_TYPES } from '../../domain/opinion.js';
import { engagementProposal } from './proposal.js';
import { descriptionRowOf } from './description.js';
import { descriptionRoutes } from './description-routes.js';
import { engagementOf } from '../../core/engagement/access.js';
import { text, type FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed, typedInput } from '../../core/http/contract.js';
import { engagementRollUp, limitationsOf } from './roll-up-data.js';
import { exclusionsOf } from './exclusions.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { opinionDrafts, wordingContext } from './drafts.js';
import { coveredBy } from '../../domain/opinion-wording.js';
import { assertionSummary } from '../assertion/index.js';
import { qualityReviewProblem } from '../../domain/review.js';
import { approvalBlockers } from './approval-facts.js';
import { notApplicableRoutes } from './not-applicable-routes.js';
import {
  addScopeLimitation,
  approveOpinion,
  judgePervasiveness,
  removeScopeLimitation,
  signQualityReview,
  unlockEngagement,
} from './service.js';
import { qualityReviewFacts } from './decision.js';
import { currentUser } from '../../core/auth/current-user.js';

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1');
const pervasivenessForm = z.object({
  pervasiveFailure: checkbox,
  pervasiveLimitation: checkbox,
  pervasivenessReasons: z.string().trim().max(4000).optional().default(''),
});
const limitationForm = z.object({
  criterionRef: text('The criterion or objective', 40),
  description: text('What evidence could not be obtained', 2000),
});
const approveForm = z.object({
  type: z.enum(OPINION_TYPES, { error: 'Choose the opinion.' }),
  reason: z.string().trim().max(4000).optional().default(''),
});
const unlockForm = z.object({ reason: text('The reason for unlocking', 2000) });

export async function opinionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  const render = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}) => {
    const { engagement, membership } = engagementOf(req);
    const { rollUp, decision, proposal } = engagementProposal(db, app.config.rootDir, engagement);
    const shownType = decision?.approvedType ?? proposal.type ?? proposal.provisional;
    const qualityFacts = qualityReviewFacts(db, engagement.id);
    return reply.page('opinion/page', {
      title: 'Opinion',
      rollUp,
      proposal,
      decision,
      drafts: opinionDrafts(db, engagement, rollUp.rows, shownType, proposal),
      description: descriptionRowOf(db, engagement.id),
      covered: coveredBy(wordingContext(engagement)),
      limitations: limitationsOf(db, engagement.id),
      exclusions: exclusionsOf(db, engagement.id),
      assertion: assertionSummary(db, engagement),
      blockers: [
        ...approvalBlockers(db, app.config.rootDir, engagement),
        app.engagementJobs.refusal(engagement.id, 'approved'),
      ].filter((b) => b !== null),
      needsQualityReview: qualityFacts.reviewers.length > 0,
      qualityReview: { problem: qualityReviewProblem(qualityFacts) },
      role: membership.role,
      opinionTypes: OPINION_TYPES,
      errors,
      input: typedInput(req.body),
    });
  };
  const done = (req: FastifyRequest, reply: FastifyReply, flash: string) => {
    req.session.flash = flash;
    return reply.redirect(`${base(req)}/opinion`, 303);
  };

  const routes = typed(app);
  app.get('/opinion', async (req, reply) => render(req, reply));

  routes.post('/opinion/pervasiveness', { schema: { body: formOf(pervasivenessForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    if (
      (parsed.value.pervasiveFailure || parsed.value.pervasiveLimitation) &&
      parsed.value.pervasivenessReasons.length < 10
    )
      return render(req, reply.code(422), {
        pervasivenessReasons: 'Record the reasons for judging the matter pervasive.',
      });
    judgePervasiveness(db, currentUser(req), engagementOf(req).engagement.id, parsed.value);
    return done(req, reply, 'Judgement on pervasiveness recorded.');
  });

  routes.post('/opinion/scope-limitations', { schema: { body: formOf(limitationForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    const { criterionRef, description } = parsed.value;
    const inScope = engagementRollUp(db, app.config.rootDir, engagement).rows.some((r) => r.id === criterionRef);
    if (!inScope) return render(req, reply.code(422), { criterionRef: 'Choose a criterion or objective in scope.' });
    addScopeLimitation(db, currentUser(req), engagement.id, criterionRef, description);
    return done(req, reply, 'Scope limitation recorded.');
  });

  // Not a loader: a limitation removed a moment ago is a flash, not the 404 page.
  routes.post(
    '/opinion/scope-limitations/:limitationId/remove',
    { schema: { params: pathIds('limitationId') } },
    async (req, reply) => {
      const { engagement } = engagementOf(req);
      const id = req.params.limitationId;
      if (!limitationsOf(db, engagement.id).some((l) => l.id === id)) {
        return wasDeletedHere(db, engagement.id, 'scope-limitation', id)
          ? done(req, reply, 'That scope limitation was already removed.')
          : reply.callNotFound();
      }
      removeScopeLimitation(db, currentUser(req), engagement.id, id);
      return done(req, reply, 'Scope limitation removed.');
    },
  );

  notApplicableRoutes(app, { render, done });
  descriptionRoutes(app, { render });

  app.post('/opinion/quality-review', async (req, reply) => {
    signQualityReview(db, currentUser(req), engagementOf(req).engagement.id);
    return done(req, reply, 'Engagement quality review signed.');
  });

  routes.post('/opinion/approve', { schema: { body: formOf(approveForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    const { type, reason } = parsed.value;
    const proposed = engagementProposal(db, app.config.rootDir, engagement).proposal.type;
    const approve = () => {
      const decision = { type, proposed, reason };
      approveOpinion(db, currentUser(req), engagement, decision, app.engagementJobs, app.config.rootDir);
      app.trailAnchor.checkpoint('approval');
    };
    return actOrRerender(req, reply, {
      action: approve,
      done: 'Opinion approved. The engagement is locked: nothing can be changed until it is unlocked with a reason.',
      back: `${base(req)}/opinion`,
      field: 'approve',
      status: 422,
      rerender: (errors) => render(req, reply, errors),
    });
  });

  routes.post('/opinion/unlock', { schema: { body: formOf(unlockForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), { unlock: parsed.errors.reason ?? 'Give the reason.' });
    if (!engagement.lockedAt) return done(req, reply, 'The engagement is not locked.');
    unlockEngagement(db, currentUser(req), engagement, parsed.value.reason);
    return done(req, reply, 'Engagement unlocked; the approval is withdrawn and must be given again.');
  });
}
