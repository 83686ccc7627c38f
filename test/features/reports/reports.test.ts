import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { zipEntries } from './zip-text.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CC14_RESULT =
  "Exception noted. For 1 of 41 new hires sampled, the background check was completed after the employee's start date.";
const NO_OPINION_NOTE =
  "The service auditor performed no procedures on management's responses and, accordingly, expresses no opinion on them.";
const CC71_RESULT = 'Exception noted. For 1 of 3 months sampled, the monthly vulnerability review was not performed.';

/** Text of a Word XML part with tags dropped and the XML entities Word writes read back. */
const plain = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, '')
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

async function demo(who: 'senior' | 'staff' = 'senior') {
  const t = await buildTestApp();
  return { t, client: await loginAs(t.app, who), base: `/engagements/${demoEngagementId(t)}/reports` };
}

function expectDownload(
  res: { statusCode: number; headers: Record<string, unknown> },
  type: string,
  name: RegExp,
): void {
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(type);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(String(res.headers['content-disposition'])).toMatch(/^attachment; /);
  expect(String(res.headers['content-disposition'])).toMatch(name);
}

describe('Section IV in Word', () => {
  it('is a landscape document with a table per criterion whose header row repeats, in named styles', async () => {
    const { client, base } = await demo('staff');
    const res = await client.get(`${base}/section-iv.docx`);
    expectDownload(res, DOCX, /filename\*=UTF-8''Nimbus-Ledger-Inc-Section-IV-2025-12-31\.docx$/);
    const parts = await zipEntries(res.rawPayload, ['word/document.xml', 'word/styles.xml']);
    const doc = parts['word/document.xml']!;
    expect(doc).toContain('w:orient="landscape"');
    const tables = doc.split('<w:tbl>').slice(1);
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const [first, second] = table.split('<w:tr>').slice(1);
      expect(first).toContain('<w:tblHeader/>');
      expect(second ?? '').not.toContain('w:tblHeader');
    }
    const text = plain(doc);
    for (const expected of [
      'Section IV: Description of tests of controls and results',
      'CC1.4: Competent personnel',
      'CC7.1: ',
      'CC1.4-01',
      'CC7.1-01',
      CC14_RESULT,
      CC71_RESULT,
      'a sample of 41 of 124 new hires',
      'Tests performed by the service auditor',
      'Complementary user entity controls',
      'CUEC-01',
      'Stratus Cloud Services',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain("Management's response: Management agrees. A deputy reviewer has been named");
    expect(text).toContain(
      `Management's responses to exceptions are provided by Nimbus Ledger, Inc. and are presented for information only. ${NO_OPINION_NOTE}`,
    );
    expect(doc).toContain('<w:pStyle w:val="TableText"/>');
    expect(doc).not.toMatch(/<w:rFonts /);
    const styles = parts['word/styles.xml']!;
    for (const name of ['Heading 1', 'Heading 2', 'Table text', 'Table heading'])
      expect(styles).toContain(`<w:name w:val="${name}"/>`);
  });
});

describe('Section IV in Excel', () => {
  it('has a sheet per section with a bold, frozen, filtered header row', async () => {
    const { client, base } = await demo();
    const res = await client.get(`${base}/section-iv.xlsx`);
    expectDownload(res, XLSX, /Section-IV-2025-12-31\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Section IV tests', 'Introduction', 'CUECs', 'CSOCs']);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    const tests = workbook.getWorksheet('Section IV tests')!;
    expect((tests.getRow(1).values as string[]).slice(1, 7)).toEqual([
      'Criterion',
      'Criterion title',
      'Control number',
      'Control activity specified by Nimbus Ledger, Inc.',
      'Tests performed by the service auditor',
      'Results of tests',
    ]);
    const rows = tests.getSheetValues().slice(2) as string[][];
    const cc71 = rows.find((r) => r[3] === 'CC7.1-01')!;
    expect(cc71[1]).toBe('CC7.1');
    expect(cc71[6]).toBe(CC71_RESULT);
    expect(cc71[7]).toContain('A deputy reviewer has been named');
    expect(tests.getCell(1, 7).note).toContain(NO_OPINION_NOTE);
    expect(rows.find((r) => r[3] === 'CC1.4-01')![6]).toBe(CC14_RESULT);
    const csocs = workbook.getWorksheet('CSOCs')!;
    expect(csocs.getRow(1).getCell(1).value).toBe('Subservice organization');
    expect(
      csocs
        .getSheetValues()
        .slice(2)
        .map((r) => (r as string[])[2]),
    ).toEqual(['CSOC-03', 'CSOC-01', 'CSOC-02']);
  });
});

describe('printable Section IV and the reports page', () => {
  it('shows the tables with repeating headers and links the four outputs', async () => {
    const { client, base } = await demo();
    const page = await client.get(`${base}/section-iv`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<thead><tr><th scope="col">Control number</th>');
    expect(page.body).toContain('CC7.1-01');
    expect(page.body).toContain('For 1 of 3 months sampled, the monthly vulnerability review was not performed.');
    expect(page.body).toMatch(
      /<p class="report-note" id="management-responses-note">Management&#39;s responses to exceptions are provided by Nimbus Ledger, Inc\. .*expresses no opinion on them\.<\/p>/,
    );
    const index = await client.get(base);
    expect(index.statusCode).toBe(200);
    for (const href of ['section-iv', 'section-iv.docx', 'section-iv.xlsx', 'section-i.docx'])
      expect(index.body).toContain(`href="${base}/${href}"`);
    expect(index.body).toContain(`href="${base}" aria-current="page">Reports</a>`);
  });
});

describe('Section I draft', () => {
  it('words the proposed qualified opinion with its basis until the partner approves', async () => {
    const { client, base } = await demo();
    const res = await client.get(`${base}/section-i.docx`);
    expectDownload(res, DOCX, /Section-I-draft-2025-12-31\.docx$/);
    const text = plain((await zipEntries(res.rawPayload, ['word/document.xml']))['word/document.xml']!);
    expect(text).toContain(
      'Opinion: Qualified (not ready: matters are still open, so this is worded on what is concluded so far)',
    );
    expect(text).toContain('Basis for Qualified Opinion');
    expect(text).toContain('Control CC7.1-01 did not operate effectively.');
    expect(text).toContain(
      'In our opinion, except for the matter described in the Basis for Qualified Opinion paragraph',
    );
    expect(text).toContain('January 1, 2025 to December 31, 2025');
  });

  it('uses the type the partner approved once there is one', async () => {
    const { t, client, base } = await demo();
    // Recorded directly: the approval flow itself is the opinion feature's to test.
    t.app.conn.sqlite
      .prepare(
        "INSERT INTO opinion_decisions (engagement_id, approved_type, proposed_type, approved_at, updated_at) VALUES (?, 'adverse', 'qualified', ?, ?) ON CONFLICT(engagement_id) DO UPDATE SET approved_type = 'adverse'",
      )
      .run(demoEngagementId(t), new Date().toISOString(), new Date().toISOString());
    const res = await client.get(`${base}/section-i.docx`);
    const text = plain((await zipEntries(res.rawPayload, ['word/document.xml']))['word/document.xml']!);
    expect(text).toContain('Opinion: Adverse (approved by the engagement partner)');
    expect(text).toContain('Basis for Adverse Opinion');
    expect(text).toContain(
      'In our opinion, because of the significance of the matter described in the Basis for Adverse Opinion paragraph',
    );
  });
});

describe('access', () => {
  it('answers 404 on every report to a user who is not on the team', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const base = `/engagements/${demoEngagementId(t)}/reports`;
    for (const path of ['', '/section-iv', '/section-iv.docx', '/section-iv.xlsx', '/section-i.docx']) {
      const res = await admin.get(`${base}${path}`);
      expect([path, res.statusCode]).toEqual([path, 404]);
      expect(res.body).not.toContain('Nimbus');
    }
  });
});
