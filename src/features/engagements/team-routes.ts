import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENGAGEMENT_ROLES } from '../../db/schema/index.js';
import { canManageTeam } from '../../domain/roles.js';
import { rolesOnOffer } from '../../domain/team.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { addMemberForm, changeRoleForm } from './forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { listTeam } from '../../core/engagement/queries.js';
import { activeUsers, addTeamMember, changeMemberRole, removeMember, type TeamActor } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';
import { memberInPath } from './loaders.js';

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  const renderTeam = (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
  ) => {
    const { engagement, membership } = engagementOf(req);
    const team = listTeam(db, engagement.id).map((m) => ({
      ...m,
      roles: rolesOnOffer(membership.role, m.role, ENGAGEMENT_ROLES),
    }));
    const onTeam = new Set(team.map((m) => m.userId));
    return reply.page('engagements/team', {
      title: `Team — ${engagement.clientName}`,
      team,
      candidates: activeUsers(db).filter((u) => !onTeam.has(u.id)),
      joiningRoles: rolesOnOffer(membership.role, null, ENGAGEMENT_ROLES),
      canManage: canManageTeam(membership.role),
      errors,
      input,
    });
  };
  const back = (req: FastifyRequest, reply: FastifyReply, flash: string) => {
    req.session.flash = flash;
    return reply.redirect(`/engagements/${engagementOf(req).engagement.id}/team`, 303);
  };
  const actorOf = (req: FastifyRequest): TeamActor => ({
    user: currentUser(req),
    role: engagementOf(req).membership.role,
  });
  /** Runs a team change; a broken team rule re-renders the page with the reason. */
  const attempt = (req: FastifyRequest, reply: FastifyReply, field: string, change: () => void, done: string) =>
    actOrRerender(req, reply, {
      action: change,
      done,
      back: `/engagements/${engagementOf(req).engagement.id}/team`,
      field,
      status: 422,
      rerender: (errors, input) => renderTeam(req, reply, errors, input),
    });

  const routes = typed(app);
  app.get('/team', async (req, reply) => renderTeam(req, reply));

  routes.post('/team', { schema: { body: formOf(addMemberForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return renderTeam(req, reply.code(422), parsed.errors, parsed.input);
    const { engagement } = engagementOf(req);
    const { userId, role } = parsed.value;
    return attempt(
      req,
      reply,
      'userId',
      () => addTeamMember(db, actorOf(req), engagement.id, userId, role),
      'Team member added.',
    );
  });

  const roleOptions = {
    schema: { params: pathIds('memberId'), body: formOf(changeRoleForm) },
    preHandler: memberInPath.preHandler,
  };
  routes.post('/team/:memberId/role', roleOptions, async (req, reply) => {
    const member = memberInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok) return renderTeam(req, reply.code(422), { team: parsed.errors.role ?? 'Choose a role.' });
    const { engagement } = engagementOf(req);
    const { role } = parsed.value;
    return attempt(
      req,
      reply,
      'team',
      () => changeMemberRole(db, actorOf(req), engagement.id, member.memberId, role),
      'Role changed.',
    );
  });

  // Not a loader: a member removed a moment ago is a flash, not the 404 page.
  routes.post('/team/:memberId/remove', { schema: { params: pathIds('memberId') } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const id = req.params.memberId;
    const member = listTeam(db, engagement.id).find((m) => m.memberId === id);
    if (!member)
      return wasDeletedHere(db, engagement.id, 'team-member', id)
        ? back(req, reply, 'That person was already removed from the team.')
        : reply.callNotFound();
    return attempt(
      req,
      reply,
      'team',
      () => removeMember(db, actorOf(req), engagement.id, member.memberId),
      'Removed from the team.',
    );
  });
}
