// Statistical sizing on the control's Sampling page (issue 13, item 5): ticking "statistics" or changing a field
// used to empty the page (the htmx refresh selected `main` from a fragment that has none).
import { expect, it } from 'vitest';
import { buildControl } from '../helpers/factories.js';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('statistical sizing (browser)', () => {
  it('the senior switches to statistics, sets 95% / 5% / 0%, sees 59 proposed and selects 59 items', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const controlId = buildControl({ app, config: app.config, dir: '' }, eid, {
      reference: 'OPS-STATS-01',
      frequency: 'daily',
      risk: 'lower',
    });
    await logIn(session, 'senior');
    await visit(page, `${baseUrl}/engagements/${eid}/controls/${controlId}/population`);
    await page.getByRole('button', { name: 'Generate the daily occurrences' }).click();
    await visit(page, `${baseUrl}/engagements/${eid}/controls/${controlId}/sampling`);
    const proposal = page.locator('p.proposal');
    await expect.poll(() => proposal.textContent()).toContain('Proposed size: 20');

    await page.getByLabel('statistics').check();
    // The page stays, now with the statistical fields, and says what is missing.
    await expect.poll(() => proposal.textContent()).toContain('Enter the tolerable deviation rate.');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sampling — OPS-STATS-01');
    await page.getByLabel('Confidence').selectOption('95');
    await page.getByLabel('Tolerable rate %').fill('5');
    await page.getByLabel('Tolerable rate %').press('Tab');
    await expect.poll(() => page.getByLabel('Tolerable rate %').inputValue()).toBe('5');
    await page.getByLabel('Expected rate %').fill('0');
    await page.getByLabel('Expected rate %').press('Tab');
    await expect.poll(() => proposal.textContent()).toContain('Proposed size: 59');
    expect(await proposal.textContent()).toContain('confidence, tolerable deviation rate 5%, expected rate 0%');
    expect(page.url()).toContain('tolerableRate=5');
    await expectAccessible(page);

    await page.getByLabel('Seed').fill('59059');
    await page.getByRole('button', { name: 'Freeze the population and select' }).click();
    await page.waitForURL(/\/samples\/\d+$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Selection of 59 items from /);
  });
});
