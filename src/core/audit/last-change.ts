import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { auditEntries, users } from '../../db/schema/index.js';

export interface LastChange {
  /** The user's name, or null for changes the system made. */
  by: string | null;
  at: string;
}

/** The trail's entity and the actions of it that change a record. */
export interface ChangeKind {
  entity: string;
  actions: string[];
}

/** Who last changed a record of the engagement, and when, from the trail. */
export function lastChangeOf(
  db: Tx,
  engagementId: number,
  entityId: number | string,
  kinds: ChangeKind[],
): LastChange | null {
  const row = db
    .select({ at: auditEntries.at, by: users.name })
    .from(auditEntries)
    .leftJoin(users, eq(users.id, auditEntries.userId))
    .where(
      and(
        eq(auditEntries.engagementId, engagementId),
        eq(auditEntries.entityId, String(entityId)),
        or(...kinds.map((k) => and(eq(auditEntries.entity, k.entity), inArray(auditEntries.action, k.actions)))),
      ),
    )
    .orderBy(desc(auditEntries.id))
    .limit(1)
    .get();
  return row ? { by: row.by, at: row.at } : null;
}
