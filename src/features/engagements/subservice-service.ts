// An engagement's subservice organizations added and removed, each on the trail (a removed one's CSOCs with it).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { complementaryControls, subserviceOrgs } from '../../db/schema/index.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';

export function addSubserviceOrg(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  values: { name: string; services: string; method: 'carve-out' | 'inclusive' },
): void {
  db.transaction((tx) => {
    const row = tx
      .insert(subserviceOrgs)
      .values({ engagementId, ...values })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'subservice-org',
      entityId: row.id,
      action: 'create',
      changes: diff(null, row, ['name', 'services', 'method']),
    });
  });
}

export function removeSubserviceOrg(db: Db, actor: CurrentUser, engagementId: number, id: number): boolean {
  return db.transaction((tx) => {
    const row = tx
      .select()
      .from(subserviceOrgs)
      .where(and(eq(subserviceOrgs.id, id), eq(subserviceOrgs.engagementId, engagementId)))
      .get();
    if (!row) return false;
    // Its CSOCs go with it (cascade); the trail records each one.
    for (const csoc of tx
      .select()
      .from(complementaryControls)
      .where(eq(complementaryControls.subserviceOrgId, id))
      .all()) {
      appendAudit(tx, actor.id, {
        engagementId,
        entity: 'complementary-control',
        entityId: csoc.id,
        action: 'delete',
        changes: diff(csoc, null, ['kind', 'reference', 'description', 'subserviceOrgId']),
      });
    }
    tx.delete(subserviceOrgs).where(eq(subserviceOrgs.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'subservice-org',
      entityId: id,
      action: 'delete',
      changes: diff(row, null, ['name', 'services', 'method']),
    });
    return true;
  });
}
