import type { FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { idParam } from '../http/params.js';
import type { EngagementRole } from '../../db/schema/index.js';
import { ENGAGEMENT_ROLES } from '../../db/schema/index.js';
import type { EngagementRoleName } from '../../domain/roles.js';
import { getEngagement, membershipOf, type EngagementRow } from './queries.js';
import { ENGAGEMENT_PREFIX, ruleFor } from '../http/route-rules.js';

export interface EngagementContext {
  engagement: EngagementRow;
  membership: { role: EngagementRole };
}

/**
 * The one gate for every `/engagements/:engagementId/...` route: a user not on the team gets the same 404 as
 * for an engagement that does not exist, administrators included, so ids reveal nothing.
 */
export const loadEngagementForMember: preValidationAsyncHookHandler = async (req, reply) => {
  const id = idParam((req.params as { engagementId?: string }).engagementId);
  const engagement = Number.isNaN(id) ? undefined : getEngagement(req.server.conn.db, id);
  const membership = engagement && req.user ? membershipOf(req.server.conn.db, engagement.id, req.user.id) : undefined;
  if (!engagement || !membership) {
    reply.callNotFound();
    return reply;
  }
  req.engagementContext = { engagement, membership };
};

/** The engagement context of a request that passed the gate above. */
export function engagementOf(req: FastifyRequest): EngagementContext {
  if (!req.engagementContext) throw new Error('route registered outside the engagement scope');
  return req.engagementContext;
}

/** Sends the 403 page; usable from handlers and hooks alike (a hook must send, not return, its page). */
export async function forbidden(reply: FastifyReply, message: string): Promise<FastifyReply> {
  const html = await reply.code(403).page('errors/403', { title: 'Not allowed', message });
  return reply.send(html);
}

const WHO: Record<EngagementRoleName, string> = {
  staff: 'staff',
  senior: 'seniors',
  manager: 'managers',
  partner: 'the engagement partner',
  eqr: 'the engagement quality reviewer',
  viewer: 'viewers',
};

/** "seniors, managers and the engagement partner do", from a rule. */
function whoDoes(allowed: (role: EngagementRoleName) => boolean): string {
  const who = ENGAGEMENT_ROLES.filter(allowed).map((r) => WHO[r]);
  if (who.length === 0) return 'nobody on the team does';
  if (who.length === 1) return `only ${who[0]} ${who[0] === 'staff' ? 'do' : 'does'}`;
  return `${who.slice(0, -1).join(', ')} and ${who.at(-1)} do`;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A viewer reads the engagement and changes nothing: every write is refused, whatever the route's own rule. */
export const refuseWritesByViewers: preValidationAsyncHookHandler = async (req, reply) => {
  if (!UNSAFE_METHODS.has(req.method) || engagementOf(req).membership.role !== 'viewer') return;
  return forbidden(
    reply,
    'Your role on this engagement does not allow you to change anything in it (a viewer reads everything and changes nothing).',
  );
};

/**
 * The second gate of every engagement route, after the team and the lock: the role the route's rule in
 * route-rules.ts asks for, else 403 with who may.
 */
export const requireRouteRole: preValidationAsyncHookHandler = async (req, reply) => {
  const rule = ruleFor({ method: req.method, url: req.routeOptions.url ?? '' });
  const { membership } = engagementOf(req);
  if (rule?.kind === 'team' && rule.allowed(membership.role)) return;
  const message =
    rule?.kind === 'team'
      ? `Your role on this engagement does not allow you to ${rule.action} (${whoDoes(rule.allowed)}).`
      : 'This action is not open to anyone on the team.';
  return forbidden(reply, message);
};

/** The firm-role gate of every route outside an engagement, from the same table. */
export const requireFirmRole: preValidationAsyncHookHandler = async (req, reply) => {
  const url = req.routeOptions.url ?? '';
  if (
    req.is404 ||
    !req.user ||
    req.routeOptions.config?.public ||
    url.startsWith('/static/') ||
    url === ENGAGEMENT_PREFIX ||
    url.startsWith(`${ENGAGEMENT_PREFIX}/`)
  )
    return;
  const rule = ruleFor({ method: req.method, url });
  if (rule?.kind === 'signed-in' || (rule?.kind === 'firm' && rule.allowed(req.user.firmRole))) return;
  return forbidden(reply, rule?.kind === 'firm' ? rule.refusal : 'This action is not open to you.');
};
