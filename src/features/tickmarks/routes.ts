import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { z } from 'zod';
import { canEditControls } from '../../domain/roles.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { text, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { tickmarkInPath } from './loaders.js';
import { addTickmark, deleteTickmark, editTickmark, listTickmarks, restoreDefaultTickmarks } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

const tickmarkForm = z.object({ symbol: text('Symbol', 20), meaning: text('Meaning', 300) });

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

  const routes = typed(app);
  routes.get('/tickmarks', async (req, reply) => render(req, reply));

  routes.post('/tickmarks', { schema: { body: formOf(tickmarkForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    return attempt(
      req,
      reply,
      () => addTickmark(db, currentUser(req), engagementOf(req).engagement.id, parsed.value),
      `Tickmark ${parsed.value.symbol} added.`,
    );
  });

  routes.post('/tickmarks/defaults', async (req, reply) => {
    const added = restoreDefaultTickmarks(db, currentUser(req), engagementOf(req).engagement.id);
    req.session.flash = added
      ? `${added} default tickmark${added === 1 ? '' : 's'} added.`
      : 'The legend already holds every default tickmark.';
    return reply.redirect(url(req), 303);
  });

  const ofTickmark = { schema: { params: pathIds('tickmarkId') }, preHandler: tickmarkInPath.preHandler };
  const editOptions = { ...ofTickmark, schema: { ...ofTickmark.schema, body: formOf(tickmarkForm) } };

  routes.post('/tickmarks/:tickmarkId', editOptions, async (req, reply) => {
    const id = tickmarkInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), { legend: Object.values(parsed.errors)[0]! }, parsed.input, id);
    return attempt(
      req,
      reply,
      () => editTickmark(db, currentUser(req), engagementOf(req).engagement.id, id, parsed.value),
      'Tickmark saved.',
      id,
    );
  });

  routes.post('/tickmarks/:tickmarkId/delete', ofTickmark, async (req, reply) => {
    const id = tickmarkInPath.of(req);
    const removed = deleteTickmark(db, currentUser(req), engagementOf(req).engagement.id, id);
    req.session.flash = removed ? 'Tickmark removed from the legend.' : 'That tickmark was already removed.';
    return reply.redirect(url(req), 303);
  });
}
