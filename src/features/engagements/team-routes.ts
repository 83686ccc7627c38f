import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canManageTeam } from '../../domain/roles.js';
import { parseForm, type FieldErrors } from '../shared/forms.js';
import { addMemberForm, changeRoleForm } from './forms.js';
import { engagementOf, requireRole } from './access.js';
import { listTeam } from './queries.js';
import { activeUsers, addTeamMember, changeMemberRole, removeMember, TeamRuleError } from './service.js';

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const managers = requireRole(canManageTeam, 'change the team (managers and the engagement partner do)');

  const renderTeam = (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, input: Record<string, unknown> = {}) => {
    const { engagement, membership } = engagementOf(req);
    const team = listTeam(db, engagement.id);
    const onTeam = new Set(team.map((m) => m.userId));
    return reply.page('engagements/team', {
      title: `Team — ${engagement.clientName}`,
      team,
      candidates: activeUsers(db).filter((u) => !onTeam.has(u.id)),
      canManage: canManageTeam(membership.role),
      errors,
      input,
    });
  };
  const back = (req: FastifyRequest, reply: FastifyReply, flash: string) => {
    req.session.flash = flash;
    return reply.redirect(`/engagements/${engagementOf(req).engagement.id}/team`, 303);
  };
  /** Runs a team change; a broken team rule re-renders the page with the reason. */
  const attempt = async (req: FastifyRequest, reply: FastifyReply, field: string, change: () => void, done: string) => {
    try {
      change();
      return back(req, reply, done);
    } catch (err) {
      if (err instanceof TeamRuleError) return renderTeam(req, reply.code(422), { [field]: err.message }, req.body as Record<string, unknown>);
      throw err;
    }
  };

  app.get('/team', async (req, reply) => renderTeam(req, reply));

  app.post('/team', { preHandler: managers }, async (req, reply) => {
    const parsed = parseForm(addMemberForm, req.body);
    if (!parsed.ok) return renderTeam(req, reply.code(422), parsed.errors, parsed.input);
    const { engagement } = engagementOf(req);
    return attempt(req, reply, 'userId', () => addTeamMember(db, req.user!, engagement.id, parsed.value.userId, parsed.value.role), 'Team member added.');
  });

  app.post<{ Params: { memberId: string } }>('/team/:memberId/role', { preHandler: managers }, async (req, reply) => {
    const parsed = parseForm(changeRoleForm, req.body);
    if (!parsed.ok) return renderTeam(req, reply.code(422), { team: parsed.errors.role ?? 'Choose a role.' });
    const { engagement } = engagementOf(req);
    return attempt(req, reply, 'team', () => changeMemberRole(db, req.user!, engagement.id, Number(req.params.memberId), parsed.value.role), 'Role changed.');
  });

  app.post<{ Params: { memberId: string } }>('/team/:memberId/remove', { preHandler: managers }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    return attempt(req, reply, 'team', () => removeMember(db, req.user!, engagement.id, Number(req.params.memberId)), 'Removed from the team.');
  });
}
