// The population import checks its file with the routine every spreadsheet import uses: a CSV written with
// semicolons (Excel where the decimal mark is a comma) imports as it is, an old .xls or a PDF is refused with
// the same message the control matrix import gives, and nothing is saved.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

async function setup() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CHG-SEMI' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  return { t, senior, uploadUrl: `/engagements/${eid}/controls/${controlId}/populations/upload` };
}

const count = (t: TestApp, table: string) =>
  (t.app.conn.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('the population import and the kinds of file', () => {
  it('imports a CSV separated by semicolons, commas inside its cells kept as text', async () => {
    const { t, senior, uploadUrl } = await setup();
    const lines = ['Change ID;Deployed;Summary'];
    for (let i = 1; i <= 30; i++)
      lines.push(`CHG-${i};2025-03-${String((i % 28) + 1).padStart(2, '0')};Change ${i}, approved by CAB`);
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'changes.csv', content: `\uFEFF${lines.join('\r\n')}\r\n` },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    const page = await senior.get(mappingUrl);
    expect(page.body).toMatch(/<option value="1"[^>]*>Deployed<\/option>/);
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso' });
    expect(
      t.app.conn.sqlite.prepare('SELECT status, row_count, sampleable_count FROM populations WHERE id = ?').get(id),
    ).toEqual({ status: 'draft', row_count: 30, sampleable_count: 30 });
    const first = t.app.conn.sqlite
      .prepare(
        'SELECT key, item_date, description FROM population_items WHERE population_id = ? ORDER BY row_number LIMIT 1',
      )
      .get(id);
    expect(first).toEqual({ key: 'CHG-1', item_date: '2025-03-02', description: 'Change 1, approved by CAB' });
  });

  it.each([
    [
      'an old .xls workbook',
      'changes.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      'This is an old Excel 97–2003 file (.xls). Open it in Excel, save it as an Excel Workbook (.xlsx)',
    ],
    ['a PDF', 'changes.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), 'This is a PDF, not a spreadsheet.'],
  ])('refuses %s with a clear 422 and saves nothing', async (_label, name, content, message) => {
    const { t, senior, uploadUrl } = await setup();
    const before = [count(t, 'populations'), count(t, 'population_items'), count(t, 'audit_entries')];
    const res = await upload(t.app, senior, uploadUrl, { window: '0' }, { name, content });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(message);
    expect([count(t, 'populations'), count(t, 'population_items'), count(t, 'audit_entries')]).toEqual(before);
  });
});
