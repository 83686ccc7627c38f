import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { canEditControls } from '../../domain/roles.js';
import { usesCriteria } from '../../domain/criteria.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { objectiveInPath } from './loaders.js';
import { moveForm, objectiveForm } from './forms.js';
import { listObjectives } from './scope.js';
import { addObjective, deleteObjective, editObjective, moveObjective } from './objective-service.js';
import { currentUser } from '../../core/auth/current-user.js';

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

  const routes = typed(app);
  routes.get('/objectives', async (req, reply) => render(req, reply));

  /** The objective the path names, or (when it was deleted here already) the answer that says so. */
  const objectiveFrom = (
    req: FastifyRequest,
    reply: FastifyReply,
  ): { id: number; answer?: never } | { answer: unknown } => {
    const found = objectiveInPath.of(req);
    if (!found.deleted) return { id: found.id };
    req.session.flash = 'That objective was already deleted.';
    return { answer: reply.redirect(url(req), 303) };
  };
  const ofObjective = { params: pathIds('objectiveId') };
  const loaded = { preHandler: objectiveInPath.preHandler };

  routes.post('/objectives', { schema: { body: formOf(objectiveForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    return attempt(
      req,
      reply,
      () => addObjective(db, currentUser(req), engagementOf(req).engagement.id, parsed.value),
      `Objective ${parsed.value.reference} added.`,
    );
  });

  const editOptions = { schema: { ...ofObjective, body: formOf(objectiveForm) }, ...loaded };
  routes.post('/objectives/:objectiveId', editOptions, async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (!('id' in found)) return found.answer;
    const { id } = found;
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input, id);
    return attempt(
      req,
      reply,
      () => void editObjective(db, currentUser(req), engagementOf(req).engagement.id, id, parsed.value),
      'Objective saved.',
      id,
    );
  });

  const moveOptions = { schema: { ...ofObjective, body: formOf(moveForm) }, ...loaded };
  routes.post('/objectives/:objectiveId/move', moveOptions, async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (!('id' in found)) return found.answer;
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    return attempt(
      req,
      reply,
      () => moveObjective(db, currentUser(req), engagementOf(req).engagement.id, found.id, parsed.value.direction),
      'Objective moved.',
    );
  });

  routes.post('/objectives/:objectiveId/delete', { schema: ofObjective, ...loaded }, async (req, reply) => {
    const found = objectiveFrom(req, reply);
    if (!('id' in found)) return found.answer;
    return attempt(
      req,
      reply,
      () => deleteObjective(db, currentUser(req), engagementOf(req).engagement.id, found.id),
      'Objective deleted.',
    );
  });
}
