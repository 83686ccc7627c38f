import { RuleError } from '../../core/errors.js';
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
import { parseForm, text, type FieldErrors } from '../../core/http/forms.js';
import { readQuery } from '../../core/http/query.js';
import { findControl } from '../populations/index.js';
import { isItemOfSample, sampleItemKeys } from '../sampling/index.js';
import {
  controlsWithNotes,
  findNote,
  userName,
  findWorkpaper,
  listNotes,
  messagesOf,
  reviewFacts,
  type WorkpaperRow,
} from './queries.js';
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
const filterForm = z.object({
  status: z.enum(['open', 'cleared', 'all']).optional().default('open').catch('open'),
  mine: z.string().optional(),
  control: z.string().optional(),
});

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;
  const workpaperFrom = (req: FastifyRequest) =>
    findWorkpaper(db, engagementOf(req).engagement.id, idParam((req.params as { workpaperId?: string }).workpaperId));

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

  app.get('/workpapers/:workpaperId/review', async (req, reply) => {
    const wp = workpaperFrom(req);
    return wp ? renderReview(req, reply, wp) : reply.callNotFound();
  });

  app.post('/workpapers/:workpaperId/signoffs', async (req, reply) => {
    const wp = workpaperFrom(req);
    if (!wp) return reply.callNotFound();
    const parsed = parseForm(signForm, req.body);
    if (!parsed.ok)
      return renderReview(req, reply.code(422), wp, { signoff: parsed.errors.level ?? 'Choose the level.' });
    const { engagement, membership } = engagementOf(req);
    try {
      signOff(db, currentUser(req), membership.role, wp, parsed.value.level, engagement.secondReviewRequired);
    } catch (err) {
      if (err instanceof RuleError) return renderReview(req, reply.code(422), wp, { signoff: err.message });
      throw err;
    }
    req.session.flash = `${SIGNOFF_LABELS[parsed.value.level]}: signed.`;
    return reply.redirect(`${base(req)}/workpapers/${wp.id}/review`, 303);
  });

  app.post('/workpapers/:workpaperId/notes', async (req, reply) => {
    const wp = workpaperFrom(req);
    if (!wp) return reply.callNotFound();
    const parsed = parseForm(noteForm, req.body);
    if (!parsed.ok) return renderReview(req, reply.code(422), wp, parsed.errors);
    const item = parsed.value.sampleItemId;
    if (item !== null && !(wp.sampleId && isItemOfSample(db, wp.sampleId, item)))
      return renderReview(req, reply.code(422), wp, { sampleItemId: 'Choose an item of this sample.' });
    raiseNote(db, currentUser(req), engagementOf(req).membership.role, wp, parsed.value);
    req.session.flash = 'Review note raised.';
    return reply.redirect(`${base(req)}/workpapers/${wp.id}/review#notes`, 303);
  });

  /** Notes are never deleted: one that is not this engagement's is not found. */
  const noteFrom = (req: FastifyRequest) =>
    findNote(db, engagementOf(req).engagement.id, idParam((req.params as { noteId: string }).noteId));

  const noteAction = async (req: FastifyRequest, reply: FastifyReply, act: () => void, done: string) => {
    try {
      act();
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      req.session.flash = err.message;
      reply.code(303);
    }
    const back = (req.body as { back?: string } | undefined)?.back;
    req.session.flash ??= done;
    return reply.redirect(back?.startsWith(base(req)) ? back : `${base(req)}/review-notes`, 303);
  };

  app.post('/review-notes/:noteId/responses', async (req, reply) => {
    if (!noteFrom(req)) return reply.callNotFound();
    const parsed = parseForm(replyForm, req.body);
    if (!parsed.ok) {
      req.session.flash = parsed.errors.body ?? 'Write a reply.';
      return reply.redirect(`${base(req)}/review-notes`, 303);
    }
    const noteId = idParam((req.params as { noteId: string }).noteId);
    return noteAction(
      req,
      reply,
      () => respondToNote(db, currentUser(req), engagementOf(req).engagement.id, noteId, parsed.value.body),
      'Reply added.',
    );
  });

  app.post('/review-notes/:noteId/clear', async (req, reply) => {
    if (!noteFrom(req)) return reply.callNotFound();
    const noteId = idParam((req.params as { noteId: string }).noteId);
    const { engagement, membership } = engagementOf(req);
    return noteAction(
      req,
      reply,
      () => clearNote(db, currentUser(req), membership.role, engagement.id, noteId),
      'Review note cleared.',
    );
  });

  app.get('/review-notes', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const filter = readQuery(req.query, filterForm);
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
