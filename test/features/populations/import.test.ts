import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

async function setup() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CHG-T1' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  return { t, eid, controlId, senior };
}

function populationRow(t: TestApp, id: number) {
  return t.app.conn.sqlite.prepare('SELECT * FROM populations WHERE id = ?').get(id) as Record<string, unknown>;
}

function count(t: TestApp, sql: string, ...args: unknown[]): number {
  return (t.app.conn.sqlite.prepare(sql).get(...args) as { n: number }).n;
}

describe('transaction population import', () => {
  it('uploads, maps, checks every row and ties out the count and total', async () => {
    const { t, eid, controlId, senior } = await setup();
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes.csv', content: ticketsCsv(300, [3, 200]) },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    const id = Number(/populations\/(\d+)\/mapping/.exec(mappingUrl)![1]);
    const page = await senior.get(mappingUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('CHG-00001');
    // The guesses: key = Change ID (0), date = Deployed (1), description = Summary (2), amount = Amount (3).
    expect(page.body).toMatch(/<option value="0" selected>Change ID<\/option>/);
    const run = await senior.post(mappingUrl, {
      header: 'on',
      key: '0',
      date: '1',
      description: '2',
      amount: '3',
      dateFormat: 'iso',
    });
    expect(run.statusCode).toBe(303);
    expect(run.headers.location).toBe(`/engagements/${eid}/populations/${id}`);
    const row = populationRow(t, id);
    expect(row).toMatchObject({ status: 'draft', row_count: 300, sampleable_count: 298, issue_count: 2 });
    const show = await senior.get(String(run.headers.location));
    expect(show.body).toContain('Dated outside the reporting period');
    expect(show.body).toMatch(/<td class="num">4<\/td><td>CHG-00003<\/td>/);
    const csv = await senior.get(`/engagements/${eid}/populations/${id}/issues.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);
    // Tie-out with the client's count and total.
    const expectedTotal = Array.from({ length: 300 }, (_, i) => ((i + 1) % 97) + 0.5).reduce((a, b) => a + b, 0);
    await senior.post(`/engagements/${eid}/populations/${id}/ca`, {
      sourceSystem: 'Jira',
      reportUsed: 'JQL: project = CHG AND deployed in 2025',
      extractedBy: 'Client IT',
      extractedOn: '2026-01-05',
      clientCount: '300',
      clientTotal: expectedTotal.toFixed(2),
      procedures: 'Re-ran the query with the client.',
    });
    const tied = await senior.get(`/engagements/${eid}/populations/${id}`);
    expect(tied.body.match(/✓ Agrees/g)).toHaveLength(2);
  });

  it('fixing the mapping re-runs the checks from the stored file', async () => {
    const { t, eid, controlId, senior } = await setup();
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes.csv', content: ticketsCsv(50) },
    );
    const mappingUrl = String(res.headers.location);
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    await senior.get(mappingUrl);
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '2', dateFormat: 'iso' });
    expect(populationRow(t, id)).toMatchObject({ sampleable_count: 0, issue_count: 50 });
    await senior.get(mappingUrl);
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    expect(populationRow(t, id)).toMatchObject({ sampleable_count: 50, issue_count: 0 });
    expect(count(t, 'SELECT count(*) AS n FROM population_items WHERE population_id = ?', id)).toBe(50);
  });

  it('reads XLSX with real date cells', async () => {
    const { t, eid, controlId, senior } = await setup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Terminations');
    ws.addRow(['Employee ID', 'Termination date', 'Name']);
    for (let i = 1; i <= 20; i++) ws.addRow([`E${i}`, new Date(Date.UTC(2025, i % 12, 10)), `Person ${i}`]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'leavers.xlsx', content: buffer },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    await senior.get(mappingUrl);
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso' });
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    expect(populationRow(t, id)).toMatchObject({ row_count: 20, sampleable_count: 20 });
  });

  it('refuses bad files with a clear message and writes nothing', async () => {
    const { t, eid, controlId, senior } = await setup();
    const url = `/engagements/${eid}/controls/${controlId}/populations/upload`;
    const before = count(t, 'SELECT count(*) AS n FROM populations');
    const cases: [string, Buffer | string, RegExp][] = [
      ['empty.csv', '', /The file is empty/],
      ['junk.xlsx', Buffer.from([0, 1, 2, 3, 255, 0, 7]), /neither a CSV text file nor an Excel workbook/],
      ['utf16.csv', Buffer.from('\ufeffid,date\n', 'utf16le'), /UTF-16/],
    ];
    for (const [name, content, message] of cases) {
      const res = await upload(t.app, senior, url, { window: '0' }, { name, content });
      expect(res.statusCode, name).toBe(422);
      expect(res.body, name).toMatch(message);
    }
    expect(count(t, 'SELECT count(*) AS n FROM populations')).toBe(before);
  });

  it('a CSV that stops being UTF-8 far into the file is refused at upload, before any import', async () => {
    const { t, eid, controlId, senior } = await setup();
    const before = count(t, 'SELECT count(*) AS n FROM populations');
    const latin1 = Buffer.concat([Buffer.from(ticketsCsv(5000)), Buffer.from([0x43, 0x48, 0x47, 0x2c, 0xe9, 0x0a])]);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'latin1.csv', content: latin1 },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/not UTF-8/);
    expect(count(t, 'SELECT count(*) AS n FROM populations')).toBe(before);
  });

  it('a file that fails mid-way keeps no rows', async () => {
    const { t, eid, controlId, senior } = await setup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Changes');
    ws.addRow(['Change ID', 'Deployed']);
    for (let i = 1; i <= 5000; i++)
      ws.addRow(
        i === 4000 ? [`CHG-${i}`, '2025-05-05', ...Array.from({ length: 600 }, () => 'x')] : [`CHG-${i}`, '2025-05-05'],
      );
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) },
    );
    const mappingUrl = String(res.headers.location);
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    await senior.get(mappingUrl);
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    expect(populationRow(t, id)).toMatchObject({ status: 'draft', row_count: 0 });
    expect(String(populationRow(t, id).import_error)).toMatch(/Row 4,001 has more than 500 columns/);
    expect(count(t, 'SELECT count(*) AS n FROM population_items WHERE population_id = ?', id)).toBe(0);
  });

  it('refuses an oversized upload', async () => {
    const t = await buildTestApp({ env: { TICKMARK_MAX_UPLOAD_MB: '1' } });
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'big.csv', content: 'x,'.repeat(700_000) },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('larger than the limit of 1 MB');
  });

  it('hides populations from anyone off the team', async () => {
    const { t, eid, controlId } = await setup();
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get(`/engagements/${eid}/controls/${controlId}/population`)).statusCode).toBe(404);
    const other = await loginAs(t.app, 'senior');
    expect((await other.get(`/engagements/${eid}/controls/999999/population`)).statusCode).toBe(404);
  });
});

describe('import progress', () => {
  it('polls through htmx while the import runs and sends the browser on when it is done', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { reference: 'PROG-1' });
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes.csv', content: ticketsCsv(20) },
    );
    const id = Number(/populations\/(\d+)/.exec(String(res.headers.location))![1]);
    const done = await senior.get(`/engagements/${eid}/populations/${id}/progress`, { 'hx-request': 'true' });
    expect(done.statusCode).toBe(204);
    expect(done.headers['hx-redirect']).toBe(`/engagements/${eid}/populations/${id}`);
  });
});
