// Linking a control to the ITGCs it depends on, recorded in the trail.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { controlItgcLinks } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import { getControl, itgcLinksOf, linkSetOf } from '../controls/index.js';

export class ItgcLinkError extends Error {
  constructor(
    message: string,
    readonly status: 409 | 422,
  ) {
    super(message);
  }
}

/**
 * Replaces the ITGCs `controlId` depends on with `itgcIds` (controls of the same engagement, not itself).
 * `basedOn` is linkSetOf() of the links the form showed.
 */
export function saveItgcLinks(db: Db, actorId: number, engagementId: number, controlId: number, itgcIds: readonly number[], basedOn: string): void {
  db.transaction((tx) => {
    const control = getControl(tx, engagementId, controlId);
    if (!control) throw new ItgcLinkError('This control was deleted by someone else.', 409);
    const before = itgcLinksOf(tx, controlId);
    if (linkSetOf(before.map((l) => l.id)) !== basedOn) throw new ItgcLinkError('Someone changed the ITGCs this control depends on since you opened the page: the current links are shown; choose again.', 409);
    const wanted = [...new Set(itgcIds)];
    if (wanted.includes(controlId)) throw new ItgcLinkError('A control cannot depend on itself.', 422);
    const targets = wanted.map((id) => getControl(tx, engagementId, id));
    if (targets.some((t) => !t)) throw new ItgcLinkError('Choose ITGCs from the controls of this matrix.', 422);
    tx.delete(controlItgcLinks).where(eq(controlItgcLinks.controlId, controlId)).run();
    for (const id of wanted) tx.insert(controlItgcLinks).values({ controlId, itgcId: id }).run();
    const refs = (list: { reference: string }[]) => list.map((l) => l.reference).sort();
    const was = refs(before);
    const now = refs(targets as { reference: string }[]);
    if (was.join('\n') === now.join('\n')) return;
    appendAudit(tx, actorId, { engagementId, entity: 'control', entityId: controlId, action: 'update', changes: { itgcs: [was, now] } });
  });
}
