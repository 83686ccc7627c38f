import type { FastifyInstance } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { controlView } from '../controls/index.js';
import { idParam } from '../../core/http/params.js';
import { saveItgcLinks } from './service.js';
import { actOrRerender } from '../../core/http/actions.js';
import { currentUser } from '../../core/auth/current-user.js';

type Params = { Params: { controlId: string } };

/** Checkbox values as posted: absent, one, or several. */
function idsOf(value: unknown): number[] | null {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const ids = list.map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN));
  return ids.every(Number.isSafeInteger) ? ids : null;
}

/** The ITGCs a control depends on, edited on the control page. */
export async function itgcRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  app.post<Params>('/controls/:controlId/itgcs', async (req, reply) => {
    const view = controlView(req, idParam(req.params.controlId));
    if (!view) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = idsOf(body.itgc);
    const rerender = (errors: Record<string, string>) =>
      reply.page('controls/show', { title: `${view.c.reference} — Controls`, ...controlView(req, view.c.id)!, errors });
    if (ids === null || typeof body.basedOn !== 'string') {
      reply.code(422);
      return rerender({ itgc: 'Choose ITGCs from the controls of this matrix.' });
    }
    const basedOn = body.basedOn;
    return actOrRerender(req, reply, {
      action: () => saveItgcLinks(db, currentUser(req).id, engagementOf(req).engagement.id, view.c.id, ids, basedOn),
      done:
        ids.length === 0
          ? 'This control depends on no ITGC.'
          : `Saved: this control depends on ${ids.length} ITGC${ids.length === 1 ? '' : 's'}.`,
      back: `${view.base}#itgcs`,
      rerender,
    });
  });
}
