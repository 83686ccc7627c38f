import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { zipEntries } from '../features/reports/zip-text.js';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('reports (browser)', () => {
  it('the senior opens the reports page and downloads a Section IV that holds the tests and results', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const eid = session.demoEngagementId;
    await logIn(session, 'senior');
    await visit(page, `${baseUrl}/engagements/${eid}`);
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.waitForURL(/\/reports$/);
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Section IV (Word)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Nimbus-Ledger-Inc-Section-IV-2025-12-31.docx');
    const file = await download.path();
    const xml = (await zipEntries(readFileSync(file), ['word/document.xml']))['word/document.xml']!;
    const text = xml.replace(/<[^>]+>/g, '').replace(/&apos;/g, "'");
    expect(xml).toContain('<w:tblHeader/>');
    expect(text).toContain('CC7.1-01');
    expect(text).toContain(
      'Exception noted. For 1 of 3 months sampled, the monthly vulnerability review was not performed.',
    );
    expect(text).toContain('a sample of 41 of 124 new hires');

    await page.getByRole('link', { name: 'Section IV: tests of controls and results' }).click();
    await page.waitForURL(/\/reports\/section-iv$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 2, name: /^CC7\.1:/ }).count()).toBe(1);
  });
});
