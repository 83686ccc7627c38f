// Linking a control to the ITGCs it depends on, recorded in the trail.
import { eq } from 'drizzle-orm';
import { RuleError } from '../../core/errors.js';
import type { Db } from '../../db/connection.js';
import { controlItgcLinks } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import { getControl, itgcLinksOf, linkSetOf } from '../controls/index.js';

/**
 * Replaces the ITGCs `controlId` depends on with `itgcIds` (controls of the same engagement, not itself).
 * `basedOn` is linkSetOf() of the links the form showed.
 */
export function saveItgcLinks(
  db: Db,
  actorId: number,
  engagementId: number,
  controlId: number,
  itgcIds: readonly number[],
  basedOn: string,
): void {
  db.transaction((tx) => {
    const control = getControl(tx, engagementId, controlId);
    if (!control) throw new RuleError('This control was deleted by someone else.', { field: 'itgc', status: 409 });
    const before = itgcLinksOf(tx, controlId);
    if (linkSetOf(before.map((l) => l.id)) !== basedOn)
      throw new RuleError(
        'Someone changed the ITGCs this control depends on since you opened the page: the current links are shown; choose again.',
        { field: 'itgc', status: 409 },
      );
    const wanted = [...new Set(itgcIds)];
    if (wanted.includes(controlId))
      throw new RuleError('A control cannot depend on itself.', { field: 'itgc', status: 422 });
    const targets = wanted.map((id) => getControl(tx, engagementId, id));
    if (targets.some((t) => !t))
      throw new RuleError('Choose ITGCs from the controls of this matrix.', { field: 'itgc', status: 422 });
    tx.delete(controlItgcLinks).where(eq(controlItgcLinks.controlId, controlId)).run();
    for (const id of wanted) tx.insert(controlItgcLinks).values({ controlId, itgcId: id }).run();
    const refs = (list: { reference: string }[]) => list.map((l) => l.reference).sort();
    const was = refs(before);
    const now = refs(targets as { reference: string }[]);
    if (was.join('\n') === now.join('\n')) return;
    appendAudit(tx, actorId, {
      engagementId,
      entity: 'control',
      entityId: controlId,
      action: 'update',
      changes: { itgcs: [was, now] },
    });
  });
}
