// Upgrading an instance to methodology copies (migration 0013_methodology). The migration gives every existing
// engagement Tickmark's defaults, but until then its file dates and large-sample limit followed the configuration
// (TICKMARK_ASSEMBLY_DAYS, _RETENTION_YEARS, _LARGE_SAMPLE_ITEMS). Run once, in the start-up that applies the
// migration, this gives those engagements the configuration's values instead, so the upgrade itself rewrites
// none of their dates. Engagements opened later always carry their own copy and are never touched.
import { eq, sql } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { engagements, METHODOLOGY_BEFORE_FIRM_SETTINGS } from '../../db/schema/index.js';
import {
  flattenMethodology,
  readEngagementMethodology,
  type EngagementMethodology,
  type Methodology,
} from '../../domain/methodology.js';
import { appendAudit } from '../../core/audit/trail.js';

export const METHODOLOGY_MIGRATION = '0013_methodology';

/** Returns the number of engagements given the configuration's values (0 when they are Tickmark's defaults). */
export function keepConfiguredPolicyOnUpgrade(conn: Connection, configured: Methodology): number {
  if (!conn.migrated?.includes(METHODOLOGY_MIGRATION)) return 0;
  const before = flattenMethodology(readEngagementMethodology(JSON.parse(METHODOLOGY_BEFORE_FIRM_SETTINGS))!.settings);
  const changed = Object.entries(flattenMethodology(configured)).filter(([k, v]) => before[k] !== v);
  if (changed.length === 0) return 0;
  const copy: EngagementMethodology = { firmSettingsOf: null, settings: configured };
  return conn.db.transaction((tx) => {
    const rows = tx
      .select({ id: engagements.id })
      .from(engagements)
      .where(sql`${engagements.methodology} = ${METHODOLOGY_BEFORE_FIRM_SETTINGS}`)
      .all();
    for (const { id } of rows) {
      tx.update(engagements).set({ methodology: copy }).where(eq(engagements.id, id)).run();
      appendAudit(tx, null, {
        engagementId: id,
        entity: 'engagement',
        entityId: id,
        action: 'update',
        changes: Object.fromEntries(changed.map(([k, v]) => [`methodology.${k}`, [before[k]!, v]])),
      });
    }
    return rows.length;
  });
}
