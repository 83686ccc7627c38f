// Every entity written through recordWrite is replayed: a column of its row changed by raw SQL, behind the app's
// back, differs from the trail's last entry and is reported, for the engagement whose entries recorded it.
import { describe, expect, it } from 'vitest';
import { divergentRows } from '../../../src/core/audit/replay.js';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { exceptionOn, formVersion, passAll, workpaper } from '../testing/helpers.js';

/** An entity of the demo, the table and key its entries name, and a text column to change behind the app's back. */
const DEMO_CASES = [
  { entity: 'signoff', table: 'signoffs', key: 'id', column: 'signedAt', sqlColumn: 'signed_at' },
  { entity: 'review-note', table: 'review_notes', key: 'id', column: 'createdAt', sqlColumn: 'created_at' },
  { entity: 'evidence', table: 'evidence_files', key: 'id', column: 'originalName', sqlColumn: 'original_name' },
  { entity: 'exception', table: 'exceptions', key: 'id', column: 'description', sqlColumn: 'description' },
  { entity: 'workpaper', table: 'workpapers', key: 'id', column: 'resultText', sqlColumn: 'result_text' },
] as const;

interface Case {
  entity: string;
  table: string;
  key: string;
  column: string;
  sqlColumn: string;
}

/** Changes the column of the first row the trail recorded it for, sees the replay report it, and puts it back. */
function changedBehindTheApp(t: TestApp, eid: number, c: Case): void {
  const s = t.app.conn.sqlite;
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

describe('replaying each entity written through recordWrite', () => {
  it('reports a column of each demo entity changed by raw SQL, and nothing once it is put back', async () => {
    const t = await buildTestApp();
    expect(divergentRows(t.app.conn.db)).toEqual([]);
    for (const c of DEMO_CASES) changedBehindTheApp(t, demoEngagementId(t), c);
  });

  it('replays overrides, conclusions and a cleared cell passed in bulk, and reports an override changed by raw SQL', async () => {
    const w = await workpaper({ rows: 400, seed: '2025' });
    expect((await w.mark(w.staff, w.items[0]!, 'A', 'pass')).statusCode).toBe(200);
    expect((await w.mark(w.staff, w.items[0]!, 'A', '', 1)).statusCode).toBe(200);
    await exceptionOn(w, 2);
    await exceptionOn(w, 9);
    await passAll(w);
    await w.staff.post(`${w.url}/conclusion`, { conclusion: 'not-effective', version: formVersion(w) });
    await w.staff.post(`${w.url}/overrides`, { rationale: 'Both deviations trace to one release day.' });
    const manager = await loginAs(w.t.app, 'manager');
    const id = /overrides\/(\d+)\/approve/.exec((await manager.get(w.url)).body)![1];
    expect((await manager.post(`${w.url}/overrides/${id}/approve`)).statusCode).toBe(303);
    expect(divergentRows(w.t.app.conn.db)).toEqual([]);
    const override = { entity: 'workpaper-override', table: 'workpaper_overrides', key: 'id', column: 'rationale' };
    changedBehindTheApp(w.t, w.eid, { ...override, sqlColumn: 'rationale' });
    const conclusion = { entity: 'workpaper', table: 'workpapers', key: 'id', column: 'conclusion' };
    changedBehindTheApp(w.t, w.eid, { ...conclusion, sqlColumn: 'conclusion' });
  });

  it('replays an ISAE anomaly proposed and approved, and reports its reason changed by raw SQL', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const eid = Number(
      (
        s.prepare("SELECT id FROM engagements WHERE client_name = 'Fenwick Payroll Services Ltd'").get() as {
          id: number;
        }
      ).id,
    );
    const x = s
      .prepare(
        "SELECT w.control_id AS controlId, w.population_id AS populationId, x.sample_item_id AS item, x.attribute, x.version FROM exceptions x JOIN workpapers w ON w.id = x.workpaper_id JOIN controls c ON c.id = w.control_id WHERE c.engagement_id = ? AND c.reference = 'FP-AC-01' ORDER BY x.id LIMIT 1",
      )
      .get(eid) as Record<string, number | string>;
    const wp = `/engagements/${eid}/controls/${x.controlId}/workpaper/${x.populationId}`;
    const page = `${wp}/items/${x.item}/exceptions/${x.attribute}`;
    const senior = await loginAs(t.app, 'senior');
    await senior.get(page);
    const reason = 'The IT Manager left mid-quarter; the other quarters were reviewed on time.';
    expect((await senior.post(`${page}/anomaly`, { reason, version: String(x.version) })).statusCode).toBe(303);
    const manager = await loginAs(t.app, 'manager');
    const id = (s.prepare('SELECT id FROM exception_anomalies').get() as { id: number }).id;
    expect((await manager.post(`${wp}/anomalies/${id}/approve`, {})).statusCode).toBe(303);
    expect(divergentRows(t.app.conn.db)).toEqual([]);
    const anomaly = { entity: 'exception-anomaly', table: 'exception_anomalies', key: 'id', column: 'reason' };
    changedBehindTheApp(t, eid, { ...anomaly, sqlColumn: 'reason' });
  });
});
