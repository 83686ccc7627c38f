import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('foundation (browser)', () => {
  it('the demo senior logs in and opens the demo engagement', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    await logIn(session, 'senior');
    await expect.poll(() => page.getByRole('heading', { name: 'Your engagements' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Nimbus Ledger, Inc.' }).first().click();
    await page.waitForURL(/\/engagements\/\d+$/);
    await expectAccessible(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Nimbus Ledger, Inc.');
    expect(await page.locator('.who').textContent()).toContain('Senior');
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.waitForURL(/\/team$/);
    await expectAccessible(page);
    expect(await page.locator('table.data').textContent()).toContain('Robert Chen');
    await visit(page, `${baseUrl}/no-such-page`);
  });

  it('a user not on the team gets the 404 page for the engagement', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const id = session.demoEngagementId;
    await logIn(session, 'admin');
    const response = await page.goto(`${baseUrl}/engagements/${id}`);
    expect(response?.status()).toBe(404);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(await page.content()).not.toContain('Nimbus');
    await visit(page, `${baseUrl}/admin/users`);
  });
});
