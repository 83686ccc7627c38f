import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';

const rows = (t: TestApp) =>
  t.app.conn.sqlite
    .prepare('SELECT reference, description, status, due_date FROM pbc_requests ORDER BY reference')
    .all() as Record<string, unknown>[];

describe('PBC request list', () => {
  it('a request id that is not a number names no request: 404, and nothing is created', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/pbc`);
    const before = rows(t).length;
    for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999']) {
      const res = await senior.post(`/engagements/${eid}/pbc/${id}`, {
        description: 'Created through a bad id',
        controls: '',
      });
      expect([id, res.statusCode]).toEqual([id, 404]);
    }
    expect(rows(t).length).toBe(before);
  });

  it('reads the list’s declared ?status= filter: a stale value shows every request, one given twice is a 400 page', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    expect((await senior.get(`/engagements/${eid}/pbc?status=bogus`)).statusCode).toBe(200);
    const twice = await senior.get(`/engagements/${eid}/pbc/1/edit?status=open&status=overdue`);
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('more than once');
  });

  it('adds requests with their controls, flags overdue ones, and records every change', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare('DELETE FROM pbc_requests').run(); // start from an empty list, not the demo's
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/pbc`);
    const bad = await senior.post(`/engagements/${eid}/pbc`, {
      description: 'Population of terminated users',
      controls: 'CC6.3-01, NOPE-1',
      ownerEmail: 'not-an-email',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter a valid email address.');
    const missing = await senior.post(`/engagements/${eid}/pbc`, {
      description: 'Population of terminated users',
      controls: 'CC6.3-01, NOPE-1',
    });
    expect(missing.body).toContain('No control NOPE-1 in this engagement.');
    expect(rows(t)).toEqual([]);
    expect(
      (
        await senior.post(`/engagements/${eid}/pbc`, {
          description: 'Population of terminated users, 2025',
          controls: 'CC6.3-01',
          ownerName: 'HR Ops',
          ownerEmail: 'hr@nimbus.example',
          dueDate: '2020-01-31',
        })
      ).statusCode,
    ).toBe(303);
    const page = await senior.get(`/engagements/${eid}/pbc`);
    expect(page.body).toContain('PBC-001');
    expect(page.body).toContain('1 request is overdue');
    expect(page.body).toContain('CC6.3-01');
    const id = (t.app.conn.sqlite.prepare('SELECT id FROM pbc_requests').get() as { id: number }).id;
    const trail = t.app.conn.sqlite
      .prepare("SELECT action FROM audit_entries WHERE entity = 'pbc-request' AND entity_id = ?")
      .all(String(id));
    expect(trail).toEqual([{ action: 'create' }]);
  });

  it('exports to XLSX and imports it back, all rows or none', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare('DELETE FROM pbc_requests').run(); // start from an empty list, not the demo's
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/pbc`);
    await senior.post(`/engagements/${eid}/pbc`, {
      description: 'Change tickets 2025',
      controls: 'CC8.1-01',
      dueDate: '2026-01-15',
    });
    const exported = await t.app.inject({
      method: 'GET',
      url: `/engagements/${eid}/pbc/export.xlsx`,
      headers: { cookie: senior.cookie },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('PBC requests')!;
    expect(sheet.getRow(1).values).toContain('Description');
    sheet.getCell('G2').value = 'Accepted';
    sheet.addRow(['', 'Backup job history', 'A1.2-01', 'SRE', '', '2026-01-20', 'Open', '']);
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/pbc/import`,
      {},
      { name: 'pbc.xlsx', content: edited },
    );
    expect(res.statusCode).toBe(303);
    expect(rows(t).map((r) => [r.reference, r.status])).toEqual([
      ['PBC-001', 'accepted'],
      ['PBC-002', 'open'],
    ]);
    // A file with one bad row changes nothing.
    sheet.addRow(['', 'Unknown control request', 'ZZ-99', '', '', '', 'Open', '']);
    await senior.get(`/engagements/${eid}/pbc`);
    const refused = await upload(
      t.app,
      senior,
      `/engagements/${eid}/pbc/import`,
      {},
      { name: 'pbc.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) },
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Row 4: No control ZZ-99');
    expect(rows(t)).toHaveLength(2);
  });
});
