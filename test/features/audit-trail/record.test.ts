// The trail recorded by structure: every column of the table (but the bookkeeping it opts out of), and on a
// delete the rows the schema's ON DELETE CASCADE takes with it, read from the foreign keys.
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditedColumns, columnChanges } from '../../../src/core/audit/record.js';
import { controls, testResults, walkthroughs } from '../../../src/db/schema/index.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { controlId, count } from '../controls/helpers.js';

const HX = { 'hx-request': 'true' };

describe('the structural trail', () => {
  it('compares every column of the table but the opted-out bookkeeping, so a new column is audited unasked', () => {
    const all = Object.keys(getTableColumns(controls));
    expect(auditedColumns(controls)).toEqual(
      all.filter((k) => !['version', 'planVersion', 'createdAt', 'updatedAt'].includes(k)),
    );
    const before = Object.fromEntries(all.map((k) => [k, `old ${k}`]));
    const after = Object.fromEntries(all.map((k) => [k, `new ${k}`]));
    expect(Object.keys(columnChanges(controls, before, after))).toEqual(auditedColumns(controls));
    expect(auditedColumns(testResults)).not.toContain('version');
    expect(auditedColumns(walkthroughs)).toContain('deficiency');
  });

  it('records the test plan, walkthrough and mappings a deleted control takes with it', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC8.1-01');
    const procedures = count(t, 'SELECT count(*) AS n FROM test_procedures WHERE control_id = ?', cid);
    const attributes = count(t, 'SELECT count(*) AS n FROM test_attributes WHERE control_id = ?', cid);
    expect([
      procedures,
      attributes,
      count(t, 'SELECT count(*) AS n FROM walkthroughs WHERE control_id = ?', cid),
    ]).toEqual([expect.any(Number), expect.any(Number), 1]);
    const traced = (
      t.app.conn.sqlite.prepare('SELECT traced FROM walkthroughs WHERE control_id = ?').get(cid) as { traced: string }
    ).traced;
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${id}/controls/${cid}`);
    expect((await manager.post(`/engagements/${id}/controls/${cid}/delete`)).statusCode).toBe(303);
    const entry = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE entity = 'control' AND action = 'delete' AND entity_id = ?")
      .get(String(cid)) as { changes: string };
    const changes = JSON.parse(entry.changes) as Record<string, [unknown, unknown]>;
    expect(changes.reference).toEqual(['CC8.1-01', null]);
    expect((changes['cascade:test_procedures']![0] as unknown[]).length).toBe(procedures);
    expect((changes['cascade:test_attributes']![0] as unknown[]).length).toBe(attributes);
    expect(changes['cascade:walkthroughs']).toEqual([[expect.objectContaining({ controlId: cid, traced })], null]);
    expect(changes['cascade:control_mappings']![0]).toEqual(
      expect.arrayContaining([expect.objectContaining({ controlId: cid, criterionId: 'CC8.1' })]),
    );
  });

  it('writes nothing for a walkthrough saved unchanged: a bare re-save is no change the trail could show', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC8.1-01');
    const senior = await loginAs(t.app, 'senior');
    const form = (await senior.get(`/engagements/${id}/controls/${cid}/walkthrough/edit`, HX)).body;
    const { formsOf } = await import('../../security/sweep/forms.js');
    const fields = formsOf(form).get(`/engagements/${id}/controls/${cid}/walkthrough`)!;
    const row = () => t.app.conn.sqlite.prepare('SELECT * FROM walkthroughs WHERE control_id = ?').get(cid);
    const [before, trail] = [row(), count(t, 'SELECT count(*) AS n FROM audit_entries')];
    expect((await senior.post(`/engagements/${id}/controls/${cid}/walkthrough`, fields, HX)).statusCode).toBe(200);
    expect([row(), count(t, 'SELECT count(*) AS n FROM audit_entries')]).toEqual([before, trail]);
  });
});
