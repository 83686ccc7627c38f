// Replays the trail of the rows recordWrite audits and compares it with the rows as they are: a value changed
// behind the app's back (raw SQL, a restored file) differs from the last value the trail recorded for it.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../../db/connection.js';
import {
  auditEntries,
  caEvidence,
  controls,
  evidenceFiles,
  exceptionAnomalies,
  exceptionRecords,
  reviewNotes,
  signoffs,
  testedItems,
  testResults,
  walkthroughs,
  workpaperOverrides,
  workpapers,
} from '../../db/schema/index.js';
import type { AuditEntity } from './entities.js';
import { auditedColumns } from './record.js';

/** The entities written through recordWrite, with their table and the column their entity id names. */
const REPLAYED: { entity: AuditEntity; table: SQLiteTable; key: string }[] = [
  { entity: 'control', table: controls, key: 'id' },
  { entity: 'walkthrough', table: walkthroughs, key: 'controlId' },
  { entity: 'population-ca', table: caEvidence, key: 'populationId' },
  { entity: 'tested-item', table: testedItems, key: 'sampleItemId' },
  { entity: 'test-result', table: testResults, key: 'id' },
  { entity: 'signoff', table: signoffs, key: 'id' },
  { entity: 'review-note', table: reviewNotes, key: 'id' },
  { entity: 'evidence', table: evidenceFiles, key: 'id' },
  { entity: 'exception', table: exceptionRecords, key: 'id' },
  { entity: 'exception-anomaly', table: exceptionAnomalies, key: 'id' },
  { entity: 'workpaper-override', table: workpaperOverrides, key: 'id' },
  { entity: 'workpaper', table: workpapers, key: 'id' },
];

export interface Divergence {
  entity: AuditEntity;
  entityId: string;
  column: string;
  /** The value the trail last recorded. */
  trail: unknown;
  current: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Each audited column's last recorded value, by entity and id; a deleted row is forgotten. */
function replayed(tx: Tx, engagementId?: number): Map<AuditEntity, Map<string, Record<string, unknown>>> {
  const state = new Map(REPLAYED.map((r) => [r.entity, new Map<string, Record<string, unknown>>()]));
  const entries = tx
    .select({
      entity: auditEntries.entity,
      entityId: auditEntries.entityId,
      action: auditEntries.action,
      changes: auditEntries.changes,
    })
    .from(auditEntries)
    .where(
      and(
        inArray(
          auditEntries.entity,
          REPLAYED.map((r) => r.entity),
        ),
        engagementId === undefined ? undefined : eq(auditEntries.engagementId, engagementId),
      ),
    )
    .orderBy(asc(auditEntries.id))
    .all();
  for (const e of entries) {
    const rows = state.get(e.entity as AuditEntity)!;
    if (e.action === 'delete') {
      rows.delete(e.entityId);
      continue;
    }
    const row = rows.get(e.entityId) ?? {};
    for (const [column, [, after]] of Object.entries(JSON.parse(e.changes) as Record<string, [unknown, unknown]>))
      row[column] = after;
    rows.set(e.entityId, row);
  }
  return state;
}

/**
 * Every audited column of a replayed row whose current value is not the one its last trail entry gives; with
 * `engagementId`, only the rows that engagement's entries recorded.
 */
export function divergentRows(tx: Tx, engagementId?: number): Divergence[] {
  const state = replayed(tx, engagementId);
  const found: Divergence[] = [];
  for (const { entity, table, key } of REPLAYED) {
    const recorded = state.get(entity)!;
    if (recorded.size === 0) continue;
    const columns = auditedColumns(table);
    for (const row of tx.select().from(table).all() as Record<string, unknown>[]) {
      const entityId = String(row[key]);
      const last = recorded.get(entityId);
      if (!last) continue;
      for (const column of columns) {
        if (column in last && !same(last[column], row[column]))
          found.push({ entity, entityId, column, trail: last[column], current: row[column] });
      }
    }
  }
  return found;
}
