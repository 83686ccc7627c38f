// The PBC import checks its file with the routine every spreadsheet import uses: a CSV written with semicolons
// imports as it is, an old .xls or a PDF is refused with the control matrix import's message, nothing saved.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';

async function setup() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  t.app.conn.sqlite.prepare('DELETE FROM pbc_requests').run(); // start from an empty list, not the demo's
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/pbc`);
  return { t, senior, importUrl: `/engagements/${eid}/pbc/import` };
}

const requests = (t: TestApp) =>
  t.app.conn.sqlite
    .prepare('SELECT reference, description, status, due_date FROM pbc_requests ORDER BY reference')
    .all();
const trail = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;

describe('the PBC import and the kinds of file', () => {
  it('imports a CSV separated by semicolons, commas inside its cells kept as text', async () => {
    const { t, senior, importUrl } = await setup();
    const csv = [
      'Reference;Description;Controls;Owner name;Owner email;Due date;Status;Answer',
      ';Change tickets 2025, all systems;CC8.1-01;IT Ops;;2026-01-15;Open;',
      ';Backup job history;A1.2-01;SRE;;2026-01-20;Accepted;Sent, see the shared folder',
    ].join('\r\n');
    const res = await upload(t.app, senior, importUrl, {}, { name: 'pbc.csv', content: `\uFEFF${csv}\r\n` });
    expect(res.statusCode).toBe(303);
    expect(requests(t)).toEqual([
      { reference: 'PBC-001', description: 'Change tickets 2025, all systems', status: 'open', due_date: '2026-01-15' },
      { reference: 'PBC-002', description: 'Backup job history', status: 'accepted', due_date: '2026-01-20' },
    ]);
  });

  it.each([
    [
      'an old .xls workbook',
      'pbc.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      'This is an old Excel 97–2003 file (.xls). Open it in Excel, save it as an Excel Workbook (.xlsx)',
    ],
    ['a PDF', 'pbc.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), 'This is a PDF, not a spreadsheet.'],
  ])('refuses %s with a clear 422 and saves nothing', async (_label, name, content, message) => {
    const { t, senior, importUrl } = await setup();
    const before = trail(t);
    const res = await upload(t.app, senior, importUrl, {}, { name, content });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(message);
    expect(requests(t)).toEqual([]);
    expect(trail(t)).toBe(before);
  });
});
