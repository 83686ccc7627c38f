// The engagement's standard decides the words (#11 item 6): the demo's ISAE 3402 engagement reads ISAE words in
// British spelling on its opinion page, Section I and Section IV (HTML and Word); the SOC 2 demo keeps the
// AICPA's. What is checked is the text a reader sees (tags and URLs stripped: routes keep their /assertion path).
import { describe, expect, it } from 'vitest';
import { ISAE_CLIENT } from '../../../src/features/demo/isae-engagement.js';
import { americanSpellings } from '../../../src/domain/vocabulary.js';
import { archiveIndexHtml } from '../../../src/features/archive/archive-index.js';
import { getEngagement, type EngagementRow } from '../../../src/core/engagement/queries.js';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { zipEntries } from './zip-text.js';

const decoded = (s: string) =>
  s
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The page's main content as text: the layout (navigation, other engagements' names) is not the engagement's words. */
const mainText = (html: string) =>
  decoded((/<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const docxText = async (payload: Buffer) =>
  decoded((await zipEntries(payload, ['word/document.xml']))['word/document.xml']!.replace(/<[^>]+>/g, ' ')).replace(
    /\s+/g,
    ' ',
  );

async function texts(t: TestApp, eid: number): Promise<Record<string, string>> {
  const client = await loginAs(t.app, 'senior');
  const base = `/engagements/${eid}`;
  const get = async (url: string) => {
    const res = await client.get(url);
    expect(res.statusCode, url).toBe(200);
    return res;
  };
  return {
    'opinion page': mainText((await get(`${base}/opinion`)).body),
    'Section I (Word)': await docxText((await get(`${base}/reports/section-i.docx`)).rawPayload),
    'Section IV (HTML)': mainText((await get(`${base}/reports/section-iv`)).body),
    'Section IV (Word)': await docxText((await get(`${base}/reports/section-iv.docx`)).rawPayload),
  };
}

describe('the words of the engagement’s standard', () => {
  it('gives the ISAE 3402 demo ISAE words in British spelling on its opinion page, Section I and Section IV', async () => {
    const t = await buildTestApp();
    const { id } = t.app.conn.sqlite.prepare('SELECT id FROM engagements WHERE client_name = ?').get(ISAE_CLIENT) as {
      id: number;
    };
    const all = await texts(t, id);
    for (const [where, text] of Object.entries(all)) {
      expect(text, where).toContain(ISAE_CLIENT);
      for (const word of ['organization', 'assertion', 'authorized', 'Type II'])
        expect(text, `${where} says "${word}"`).not.toMatch(new RegExp(word, 'i'));
      expect(americanSpellings(text), where).toEqual([]);
    }
    expect(all['opinion page']).toContain('Service organisation’s statement');
    expect(all['opinion page']).toContain('Type 2');
    expect(all['Section I (Word)']).toContain("Section I: Independent service auditor's assurance report");
    expect(all['Section I (Word)']).toContain(`${ISAE_CLIENT}'s statement`);
    expect(all['Section IV (HTML)']).toContain('International Standard on Assurance Engagements (ISAE) 3402');
  });

  it('keeps the AICPA words for the SOC 2 demo: no "organisation" or "statement" in the same places', async () => {
    const t = await buildTestApp();
    const all = await texts(t, demoEngagementId(t));
    for (const [where, text] of Object.entries(all)) {
      expect(text, where).toContain('Nimbus Ledger');
      for (const word of ['organisation', 'statement'])
        expect(text, `${where} says "${word}"`).not.toMatch(new RegExp(word, 'i'));
    }
    expect(all['opinion page']).toContain('Management’s assertion');
    expect(all['opinion page']).toContain('Type II');
    expect(all['Section I (Word)']).toContain("Section I: Independent service auditor's report");
  });

  it('gives the ISAE engagement’s own screens ISAE words too: overview, dashboard, coverage, objectives, complementary controls, the statement', async () => {
    const t = await buildTestApp();
    const { id } = t.app.conn.sqlite.prepare('SELECT id FROM engagements WHERE client_name = ?').get(ISAE_CLIENT) as {
      id: number;
    };
    const client = await loginAs(t.app, 'manager');
    const pages = ['', '/dashboard', '/coverage', '/objectives', '/complementary-controls', '/assertion', '/edit'];
    for (const page of pages) {
      const res = await client.get(`/engagements/${id}${page}`);
      expect(res.statusCode, page).toBe(200);
      const text = mainText(res.body);
      for (const word of ['organization', 'assertion', 'Type II'])
        expect(text, `${page || 'overview'} says "${word}"`).not.toMatch(new RegExp(word, 'i'));
    }
    expect(mainText((await client.get(`/engagements/${id}/complementary-controls`)).body)).toContain(
      'Complementary subservice organisation controls',
    );
  });

  it('names the service organisation, the report type and the statement in the ISAE archive’s index.html', async () => {
    const t = await buildTestApp();
    const row = (client: string) =>
      t.app.conn.sqlite.prepare('SELECT id FROM engagements WHERE client_name = ?').get(client) as { id: number };
    const indexOf = (id: number) => {
      const engagement = getEngagement(t.app.conn.db, id) as EngagementRow;
      const facts = {
        engagement,
        opinion: 'Qualified',
        exportedAt: '2026-01-31',
        exportedBy: 'm@example.test',
        fingerprint: 'ab',
        appVersion: '0',
      };
      return mainText(
        archiveIndexHtml(facts, [{ name: 'assertion/statement.pdf', title: 'Signed', size: 1 }]).toString('utf8'),
      );
    };
    const isae = indexOf(row(ISAE_CLIENT).id);
    expect(isae).toContain('Service organisation');
    expect(isae).toContain('ISAE 3402, Type 2');
    expect(isae).toContain('Service organisation’s statement');
    // The archive's folder names (assertion/…) are its format, read by the import: only the words are checked.
    const words = isae.replace(/\bassertion\/\S*/g, '');
    for (const word of ['organization', 'assertion', 'Type II']) expect(words).not.toMatch(new RegExp(word, 'i'));
    const soc = indexOf(demoEngagementId(t));
    expect(soc).toContain('Service organization');
    expect(soc).toContain('Management’s assertion');
  });
});
