// Every entity written through recordWrite is replayed: a column of its row changed by raw SQL, behind the app's
// back, differs from the trail's last entry and is reported, for the engagement whose entries recorded it.
import { describe, expect, it } from 'vitest';
import { divergentRows } from '../../../src/core/audit/replay.js';
import { buildTestApp, demoEngagementId } from '../../helpers/app.js';

/** An entity of the demo, the table and key its entries name, and a text column to change behind the app's back. */
const DEMO_CASES = [
  { entity: 'signoff', table: 'signoffs', key: 'id', column: 'signedAt', sqlColumn: 'signed_at' },
  { entity: 'review-note', table: 'review_notes', key: 'id', column: 'createdAt', sqlColumn: 'created_at' },
  { entity: 'evidence', table: 'evidence_files', key: 'id', column: 'originalName', sqlColumn: 'original_name' },
] as const;

describe('replaying each entity written through recordWrite', () => {
  it('reports a column of each changed by raw SQL, and nothing once it is put back', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const eid = demoEngagementId(t);
    expect(divergentRows(t.app.conn.db)).toEqual([]);
    for (const c of DEMO_CASES) {
      const row = s
        .prepare(
          `SELECT CAST(r.${c.key} AS TEXT) AS id, r.${c.sqlColumn} AS value FROM ${c.table} r WHERE EXISTS (SELECT 1 FROM audit_entries a WHERE a.entity = ? AND a.entity_id = CAST(r.${c.key} AS TEXT) AND a.changes LIKE ?) ORDER BY r.${c.key} LIMIT 1`,
        )
        .get(c.entity, `%"${c.column}"%`) as { id: string; value: string } | undefined;
      expect(row, c.entity).toBeDefined();
      const set = s.prepare(`UPDATE ${c.table} SET ${c.sqlColumn} = ? WHERE ${c.key} = ?`);
      set.run('changed behind the app', Number(row!.id));
      const expected = { entity: c.entity, entityId: row!.id, column: c.column, trail: row!.value };
      expect(divergentRows(t.app.conn.db)).toEqual([{ ...expected, current: 'changed behind the app' }]);
      expect(divergentRows(t.app.conn.db, eid)).toEqual([{ ...expected, current: 'changed behind the app' }]);
      expect(divergentRows(t.app.conn.db, eid + 1000)).toEqual([]);
      set.run(row!.value, Number(row!.id));
      expect(divergentRows(t.app.conn.db)).toEqual([]);
    }
  });
});
