import type { FastifyInstance } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { z } from 'zod';
import { controlView, controlViewInPath } from '../controls/index.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { saveItgcLinks } from './service.js';
import { actOrRerender } from '../../core/http/actions.js';
import { currentUser } from '../../core/auth/current-user.js';

/** The ITGC checkboxes and the link set the form was based on, checked in the handler (one message for both). */
const itgcForm = z.record(z.string(), z.unknown());

/** Checkbox values as posted: absent, one, or several. */
function idsOf(value: unknown): number[] | null {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const ids = list.map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN));
  return ids.every(Number.isSafeInteger) ? ids : null;
}

/** The ITGCs a control depends on, edited on the control page. */
export async function itgcRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  const options = {
    schema: { params: pathIds('controlId'), body: formOf(itgcForm) },
    preHandler: controlViewInPath.preHandler,
  };
  typed(app).post('/controls/:controlId/itgcs', options, async (req, reply) => {
    const view = controlViewInPath.of(req);
    const body = req.body.input;
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
