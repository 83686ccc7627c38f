import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idParam } from '../../core/http/params.js';
import { z } from 'zod';
import {
  currentSignoffs,
  isStale,
  SIGNOFF_LABELS,
  SIGNOFF_LEVELS,
  workpaperState,
  WORKPAPER_STATE_LABELS,
  mayClearNote,
} from '../../domain/review.js';
import { engagementOf } from '../../core/engagement/access.js';
import { text, type FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, queryOf, typed } from '../../core/http/contract.js';
import { noteInPath, reviewedWorkpaperInPath } from './loaders.js';
import { findControl } from '../populations/index.js';
import { isItemOfSample, sampleItemKeys } from '../sampling/index.js';
import { controlsWithNotes, userName, listNotes, messagesOf, reviewFacts, type WorkpaperRow } from './queries.js';
import { clearNote, raiseNote, respondToNote, signOff } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

const signForm = z.object({ level: z.enum(SIGNOFF_LEVELS, { error: 'Choose the level of review.' }) });
const noteForm = z.object({
  body: text('The note', 4000),
  sampleItemId: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null)),
  attribute: z
    .string()
    .trim()
    .max(2)
    .optional()
    .transform((v) => (v ? v.toUpperCase() : null)),
});
const replyForm = z.object({ body: text('The reply', 4000) });
/** Clearing a note sends only where to go back to (read from the input, checked there). */
const backForm = z.object({});
const filterForm = z.object({
  status: z.enum(['open', 'cleared', 'all']).optional().default('open').catch('open'),
  mine: z.string().optional(),
  control: z.string().optional(),
});

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;
  const routes = typed(app);

  const renderReview = async (req: FastifyRequest, reply: FastifyReply, wp: WorkpaperRow, errors: FieldErrors = {}) => {
    const { engagement, membership } = engagementOf(req);
    const facts = reviewFacts(db, wp, engagement.secondReviewRequired);
    const notes = listNotes(db, engagement.id, { workpaperId: wp.id, status: 'all' });
    const messages = messagesOf(
      db,
      notes.map((n) => n.note.id),
    );
    const current = currentSignoffs(facts.signoffs);
    return reply.page('review/workpaper', {
      title: 'Review',
      wp,
      control: findControl(db, engagement.id, wp.controlId),
      preparerName: userName(db, wp.preparedBy),
      state: workpaperState(facts),
      stateLabels: WORKPAPER_STATE_LABELS,
      labels: SIGNOFF_LABELS,
      preparedStale: wp.preparedAt ? isStale(wp.preparedAt, wp.changedAt) : false,
      signoffs: facts.signoffs.map((s) => ({
        ...s,
        stale: isStale(s.signedAt, wp.changedAt),
        current: current[s.level] === s,
      })),
      levels: engagement.secondReviewRequired ? SIGNOFF_LEVELS : (['reviewed'] as const),
      notes: notes.map((n) => ({
        ...n,
        messages: messages.filter((m) => m.noteId === n.note.id),
        canClear: mayClearNote(
          { authorId: n.note.authorId, authorRole: n.note.authorRole },
          { id: currentUser(req).id, role: membership.role },
        ),
      })),
      items: wp.sampleId ? sampleItemKeys(db, wp.sampleId) : [],
      errors,
    });
  };

  const ofWorkpaper = { params: pathIds('workpaperId') };
  const onWorkpaper = reviewedWorkpaperInPath.preHandler;
  routes.get('/workpapers/:workpaperId/review', { schema: ofWorkpaper, preHandler: onWorkpaper }, async (req, reply) =>
    renderReview(req, reply, reviewedWorkpaperInPath.of(req)),
  );

  const signOptions = { schema: { ...ofWorkpaper, body: formOf(signForm) }, preHandler: onWorkpaper };
  routes.post('/workpapers/:workpaperId/signoffs', signOptions, async (req, reply) => {
    const wp = reviewedWorkpaperInPath.of(req);
    const reading = req.body;
    if (!reading.ok)
      return renderReview(req, reply.code(422), wp, { signoff: reading.errors.level ?? 'Choose the level.' });
    const { level } = reading.value;
    const { engagement, membership } = engagementOf(req);
    return actOrRerender(req, reply, {
      action: () => signOff(db, currentUser(req), membership.role, wp, level, engagement.secondReviewRequired),
      done: `${SIGNOFF_LABELS[level]}: signed.`,
      back: `${base(req)}/workpapers/${wp.id}/review`,
      rerender: (_errors, _input, refusal) => renderReview(req, reply.code(422), wp, { signoff: refusal.message }),
    });
  });

  const noteOptions = { schema: { ...ofWorkpaper, body: formOf(noteForm) }, preHandler: onWorkpaper };
  routes.post('/workpapers/:workpaperId/notes', noteOptions, async (req, reply) => {
    const wp = reviewedWorkpaperInPath.of(req);
    const reading = req.body;
    if (!reading.ok) return renderReview(req, reply.code(422), wp, reading.errors);
    const item = reading.value.sampleItemId;
    if (item !== null && !(wp.sampleId && isItemOfSample(db, wp.sampleId, item)))
      return renderReview(req, reply.code(422), wp, { sampleItemId: 'Choose an item of this sample.' });
    raiseNote(db, currentUser(req), engagementOf(req).membership.role, wp, reading.value);
    req.session.flash = 'Review note raised.';
    return reply.redirect(`${base(req)}/workpapers/${wp.id}/review#notes`, 303);
  });

  /** A note's answer goes back where its form was (the review page or the notes list); a refusal is flashed there. */
  const noteAction = (
    req: FastifyRequest,
    reply: FastifyReply,
    input: Record<string, unknown>,
    act: () => void,
    done: string,
  ) => {
    const back =
      typeof input.back === 'string' && input.back.startsWith(base(req)) ? input.back : `${base(req)}/review-notes`;
    return actOrRerender(req, reply, {
      action: act,
      done,
      back,
      rerender: (_errors, _input, refusal) => {
        req.session.flash = refusal.message;
        return reply.redirect(back, 303);
      },
    });
  };

  const ofNote = { params: pathIds('noteId') };
  const replyOptions = { schema: { ...ofNote, body: formOf(replyForm) }, preHandler: noteInPath.preHandler };
  routes.post('/review-notes/:noteId/responses', replyOptions, async (req, reply) => {
    const reading = req.body;
    if (!reading.ok) {
      req.session.flash = reading.errors.body ?? 'Write a reply.';
      return reply.redirect(`${base(req)}/review-notes`, 303);
    }
    const { id } = noteInPath.of(req);
    const { body } = reading.value;
    return noteAction(
      req,
      reply,
      reading.input,
      () => respondToNote(db, currentUser(req), engagementOf(req).engagement.id, id, body),
      'Reply added.',
    );
  });

  const clearOptions = { schema: { ...ofNote, body: formOf(backForm) }, preHandler: noteInPath.preHandler };
  routes.post('/review-notes/:noteId/clear', clearOptions, async (req, reply) => {
    const { id } = noteInPath.of(req);
    const { engagement, membership } = engagementOf(req);
    return noteAction(
      req,
      reply,
      req.body.input,
      () => clearNote(db, currentUser(req), membership.role, engagement.id, id),
      'Review note cleared.',
    );
  });

  routes.get('/review-notes', { schema: { querystring: queryOf(filterForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const filter = req.query;
    const controlId = idParam(filter.control);
    const rows = listNotes(db, engagement.id, {
      status: filter.status,
      authorId: filter.mine ? currentUser(req).id : undefined,
      controlId: Number.isNaN(controlId) ? undefined : controlId,
    });
    return reply.page('review/notes', {
      title: 'Review notes',
      rows,
      filter,
      controls: controlsWithNotes(db, engagement.id),
    });
  });
}
