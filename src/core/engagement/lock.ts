import type { preValidationAsyncHookHandler } from 'fastify';
import { lockExemptionOf } from '../http/route-rules.js';
import { engagementOf } from './access.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * After approval, every write to the engagement is refused until the partner unlocks it. An archived
 * engagement is read-only for good: not even unlocking is accepted; it can still be rolled forward (and
 * exported, which only reads). An unverified copy of an archive accepts no write at all.
 */
export const refuseWritesWhenLocked: preValidationAsyncHookHandler = async (req, reply) => {
  if (!UNSAFE_METHODS.has(req.method)) return;
  const { engagement } = engagementOf(req);
  const exemption = lockExemptionOf({ method: req.method, url: req.routeOptions.url ?? '' });
  if (engagement.unverifiedReason) {
    const html = await reply.code(423).page('errors/403', {
      title: 'Unverified copy',
      message: `This engagement is an unverified copy of an archive (${engagement.unverifiedReason}). It is read-only for good: nothing in it can be changed, unlocked, archived, exported or rolled forward.`,
    });
    return reply.send(html);
  }
  if (engagement.archivedAt) {
    if (exemption?.whenArchived) return;
    const html = await reply.code(423).page('errors/403', {
      title: 'Engagement archived',
      message: `The engagement was archived on ${engagement.archivedAt.slice(0, 10)} and is permanently read-only: nothing can be changed or unlocked. You can still export its archive or roll it forward.`,
    });
    return reply.send(html);
  }
  if (!engagement.lockedAt || exemption?.whenLocked) return;
  const html = await reply.code(423).page('errors/403', {
    title: 'Engagement locked',
    message: `The opinion was approved on ${engagement.lockedAt.slice(0, 10)} and the engagement is locked: nothing can be changed. The engagement partner can unlock it, with a reason, from the opinion page.`,
  });
  return reply.send(html);
};
