import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../shared/actions.js';
import { canEditControls } from '../../domain/roles.js';
import { usesCriteria } from '../../domain/criteria.js';
import { idParam } from '../shared/params.js';
import { parseForm, type FieldErrors } from '../shared/forms.js';
import { engagementOf, requireRole } from '../engagements/access.js';
import { moveForm, objectiveForm } from './forms.js';
import { listObjectives } from './scope.js';
import { addObjective, deleteObjective, editObjective, moveObjective, ObjectiveRuleError } from './objective-service.js';

type Params = { Params: { objectiveId: string } };

/** SOC 1 / ISAE 3402: the service organization's control objectives, in the order the report lists them. */
export async function objectiveRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const editors = requireRole(canEditControls, 'change the control objectives (seniors, managers and the engagement partner do)');
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/objectives`;

  const render = (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, input: Record<string, unknown> = {}, editing: number | null = null) => {
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
  const attempt = (req: FastifyRequest, reply: FastifyReply, action: () => void, done: string, editing: number | null = null) =>
    actOrRerender(req, reply, { action, done, back: url(req), refusal: ObjectiveRuleError, rerender: (errors, input) => render(req, reply.code(422), errors, input, editing) });

  app.get('/objectives', async (req, reply) => render(req, reply));

  app.post('/objectives', { preHandler: editors }, async (req, reply) => {
    const parsed = parseForm(objectiveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    return attempt(req, reply, () => addObjective(db, req.user!, engagementOf(req).engagement.id, parsed.value), `Objective ${parsed.value.reference} added.`);
  });

  app.post<Params>('/objectives/:objectiveId', { preHandler: editors }, async (req, reply) => {
    const id = idParam(req.params.objectiveId);
    const parsed = parseForm(objectiveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input, id);
    return attempt(req, reply, () => void editObjective(db, req.user!, engagementOf(req).engagement.id, id, parsed.value), 'Objective saved.', id);
  });

  app.post<Params>('/objectives/:objectiveId/move', { preHandler: editors }, async (req, reply) => {
    const parsed = parseForm(moveForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    return attempt(req, reply, () => moveObjective(db, req.user!, engagementOf(req).engagement.id, idParam(req.params.objectiveId), parsed.value.direction), 'Objective moved.');
  });

  app.post<Params>('/objectives/:objectiveId/delete', { preHandler: editors }, async (req, reply) =>
    attempt(req, reply, () => deleteObjective(db, req.user!, engagementOf(req).engagement.id, idParam(req.params.objectiveId)), 'Objective deleted.'),
  );
}
