import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('firm methodology (browser)', () => {
  it('the administrator changes the firm’s sample sizes and pro rata; the engagement opened before keeps its own', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const eid = session.demoEngagementId;
    await logIn(session, 'admin');
    await visit(page, `${baseUrl}/engagements`);
    await page.getByRole('link', { name: 'Methodology' }).click();
    await page.waitForURL(/\/admin\/methodology$/);
    await expectAccessible(page);
    expect(await page.getByText('Not saved yet').count()).toBe(1);
    await page.getByLabel('Daily, higher risk').fill('45');
    await page.getByLabel('Pro rata', { exact: false }).check();
    await page.getByRole('button', { name: 'Save the methodology' }).click();
    await page.waitForURL(/\/admin\/methodology$/);
    await expectAccessible(page);
    expect(await page.getByRole('status').textContent()).toContain(
      'Methodology saved (all 25 settings recorded for the first time)',
    );
    expect(await page.getByLabel('Daily, higher risk').inputValue()).toBe('45');
    await page.getByLabel('Assembly: days after the report date').fill('45');
    await page.getByRole('button', { name: 'Save the methodology' }).click();
    await page.waitForURL(/\/admin\/methodology$/);
    expect(await page.getByRole('status').textContent()).toContain('Methodology saved (1 setting changed)');

    // A mistake is refused beside its field, and what was typed stays.
    await page.getByLabel('Weekly, lower risk').fill('ten');
    await page.getByRole('button', { name: 'Save the methodology' }).click();
    await page.waitForSelector('[aria-invalid="true"]');
    await expectAccessible(page);
    expect(await page.getByText('Weekly, lower risk: enter a whole number.').count()).toBe(1);
    expect(await page.getByLabel('Weekly, lower risk').inputValue()).toBe('ten');
    await page.getByRole('button', { name: 'Log out' }).click();

    await logIn(session, 'manager');
    await visit(page, `${baseUrl}/engagements/${eid}`);
    await expectAccessible(page);
    const methodology = page.locator('#methodology');
    expect(await methodology.textContent()).toContain('Methodology: Tickmark’s defaults');
    expect(await methodology.getByRole('row', { name: /Daily/ }).textContent()).toBe('Daily2040');
    expect(await methodology.textContent()).toContain('Off: the table size holds for any period.');
  });
});
