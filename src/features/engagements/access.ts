import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { EngagementRole } from '../../db/schema/index.js';
import { getEngagement, membershipOf, type EngagementRow } from './queries.js';

export interface EngagementContext {
  engagement: EngagementRow;
  membership: { role: EngagementRole };
}

/**
 * The one gate for every `/engagements/:engagementId/...` route: a user not on the team gets the same 404 as
 * for an engagement that does not exist, administrators included, so ids reveal nothing.
 */
export const loadEngagementForMember: preHandlerAsyncHookHandler = async function (req, reply) {
  const raw = (req.params as { engagementId?: string }).engagementId ?? '';
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
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

/** A second gate for actions that need a role on the team; answers 403 with the reason. */
export function requireRole(allowed: (role: EngagementRole) => boolean, action: string): preHandlerAsyncHookHandler {
  return async function (req, reply) {
    const { membership } = engagementOf(req);
    if (!allowed(membership.role)) return forbidden(reply, `Your role on this engagement does not allow you to ${action}.`);
  };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A viewer reads the engagement and changes nothing: every write is refused, whatever the route's own rule. */
export const refuseWritesByViewers: preHandlerAsyncHookHandler = async function (req, reply) {
  if (!UNSAFE_METHODS.has(req.method) || engagementOf(req).membership.role !== 'viewer') return;
  return forbidden(reply, 'You are a viewer on this engagement: you can read everything in it and change nothing.');
};
