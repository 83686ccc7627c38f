import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENGAGEMENT_ROLES } from '../../db/schema/index.js';
import { canManageTeam } from '../../domain/roles.js';
import { rolesOnOffer } from '../../domain/team.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { addMemberForm, changeRoleForm } from './forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { listTeam } from '../../core/engagement/queries.js';
import { activeUsers, addTeamMember, changeMemberRole, removeMember, type TeamActor } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

type MemberParams = { Params: { memberId: string } };

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
  /** The member a URL names, on this engagement's team; undefined (404) for anyone else's member id. */
  const memberFrom = (req: FastifyRequest<MemberParams>) => {
    const id = idParam(req.params.memberId);
    return listTeam(db, engagementOf(req).engagement.id).find((m) => m.memberId === id);
  };
  /** Runs a team change; a broken team rule re-renders the page with the reason. */
  const attempt = async (req: FastifyRequest, reply: FastifyReply, field: string, change: () => void, done: string) => {
    try {
      change();
      return back(req, reply, done);
    } catch (err) {
      if (err instanceof RuleError)
        return renderTeam(req, reply.code(422), { [field]: err.message }, req.body as Record<string, unknown>);
      throw err;
    }
  };

  app.get('/team', async (req, reply) => renderTeam(req, reply));

  app.post('/team', async (req, reply) => {
    const parsed = parseForm(addMemberForm, req.body);
    if (!parsed.ok) return renderTeam(req, reply.code(422), parsed.errors, parsed.input);
    const { engagement } = engagementOf(req);
    return attempt(
      req,
      reply,
      'userId',
      () => addTeamMember(db, actorOf(req), engagement.id, parsed.value.userId, parsed.value.role),
      'Team member added.',
    );
  });

  app.post<MemberParams>('/team/:memberId/role', async (req, reply) => {
    const member = memberFrom(req);
    if (!member) return reply.callNotFound();
    const parsed = parseForm(changeRoleForm, req.body);
    if (!parsed.ok) return renderTeam(req, reply.code(422), { team: parsed.errors.role ?? 'Choose a role.' });
    const { engagement } = engagementOf(req);
    return attempt(
      req,
      reply,
      'team',
      () => changeMemberRole(db, actorOf(req), engagement.id, member.memberId, parsed.value.role),
      'Role changed.',
    );
  });

  app.post<MemberParams>('/team/:memberId/remove', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const member = memberFrom(req);
    if (!member)
      return wasDeletedHere(db, engagement.id, 'team-member', idParam(req.params.memberId))
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
