import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { sampledControl } from '../helpers/workpaper-fixture.js';
import { describeBrowser, expectAccessible, logIn, startSession } from './helpers.js';

/** Waits until no mark is still on its way and the evaluation has caught up with the last one. */
async function settle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#grid .state-saving').count()).toBe(0);
  await page.waitForLoadState('networkidle');
}

async function passColumns(page: Page): Promise<void> {
  for (const letter of ['A', 'B', 'C']) {
    await page.getByLabel(/Pass the blank cells.* of attribute/).selectOption(letter);
    await page.getByRole('button', { name: 'Pass column' }).click();
    await page.waitForLoadState('networkidle');
  }
}

describeBrowser('an item that is not an occurrence (browser)', () => {
  it('the staff member marks an item N/A on every attribute, draws its replacement, tests it and concludes on 25 items', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const fx = await sampledControl(app.conn, app.config.dataDir, eid, {
      reference: 'CC8.1-93',
      rows: 400,
      size: 25,
      seed: '11',
    });
    const first = app.conn.sqlite
      .prepare(
        'SELECT si.id, pi.key FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence LIMIT 1',
      )
      .get(fx.sampleId) as { id: number; key: string };

    await logIn(session, 'staff');
    await page.goto(`${baseUrl}${fx.url}`);
    // The first change was a duplicate ticket: not applicable on A, B and C, each with its reason.
    await page.locator(`#cell-${first.id}-A`).focus();
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('n');
      await page.getByRole('dialog').waitFor();
      await page.getByLabel(/Why is attribute [ABC] not applicable/).fill('Duplicate ticket: no change was deployed.');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    }
    await settle(page);
    await passColumns(page);

    // Not a test: the proposal asks for a replacement, and "prepared" is refused with the count.
    await page.locator('#proposal').filter({ hasText: 'Replace the items that are not occurrences' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Mark as prepared' }).click();
    await page.locator('#missing').filter({ hasText: '1 item is not applicable on every attribute' }).waitFor();

    await page.getByRole('button', { name: 'Draw replacements (1)' }).click();
    await page.waitForURL(/#cell-\d+-A$/);
    await expectAccessible(page);
    expect(await page.locator('.flash').textContent()).toContain(`A replacement was drawn for ${first.key}`);
    expect(await page.locator('#grid tbody tr').count()).toBe(26);
    expect(await page.locator('#grid tbody tr.replacement').textContent()).toContain(`Replacement for ${first.key}`);
    expect(await page.locator('#grid tbody tr.replaced').textContent()).toContain('not an occurrence');
    await passColumns(page);
    await settle(page);

    await page.locator('#proposal').filter({ hasText: 'No exceptions noted' }).waitFor();
    await page.getByRole('button', { name: 'Accept the proposal: No exceptions noted' }).click();
    await page.locator('#current-conclusion').waitFor();
    await page.getByRole('button', { name: 'Mark as prepared' }).click();
    await page.waitForURL(/#evaluation$/);
    expect(await page.locator('.flash').textContent()).toContain('Workpaper marked as prepared.');

    await page.goto(`${baseUrl}${fx.url}/print`);
    await expectAccessible(page);
    expect(await page.locator('body').textContent()).toContain(`Replacement for ${first.key}`);
  }, 180_000);
});
