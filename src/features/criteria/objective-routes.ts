import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { canEditControls } from '../../domain/roles.js';
import { usesCriteria } from '../../domain/criteria.js';
import { idParam } from '../../core/http/params.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { moveForm, objectiveForm } from './forms.js';
import { listObjectives } from './scope.js';
import { addObjective, deleteObjective, editObjective, moveObjective } from './objective-service.js';
import { currentUser } from '../../core/auth/current-user.js';

type Params = { Params: { objectiveId: string } };

/** SOC 1 / ISAE 3402: the service organization's control objectives, in the order the report lists them. */
export async function objectiveRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/objectives`;

  const render = (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
    editing: number | null = null,
  ) => {
    const { engagement, membership } = engagementOf(req);
    return reply.page('criteria/objectives', {
      title: 'Control objectives',
      base: url(req),
      objectives: listObjectives(db, engagement.id),
      usesCriteria: usesCriteria(engagement.framework),
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

  app.get('/objectives', async (req, reply) => render(req, reply));

  /** The objective a URL names, when it is this engagement's; otherwise the answer (404, or "already deleted"). */
  const objectiveFrom = (
    req: FastifyRequest<Params>,
    reply: FastifyReply,
  ): { id: number; answer?: never } | { id?: never; answer: unknown } => {
    const { engagement } = engagementOf(req);
    const id = idParam(req.params.objectiveId);
    if (listObjectives(db, engagement.id).some((o) => o.id === id)) return { id };
    if (!wasDeletedHere(db, engagement.id, 'control-objective', id)) return { answer: reply.callNotFound() };
    req.session.flash = 'That objective was already deleted.';
    return { answer: reply.redirect(url(req), 303) };
  };

  app.post('/objectives', async (req, reply) => {
    const parsed = parseForm(objectiveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    return attempt(
      req,
      reply,
      () => addObjective(db, currentUser(req), engagementOf(req).engagement.id, parsed.value),
      `Objective ${parsed.value.reference} added.`,
    );
  });

  app.post<Params>('/objectives/:objectiveId', async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (found.id === undefined) return found.answer;
    const { id } = found;
    const parsed = parseForm(objectiveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input, id);
    return attempt(
      req,
      reply,
      () => void editObjective(db, currentUser(req), engagementOf(req).engagement.id, id, parsed.value),
      'Objective saved.',
      id,
    );
  });

  app.post<Params>('/objectives/:objectiveId/move', async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (found.id === undefined) return found.answer;
    const parsed = parseForm(moveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    return attempt(
      req,
      reply,
      () => moveObjective(db, currentUser(req), engagementOf(req).engagement.id, found.id!, parsed.value.direction),
      'Objective moved.',
    );
  });

  app.post<Params>('/objectives/:objectiveId/delete', async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (found.id === undefined) return found.answer;
    return attempt(
      req,
      reply,
      () => deleteObjective(db, currentUser(req), engagementOf(req).engagement.id, found.id!),
      'Objective deleted.',
    );
  });
}
