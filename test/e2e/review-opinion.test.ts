import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';
import { completeFieldwork } from '../helpers/factories.js';

describeBrowser('review and opinion (browser)', () => {
  it('the partner sees the qualified proposal, clears the last review note, approves, and the engagement becomes read-only', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const eid = session.demoEngagementId;
    // The demo is seeded mid-fieldwork: the rest of the testing and its review is done, the last note is not.
    completeFieldwork(session, eid);
    await logIn(session, 'partner');
    await visit(page, `${baseUrl}/engagements/${eid}/opinion`);
    expect(await page.locator('.proposal-card h2').textContent()).toContain('Qualified');
    const failedRow = page.getByRole('row', { name: /CC7\.1 .*Not achieved/ });
    expect(await failedRow.textContent()).toContain('CC7.1-01');
    expect(await page.locator('.draft').nth(1).textContent()).toContain('CC7.1');
    expect(await page.locator('.blockers').textContent()).toContain('1 review note is still open');

    await page.getByRole('link', { name: 'Review notes', exact: true }).click();
    await page.waitForURL(/review-notes/);
    await expectAccessible(page);
    await page
      .getByRole('row', { name: /CC1\.4-01/ })
      .getByRole('link', { name: 'Open' })
      .click();
    await page.waitForURL(/\/review/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Clear the note' }).click();
    await page.waitForURL(/\/review/);
    expect(await page.locator('.flash').textContent()).toContain('Review note cleared.');

    await visit(page, `${baseUrl}/engagements/${eid}/opinion`);
    expect(await page.locator('.blockers').count()).toBe(0);
    await page.getByRole('button', { name: 'Approve the opinion and lock the engagement' }).click();
    await page.waitForURL(/\/opinion$/);
    await expectAccessible(page);
    expect(await page.locator('.notice').first().textContent()).toContain('Approved as Qualified');

    // Every write is now refused with a clear message.
    await visit(page, `${baseUrl}/engagements/${eid}`);
    await page.getByLabel('Name').fill('Late addition');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Engagement locked');
    await expectAccessible(page);
    expect(await page.locator('main').textContent()).toContain('unlock it, with a reason');
  });
});
