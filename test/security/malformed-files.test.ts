// Every spreadsheet import the app offers, fed files that are not what they claim: each gets a clear message
// and nothing changes.
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../helpers/app.js';
import { upload } from '../helpers/multipart.js';

async function zipBomb(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '[Content_Types].xml',
  );
  zip.addBuffer(Buffer.alloc(64 * 2 ** 20, 0x20), 'xl/worksheets/sheet1.xml');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (let i = 0; i < 200; i++)
    ws.addRow([`KEY-${i}`, '2025-05-05', `Row ${i} with some text to make the file longer`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function snapshot(t: TestApp): string {
  const tables = ['audit_entries', 'populations', 'population_items', 'controls', 'pbc_requests'];
  return tables
    .map((name) => (t.app.conn.sqlite.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n)
    .join(',');
}

describe('malformed files on every spreadsheet import', () => {
  it('are refused with a clear message and change nothing', async () => {
    const t = await buildTestApp({ env: { TICKMARK_MAX_UPLOAD_MB: '2' } });
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const control = (
      t.app.conn.sqlite.prepare("SELECT id FROM controls WHERE reference = 'CC6.2-01'").get() as { id: number }
    ).id;
    const pages = [
      `/engagements/${eid}/controls/${control}/population`,
      `/engagements/${eid}/controls/import`,
      `/engagements/${eid}/pbc`,
    ];
    const forms: string[] = [];
    for (const page of pages) {
      const html = (await senior.get(page)).body;
      for (const m of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*enctype="multipart\/form-data"/g))
        forms.push(m[1]!.replace(/&amp;/g, '&'));
    }
    expect(forms.length).toBeGreaterThanOrEqual(3);
    const good = await workbook();
    const files: [string, Buffer, RegExp][] = [
      [
        'truncated.xlsx',
        good.subarray(0, Math.floor(good.length / 2)),
        /damaged|incomplete|could not be read|not an Excel workbook/i,
      ],
      ['bomb.xlsx', await zipBomb(), /zip bomb|expands to far more/i],
      ['latin1.csv', Buffer.from('Clé,Date\nA-1,2025-01-05\n', 'latin1'), /UTF-8/],
      [
        'junk.csv',
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
        /not a spreadsheet|neither|binary|UTF-8/i,
      ],
      ['empty.csv', Buffer.alloc(0), /empty/i],
      ['huge.csv', Buffer.from('a,b\n'.repeat(800_000)), /larger than the|too large/i],
    ];
    let tried = 0;
    for (const action of forms) {
      for (const [name, content, message] of files) {
        const before = snapshot(t);
        await senior.get(pages.find((p) => action.startsWith(p.split('/controls/')[0]!)) ?? pages[0]!);
        const res = await upload(t.app, senior, action, { window: '0' }, { name, content });
        tried++;
        expect([action, name, res.statusCode >= 400 && res.statusCode < 500]).toEqual([action, name, true]);
        expect(res.body, `${action} ${name}`).toMatch(message);
        expect(snapshot(t), `${action} ${name}`).toBe(before);
      }
    }
    console.log(`malformed files: ${tried} uploads refused across ${forms.length} imports`);
  });
});
