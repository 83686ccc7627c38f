// Section IV accounts for every criterion in scope (#11 item 7): its controls, or carved out, or not applicable
// with the reason, in criteria order, the same in HTML, Word and Excel; Type I has no tests or results columns.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { zipEntries } from './zip-text.js';
import { DEMO_NOT_APPLICABLE } from '../../../src/features/demo/not-applicable.js';

const plain = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, ' ')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const CARVED = "Addressed by the subservice organization's controls (carved out)";
const NA = `Not applicable: ${DEMO_NOT_APPLICABLE.reason}`;

/** The demo as seeded: CC6.4 left to Stratus's CSOC alone and CC6.5 marked not applicable. */
async function demoWithCoverage(changes: (t: TestApp, eid: number) => void = () => {}) {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  changes(t, eid);
  return { t, eid, client: await loginAs(t.app, 'senior'), base: `/engagements/${eid}/reports` };
}

function inOrder(text: string, parts: string[]): void {
  let at = -1;
  for (const part of parts) {
    const next = text.indexOf(part, at + 1);
    expect(next, `${part} after position ${at}`).toBeGreaterThan(at);
    at = next;
  }
}

describe('Section IV accounts for every criterion in scope', () => {
  it('states the carved-out and not-applicable criteria in criteria order, in HTML, Word and Excel', async () => {
    const { client, base } = await demoWithCoverage();
    const html = plain((await client.get(`${base}/section-iv`)).body);
    inOrder(html, [
      'Introduction',
      'CC6.3: ',
      'CC6.4: Physical access',
      CARVED,
      'CC6.5: Disposal of assets',
      NA,
      'CC6.6: ',
      'A1.3: ',
    ]);
    const docx = await zipEntries((await client.get(`${base}/section-iv.docx`)).rawPayload, ['word/document.xml']);
    inOrder(plain(docx['word/document.xml']!), [
      'Introduction',
      'Inquiry: ',
      'information produced by the service organization',
      'CC6.4: Physical access',
      CARVED,
      'CC6.5: Disposal of assets',
      NA,
      'CC6.6: ',
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await client.get(`${base}/section-iv.xlsx`)).rawPayload as unknown as ArrayBuffer);
    const rows = workbook.getWorksheet('Section IV tests')!.getSheetValues().slice(2) as string[][];
    expect(rows.find((r) => r[1] === 'CC6.4')![4]).toContain(CARVED);
    expect(rows.find((r) => r[1] === 'CC6.5')![4]).toBe(NA);
    const refs = [...new Set(rows.map((r) => r[1]))];
    expect(refs.indexOf('CC6.4')).toBeLessThan(refs.indexOf('CC6.5'));
    expect(refs).toContain('A1.3');
  });

  it('shows the carved-out criterion as such on the dashboard, not as "no controls"', async () => {
    const { client, eid } = await demoWithCoverage();
    const page = await client.get(`/engagements/${eid}/dashboard`);
    const cc64 = page.body.match(/<li class="[^"]*">[\s\S]*?CC6\.4[\s\S]*?<\/li>/)![0];
    expect(cc64).toContain('addressed by the subservice organization&#39;s controls (carved out)');
    expect(cc64).not.toMatch(/no controls|no-controls/);
    expect(page.body.match(/<li class="[^"]*">[\s\S]*?CC6\.5[\s\S]*?<\/li>/)![0]).toContain('not applicable');
  });

  it('describes a Type I engagement’s controls without tests or results columns', async () => {
    const { client, base } = await demoWithCoverage((t, eid) =>
      t.app.conn.sqlite.prepare("UPDATE engagements SET report_type = 'type1' WHERE id = ?").run(eid),
    );
    const html = (await client.get(`${base}/section-iv`)).body;
    expect(html).not.toContain('Tests performed by the service auditor');
    expect(html).not.toContain('Results of tests');
    expect(html).toContain('we performed no tests of the operating effectiveness');
    const docx = plain(
      (await zipEntries((await client.get(`${base}/section-iv.docx`)).rawPayload, ['word/document.xml']))[
        'word/document.xml'
      ]!,
    );
    expect(docx).not.toContain('Results of tests');
    expect(docx).not.toContain('Exception noted');
  });

  it('speaks ISAE in British spelling for an ISAE engagement', async () => {
    const { client, base } = await demoWithCoverage((t, eid) =>
      t.app.conn.sqlite.prepare("UPDATE engagements SET framework = 'isae3000' WHERE id = ?").run(eid),
    );
    const html = plain((await client.get(`${base}/section-iv`)).body);
    expect(html).toContain('International Standard on Assurance Engagements (ISAE) 3000');
    expect(html).toContain("Addressed by the subservice organisation's controls");
  });
});
