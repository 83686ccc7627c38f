import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { count, rowsOfXlsx, upload, xlsxOf } from './helpers.js';

async function exportMatrix(client: Client, id: number): Promise<Buffer> {
  const res = await client.get(`/engagements/${id}/controls/export.xlsx`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return res.rawPayload;
}

async function importFile(t: TestApp, client: Client, id: number, bytes: Buffer): Promise<string> {
  await client.get(`/engagements/${id}/controls/import`);
  const res = await upload(t.app, client, `/engagements/${id}/controls/import`, 'export.xlsx', bytes);
  expect(res.statusCode).toBe(303);
  return String(res.headers.location);
}

/** Everything the matrix holds, in a form two engagements can be compared on. */
function matrixState(t: TestApp, id: number): unknown[] {
  return t.app.conn.sqlite
    .prepare(
      `SELECT c.reference, c.description, c.owner, c.frequency, c.calendar, c.nature, c.control_type, c.is_key, c.risk,
        (SELECT group_concat(criterion_id, ',') FROM (SELECT criterion_id FROM control_mappings WHERE control_id = c.id ORDER BY criterion_id)) AS criteria,
        (SELECT group_concat(kind || ':' || text, '|') FROM (SELECT kind, text FROM test_procedures WHERE control_id = c.id ORDER BY position)) AS procedures,
        (SELECT group_concat(letter || ':' || text, '|') FROM (SELECT letter, text FROM test_attributes WHERE control_id = c.id ORDER BY letter)) AS attributes
       FROM controls c WHERE c.engagement_id = ? ORDER BY c.reference`,
    )
    .all(id);
}

describe('exporting the control matrix', () => {
  it('writes the import columns, one row per control, to any team member', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const rows = await rowsOfXlsx(await exportMatrix(staff, id));
    expect(rows[0]).toEqual([
      'Reference',
      'Description',
      'Owner',
      'Frequency',
      'Operates on',
      'Nature',
      'Type',
      'Key control',
      'Risk',
      'Criteria',
      'Test procedures',
      'Attributes',
    ]);
    expect(rows).toHaveLength(1 + count(t, 'SELECT count(*) AS n FROM controls WHERE engagement_id = ?', id));
    const change = rows.find((r) => r[0] === 'CC8.1-01')!;
    expect(change.slice(3, 10)).toEqual([
      'Event-driven',
      '',
      'IT-dependent manual',
      'Preventive',
      'Yes',
      'Higher',
      'CC8.1',
    ]);
    expect(change[10]).toMatch(/^Inspection: Obtained the population of production deployments/);
    expect(change[11]!.split('\n')[1]).toBe('B: The approver is not the developer of the change.');
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get(`/engagements/${id}/controls/export.xlsx`)).statusCode).toBe(404);
  });

  it('round-trips: importing the export into the same engagement changes nothing', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const before = matrixState(t, id);
    const location = await importFile(t, senior, id, await exportMatrix(senior, id));
    const preview = await senior.get(location);
    expect(preview.body).toContain(`0 new, 0 to update, ${before.length} unchanged, <strong>0 rejected</strong>`);
    const confirm = await senior.post(`${location}/confirm`);
    expect(confirm.statusCode).toBe(303);
    expect(matrixState(t, id)).toEqual(before);
    expect(count(t, "SELECT count(*) AS n FROM audit_entries WHERE action LIKE 'import-%'")).toBe(0);
  });

  it('round-trips: export → import into an empty engagement → export gives the same workbook cells and the same matrix', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const partnerId = (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE firm_role = 'partner'").get() as { id: number }
    ).id;
    await manager.get('/engagements/new');
    const created = await manager.post('/engagements', {
      clientName: 'Nimbus Ledger, Inc. (copy)',
      systemName: 'Copy',
      framework: 'soc2',
      reportType: 'type2',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      categories: ['availability'],
      partnerUserId: String(partnerId),
    });
    expect(created.statusCode).toBe(303);
    const copyId = Number(String(created.headers.location).split('/').pop());
    const exported = await exportMatrix(manager, id);
    const location = await importFile(t, manager, copyId, exported);
    expect((await manager.post(`${location}/confirm`)).statusCode).toBe(303);
    expect(matrixState(t, copyId)).toEqual(matrixState(t, id));
    expect(await rowsOfXlsx(await exportMatrix(manager, copyId))).toEqual(await rowsOfXlsx(exported));
  });

  it('reads an exported, edited workbook back with the edit', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const rows = await rowsOfXlsx(await exportMatrix(senior, id));
    const edited = rows.map((r) => (r[0] === 'A1.2-01' ? [...r.slice(0, 3), 'Weekly', ...r.slice(4)] : r));
    const location = await importFile(t, senior, id, await xlsxOf(edited));
    const preview = await senior.get(location);
    expect(preview.body).toContain('0 new, 1 to update');
    await senior.post(`${location}/confirm`);
    expect(t.app.conn.sqlite.prepare("SELECT frequency FROM controls WHERE reference = 'A1.2-01'").get()).toEqual({
      frequency: 'weekly',
    });
  });

  it('reads the days a daily control operates on from the "Operates on" column, and records the change', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const rows = await rowsOfXlsx(await exportMatrix(senior, id));
    expect(rows.find((r) => r[0] === 'CC7.2-01')![4]).toBe('Business days');
    const edited = rows.map((r) => (r[0] === 'CC7.2-01' ? [...r.slice(0, 4), 'Every day', ...r.slice(5)] : r));
    const location = await importFile(t, senior, id, await xlsxOf(edited));
    expect((await senior.get(location)).body).toContain('0 new, 1 to update');
    await senior.post(`${location}/confirm`);
    expect(
      t.app.conn.sqlite
        .prepare("SELECT calendar FROM controls WHERE reference = 'CC7.2-01' AND engagement_id = ?")
        .get(id),
    ).toEqual({ calendar: 'every-day' });
    const audit = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE action = 'import-update' ORDER BY id DESC LIMIT 1")
      .get() as { changes: string };
    expect(JSON.parse(audit.changes)).toEqual({ calendar: ['business-days', 'every-day'] });
  });
});
