import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { z } from 'zod';
import { canEditControls } from '../../domain/roles.js';
import { idParam } from '../../core/http/params.js';
import { parseForm, text, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { addTickmark, deleteTickmark, editTickmark, listTickmarks, restoreDefaultTickmarks } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

const tickmarkForm = z.object({ symbol: text('Symbol', 20), meaning: text('Meaning', 300) });
type Params = { Params: { tickmarkId: string } };

export async function tickmarkRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/tickmarks`;

  const render = (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
    editing: number | null = null,
  ) => {
    const { engagement, membership } = engagementOf(req);
    return reply.page('tickmarks/legend', {
      title: 'Tickmark legend',
      base: url(req),
      marks: listTickmarks(db, engagement.id),
      canEdit: canEditControls(membership.role),
      errors,
      input,
      editing,
    });
  };
  const attempt = (
    req: FastifyRequest,
    reply: FastifyReply,
    action: () => void,
    done: string,
    editing: number | null = null,
  ) =>
    actOrRerender(req, reply, {
      action,
      done,
      back: url(req),
      rerender: (errors, input) => render(req, reply, errors, input, editing),
    });

  app.get('/tickmarks', async (req, reply) => render(req, reply));

  app.post('/tickmarks', async (req, reply) => {
    const parsed = parseForm(tickmarkForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    return attempt(
      req,
      reply,
      () => addTickmark(db, currentUser(req), engagementOf(req).engagement.id, parsed.value),
      `Tickmark ${parsed.value.symbol} added.`,
    );
  });

  app.post('/tickmarks/defaults', async (req, reply) => {
    const added = restoreDefaultTickmarks(db, currentUser(req), engagementOf(req).engagement.id);
    req.session.flash = added
      ? `${added} default tickmark${added === 1 ? '' : 's'} added.`
      : 'The legend already holds every default tickmark.';
    return reply.redirect(url(req), 303);
  });

  /** An id that was never this engagement's tickmark is not found; one deleted here is said to be gone. */
  const unknown = (req: FastifyRequest, id: number) => {
    const engagementId = engagementOf(req).engagement.id;
    return (
      !listTickmarks(db, engagementId).some((t) => t.id === id) && !wasDeletedHere(db, engagementId, 'tickmark', id)
    );
  };

  app.post<Params>('/tickmarks/:tickmarkId', async (req, reply) => {
    const id = idParam(req.params.tickmarkId);
    if (unknown(req, id)) return reply.callNotFound();
    const parsed = parseForm(tickmarkForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), { legend: Object.values(parsed.errors)[0]! }, parsed.input, id);
    return attempt(
      req,
      reply,
      () => editTickmark(db, currentUser(req), engagementOf(req).engagement.id, id, parsed.value),
      'Tickmark saved.',
      id,
    );
  });

  app.post<Params>('/tickmarks/:tickmarkId/delete', async (req, reply) => {
    const id = idParam(req.params.tickmarkId);
    if (unknown(req, id)) return reply.callNotFound();
    const removed = deleteTickmark(db, currentUser(req), engagementOf(req).engagement.id, id);
    req.session.flash = removed ? 'Tickmark removed from the legend.' : 'That tickmark was already removed.';
    return reply.redirect(url(req), 303);
  });
}
