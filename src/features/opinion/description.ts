// Element (a) of the opinion: whether the description fairly presents the system, concluded on the engagement by a
// manager or the partner, versioned like every shared record, each conclusion in the trail.
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { descriptionPresentations } from '../../db/schema/index.js';
import type { DescriptionPresentation } from '../../domain/opinion.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';

export type DescriptionRow = typeof descriptionPresentations.$inferSelect;

export function descriptionRowOf(db: Tx, engagementId: number): DescriptionRow | null {
  return (
    db.select().from(descriptionPresentations).where(eq(descriptionPresentations.engagementId, engagementId)).get() ??
    null
  );
}

/** What the opinion rules read: null while not concluded. */
export function descriptionPresentationOf(db: Tx, engagementId: number): DescriptionPresentation | null {
  const row = descriptionRowOf(db, engagementId);
  if (!row) return null;
  return row.fairlyPresented ? { fairlyPresented: true } : { fairlyPresented: false, matters: row.matters };
}

export interface DescriptionInput {
  fairlyPresented: boolean;
  /** Required when not fairly presented; cleared when it is. */
  matters: string;
}

/** Records the conclusion if the form was based on the stored version (0 when none was stored yet). */
export function recordDescription(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  input: DescriptionInput,
  basedOn: number,
): void {
  db.transaction((tx) => {
    const before = descriptionRowOf(tx, engagementId);
    assertBasedOn(before?.version, basedOn);
    const values = {
      fairlyPresented: input.fairlyPresented,
      matters: input.fairlyPresented ? '' : input.matters,
      concludedBy: actor.id,
      concludedAt: new Date().toISOString(),
    };
    const after = tx
      .insert(descriptionPresentations)
      .values({ engagementId, ...values })
      .onConflictDoUpdate({ target: descriptionPresentations.engagementId, set: values })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'description-presentation',
      entityId: engagementId,
      action: before ? 'update' : 'create',
      changes: diff(before, after, ['fairlyPresented', 'matters', 'concludedBy']),
    });
  });
}
