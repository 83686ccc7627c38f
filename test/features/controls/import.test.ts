import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { count, HEADER, matrixRow, upload, xlsxOf } from './helpers.js';

const controlsIn = (t: Awaited<ReturnType<typeof buildTestApp>>, id: number) =>
  count(t, 'SELECT count(*) AS n FROM controls WHERE engagement_id = ?', id);

describe('importing a control matrix', () => {
  it('previews every row with its errors by row and column, and writes nothing until confirmed', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const before = controlsIn(t, id);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const file = await xlsxOf([
      HEADER,
      matrixRow('NEW-01'),
      matrixRow('NEW-02', { frequency: 'Fortnightly' }),
      matrixRow('NEW-03', { criteria: 'CC6.1, CC99.1' }),
      matrixRow('NEW-01'),
      matrixRow('NEW-05', { description: '' }),
      matrixRow('NEW-06', { procedures: 'Inquiry: Asked the owner.' }),
    ]);
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'matrix.xlsx', file);
    expect(res.statusCode).toBe(303);
    const preview = await senior.get(String(res.headers.location));
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('6 rows read:');
    expect(preview.body).toContain('Row 3, column D (Frequency): Unknown frequency &quot;Fortnightly&quot;');
    expect(preview.body).toContain('Row 4, column I (Criteria): Unknown criterion &quot;CC99.1&quot;.');
    expect(preview.body).toContain(
      'Row 2, column A (Reference): Duplicate reference &quot;NEW-01&quot;: also on row 5.',
    );
    expect(preview.body).toContain('Row 6, column B (Description): Description is missing.');
    expect(preview.body).toMatch(/Row 7, column J \(Test procedures\): Inquiry alone/);
    expect(preview.body).not.toContain('/confirm');
    expect(controlsIn(t, id)).toBe(before);
  });

  it('writes all rows on confirm, then shows them in the matrix', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const before = controlsIn(t, id);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const csv = [HEADER, matrixRow('IMP-01'), matrixRow('IMP-02', { criteria: 'a1.2' })]
      .map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'matrix.csv', csv);
    const preview = await senior.get(String(res.headers.location));
    expect(preview.body).toContain('2 new, 0 to update');
    const confirm = await senior.post(`${res.headers.location}/confirm`);
    expect(confirm.statusCode).toBe(303);
    expect(controlsIn(t, id)).toBe(before + 2);
    const matrix = await senior.get(String(confirm.headers.location));
    expect(matrix.body).toContain('Import complete: 2 controls added, 0 updated, 0 unchanged.');
    expect(matrix.body).toContain('IMP-02');
    const imported = t.app.conn.sqlite
      .prepare(
        "SELECT c.implemented_from AS f, m.criterion_id AS crit FROM controls c JOIN control_mappings m ON m.control_id = c.id WHERE c.reference = 'IMP-02'",
      )
      .get() as { f: string; crit: string };
    expect(imported).toEqual({ f: '2025-01-01', crit: 'A1.2' });
    expect(
      count(
        t,
        "SELECT count(*) AS n FROM test_attributes a JOIN controls c ON c.id = a.control_id WHERE c.reference = 'IMP-01'",
      ),
    ).toBe(2);
    expect(
      count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'control' AND action = 'import-create'"),
    ).toBe(2);
    expect(count(t, 'SELECT count(*) AS n FROM control_imports')).toBe(0);
    // The pending import is gone: confirming twice writes nothing more.
    expect((await senior.post(`${res.headers.location}/confirm`)).statusCode).toBe(404);
  });

  it('updates the control whose reference is already in the matrix', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const before = controlsIn(t, id);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const file = await xlsxOf([
      ['Ref', 'Description', 'Frequency', 'Nature', 'Type'],
      ['cc6.2-01', 'New user access is approved by the manager in Jira.', 'Event-driven', 'Manual', 'Preventive'],
    ]);
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'update.xlsx', file);
    const preview = await senior.get(String(res.headers.location));
    expect(preview.body).toContain('0 new, 1 to update');
    expect(preview.body).toContain('Changes: Description');
    await senior.post(`${res.headers.location}/confirm`);
    expect(controlsIn(t, id)).toBe(before);
    const row = t.app.conn.sqlite
      .prepare("SELECT description, is_key AS k FROM controls WHERE reference = 'CC6.2-01'")
      .get() as { description: string; k: number };
    expect(row).toEqual({ description: 'New user access is approved by the manager in Jira.', k: 1 });
    // Columns the file lacked (key, criteria, plan) were kept.
    expect(
      count(
        t,
        "SELECT count(*) AS n FROM test_procedures p JOIN controls c ON c.id = p.control_id WHERE c.reference = 'CC6.2-01'",
      ),
    ).toBe(3);
  });

  it('writes nothing when the matrix changed since the preview and a row no longer holds', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const before = controlsIn(t, id);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const file = await xlsxOf([HEADER, matrixRow('AON-01'), matrixRow('AON-02', { criteria: 'A1.2' })]);
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'matrix.xlsx', file);
    expect((await senior.get(String(res.headers.location))).body).toContain('2 new');
    t.app.conn.sqlite.prepare("UPDATE engagements SET categories = '[]' WHERE id = ?").run(id);
    const confirm = await senior.post(`${res.headers.location}/confirm`);
    expect(confirm.statusCode).toBe(422);
    expect(confirm.body).toContain('Nothing was imported');
    expect(confirm.body).toContain('A1.2 is not in scope');
    expect(controlsIn(t, id)).toBe(before);
  });

  it('rolls back every row when writing one of them fails', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const before = controlsIn(t, id);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const file = await xlsxOf([HEADER, matrixRow('RB-01'), matrixRow('RB-02'), matrixRow('RB-03')]);
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'matrix.xlsx', file);
    t.app.conn.sqlite.exec(
      "CREATE TRIGGER fail_third AFTER INSERT ON controls WHEN NEW.reference = 'RB-03' BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    );
    const confirm = await senior.post(`${res.headers.location}/confirm`);
    expect(confirm.statusCode).toBe(500);
    expect(controlsIn(t, id)).toBe(before);
    expect(count(t, "SELECT count(*) AS n FROM audit_entries WHERE action = 'import-create'")).toBe(0);
    t.app.conn.sqlite.exec('DROP TRIGGER fail_third');
    expect((await senior.post(`${res.headers.location}/confirm`)).statusCode).toBe(303);
    expect(controlsIn(t, id)).toBe(before + 3);
  });

  it('lets only the uploader see a pending import, and only seniors and above import', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${id}/controls/import`,
      'm.xlsx',
      await xlsxOf([HEADER, matrixRow('P-1')]),
    );
    const manager = await loginAs(t.app, 'manager');
    expect((await manager.get(String(res.headers.location))).statusCode).toBe(404);
    expect((await manager.post(`${res.headers.location}/confirm`)).statusCode).toBe(404);
    const staff = await loginAs(t.app, 'staff');
    expect((await staff.get(`/engagements/${id}/controls/import`)).statusCode).toBe(403);
    await staff.get(`/engagements/${id}/controls`);
    const refused = await upload(
      t.app,
      staff,
      `/engagements/${id}/controls/import`,
      'm.xlsx',
      await xlsxOf([HEADER, matrixRow('P-2')]),
    );
    expect(refused.statusCode).toBe(403);
    expect(count(t, 'SELECT count(*) AS n FROM control_imports')).toBe(1);
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get(`/engagements/${id}/controls/import`)).statusCode).toBe(404);
  });

  it('discards a pending import without writing', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${id}/controls/import`,
      'm.xlsx',
      await xlsxOf([HEADER, matrixRow('D-1')]),
    );
    await senior.get(String(res.headers.location));
    const discard = await senior.post(`${res.headers.location}/discard`);
    expect(discard.statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM control_imports')).toBe(0);
    expect(count(t, "SELECT count(*) AS n FROM controls WHERE reference = 'D-1'")).toBe(0);
  });

  it('refuses an upload without the CSRF token', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${id}/controls/import`,
      'm.xlsx',
      await xlsxOf([HEADER, matrixRow('C-1')]),
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(count(t, 'SELECT count(*) AS n FROM control_imports')).toBe(0);
  });
});

describe('files that cannot be imported', () => {
  const cases: [string, string, Buffer | string, RegExp][] = [
    ['an empty file', 'empty.xlsx', Buffer.alloc(0), /The file is empty/],
    [
      'a binary file that is not a spreadsheet',
      'logo.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      /not a spreadsheet|neither an Excel workbook/,
    ],
    [
      'Latin-1 text',
      'matrix.csv',
      Buffer.from('Ref,Description\nA,Caf\xe9\n', 'latin1'),
      /neither an Excel workbook \(.xlsx\) nor UTF-8 text/,
    ],
    [
      'an old .xls workbook',
      'matrix.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      /old Excel 97–2003 file/,
    ],
    [
      'a ZIP that is not a workbook',
      'matrix.xlsx',
      Buffer.from('PK\x03\x04this is not really a zip archive at all', 'latin1'),
      /not an Excel workbook that can be read/,
    ],
    ['a PDF', 'matrix.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), /This is a PDF/],
    ['a CSV whose cells are all empty', 'blank.csv', ',,,\n,,\n', /holds no data/],
    ['a CSV without a header row', 'nohead.csv', 'a,b,c\n1,2,3\n', /No header row found/],
  ];
  it.each(cases)('explains %s and writes nothing', async (_label, name, bytes, message) => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, name, bytes);
    const page = res.statusCode === 303 ? await senior.get(String(res.headers.location)) : res;
    expect(page.body).toMatch(message);
    if (res.statusCode !== 303) expect(res.statusCode).toBe(422);
    else expect(page.body).not.toContain('/confirm');
  });

  it('refuses a file over the size limit with the limit in the message', async () => {
    const t = await buildTestApp({ env: { TICKMARK_MAX_UPLOAD_MB: '1' } });
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const big = `${HEADER.join(',')}\n${'x,'.repeat(600_000)}\n`;
    const res = await upload(t.app, senior, `/engagements/${id}/controls/import`, 'big.csv', big);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('larger than the 1 MB limit');
    expect(count(t, 'SELECT count(*) AS n FROM control_imports')).toBe(0);
  });

  it('asks for a file when the form is posted without one', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/import`);
    const res = await senior.post(`/engagements/${id}/controls/import`, {});
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choose a file to upload.');
  });
});
