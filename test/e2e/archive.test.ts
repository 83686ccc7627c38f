import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('engagement archive (browser)', () => {
  it('the manager downloads the archive, the administrator imports it, the partner opens the imported engagement', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    await logIn(session, 'manager');
    await visit(page, `${baseUrl}/engagements/${eid}`);
    expect(await page.getByText('Assembly deadline').count()).toBe(1);
    await page.getByRole('link', { name: 'Archive & export' }).click();
    await page.waitForURL(/\/archive$/);
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download archive (ZIP)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('nimbus-ledger-inc-2025-archive.zip');
    const file = await download.path();
    await page.getByRole('button', { name: 'Log out' }).click();

    await logIn(session, 'admin');
    await visit(page, `${baseUrl}/engagements`);
    await page.getByRole('link', { name: 'Import an archive' }).click();
    await page.waitForURL(/\/engagements\/import$/);
    await expectAccessible(page);
    await page.getByLabel('Engagement archive (.zip)').setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/engagements$/);
    await expectAccessible(page);
    expect(await page.getByRole('status').textContent()).toContain('Imported Nimbus Ledger, Inc.');
    await page.getByRole('button', { name: 'Log out' }).click();

    await logIn(session, 'partner');
    const imported = (app.conn.sqlite.prepare('SELECT max(id) AS id FROM engagements').get() as { id: number }).id;
    expect(imported).not.toBe(eid);
    await visit(page, `${baseUrl}/engagements/${imported}/archive`);
    expect(await page.getByRole('heading', { name: 'Imported history' }).count()).toBe(1);
    await page.goto(`${baseUrl}/engagements/${imported}/controls`);
    expect(await page.getByText('CC8.1-01').count()).toBeGreaterThan(0);
  });
});
