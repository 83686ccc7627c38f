import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { textPdf } from '../../src/features/demo/evidence-files.js';
import { sampledControl } from '../helpers/workpaper-fixture.js';
import { describeBrowser, expectAccessible, logIn, startSession } from './helpers.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Presses a key on the focused cell `times` times (P moves on to the next cell by itself). */
async function press(page: Page, key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Waits until no mark is still on its way and the evaluation has caught up with the last one. */
async function settle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#grid .state-saving').count()).toBe(0);
  await page.waitForLoadState('networkidle');
}

const focusedCell = async (page: Page) => (await page.locator(':focus').getAttribute('id')) ?? '';

describeBrowser('testing workpaper (browser)', () => {
  it('the demo staff member tests a 25-item sample from the keyboard, with evidence and an exception, and concludes', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const fx = await sampledControl(app.conn, app.config.dataDir, eid, {
      reference: 'CC8.1-90',
      rows: 400,
      size: 25,
      seed: '7',
    });
    const items = (
      app.conn.sqlite.prepare('SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence').all(fx.sampleId) as {
        id: number;
      }[]
    ).map((r) => r.id);

    await logIn(session, 'staff');
    await page.goto(`${baseUrl}/engagements/${eid}/controls/${fx.controlId}`);
    await page.getByRole('link', { name: 'Workpaper' }).click();
    await page.waitForURL(/\/workpaper$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Workpaper — CC8.1-90');

    // Items 1–6 pass; item 4's attribute C is not applicable (the reason asked for in a dialog, not a prompt).
    await page.locator(`#cell-${items[0]}-A`).focus();
    await press(page, 'p', 11);
    await press(page, 'n');
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page);
    await page.getByLabel(/Why is attribute C not applicable/).fill('Standard change: no emergency approval needed.');
    await page.keyboard.press('Enter');
    expect(await focusedCell(page)).toBe(`cell-${items[4]}-A`);
    await press(page, 'p', 6);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedCell(page)).toBe(`cell-${items[6]}-A`);
    await press(page, 'p');

    // Item 7, attribute B: an exception, whose record opens at once.
    await press(page, 'x');
    await page.waitForURL(/\/exceptions\/B$/);
    await expectAccessible(page);
    await page.getByLabel('What happened').fill('the change was deployed before it was approved');
    await page.getByLabel('Cause').fill('The approver was on leave; the developer deployed with a verbal approval.');
    await page.getByLabel('Isolated', { exact: true }).check();
    await page
      .getByLabel('Management’s response')
      .fill('Management agrees. Branch protection now blocks deployment until the pull request is approved.');
    await page.getByLabel('Resolved').check();
    await page.getByRole('button', { name: 'Save the exception record' }).click();
    await page.waitForURL(new RegExp(`workpaper/${fx.populationId}\\?item=${items[6]}#cell-${items[6]}-B$`));
    await expectAccessible(page);
    expect(await focusedCell(page)).toBe(`cell-${items[6]}-B`);

    // Enter opens the item: evidence and a note, then back to the grid.
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`items/${items[6]}$`));
    await expectAccessible(page);
    dir = mkdtempSync(path.join(tmpdir(), 'tickmark-evidence-'));
    const file = path.join(dir, 'deployment-log.pdf');
    writeFileSync(file, textPdf(['Deployment log: deployed 10:42, approved 15:03']));
    await page.getByLabel(/^Add a file/).setInputFiles(file);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/#evidence$/);
    await expectAccessible(page);
    expect(await page.locator('#evidence').textContent()).toContain('deployment-log.pdf');
    await page.getByLabel(/^Evidence reference/).fill('GitHub deployment 8812, PR #4411');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.waitForURL(new RegExp(`#cell-${items[6]}-A$`));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await press(page, 'p', 25 * 3 - 20); // 20 cells marked above
    await settle(page);
    expect(await page.locator('#grid .is-blank').count()).toBe(0);

    // One deviation in 25: the evaluation asks for the extension to 41, drawn by the sampling service.
    await page.locator('#proposal').filter({ hasText: 'Extend the sample' }).waitFor();
    await page.getByRole('button', { name: 'Draw the extension (16 more items)' }).click();
    await page.waitForURL(/#cell-\d+-A$/);
    await expectAccessible(page);
    expect(await page.locator('#grid tbody tr').count()).toBe(41);
    await press(page, 'p', 16 * 3);
    await settle(page);
    await page.locator('#proposal').filter({ hasText: 'Exceptions noted, operated effectively' }).waitFor();

    // Finish: the wording names the items, the proposal is accepted, the workpaper prepared.
    await page.getByLabel(/The sampled items are called/).fill('changes');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await page.locator('#conclusion .saved').waitFor();
    await page.getByRole('button', { name: 'Accept the proposal: Exceptions noted, operated effectively' }).click();
    await page.locator('#current-conclusion').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Mark as prepared' }).click();
    await page.waitForURL(/#evaluation$/);
    await expectAccessible(page);
    expect(await page.locator('.flash').textContent()).toContain('Workpaper marked as prepared.');
    expect(await page.locator('#current-conclusion strong').textContent()).toBe(
      'Exceptions noted, operated effectively',
    );
    expect(await page.locator('#result-sentence').textContent()).toBe(
      'Exception noted. For 1 of 41 changes sampled, the change was deployed before it was approved.',
    );
    expect(await page.locator('.subtitle .status').first().textContent()).toBe('Prepared');

    await page.getByRole('link', { name: 'Exceptions', exact: true }).click();
    await page.waitForURL(/\/exceptions$/);
    await expectAccessible(page);
    expect(await page.getByRole('row', { name: /CC8\.1-90/ }).textContent()).toContain(
      'Branch protection now blocks deployment',
    );
  }, 180_000);

  it('a mark that cannot be saved says so on its cell and keeps the mark; a conflicting one shows the other auditor’s value', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const fx = await sampledControl(app.conn, app.config.dataDir, eid, { reference: 'CC8.1-91', rows: 100, size: 25 });
    const first = (
      app.conn.sqlite
        .prepare('SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence LIMIT 1')
        .get(fx.sampleId) as { id: number }
    ).id;
    await logIn(session, 'staff');
    await page.goto(`${baseUrl}${fx.url}`);
    const cell = page.locator(`#cell-${first}-A`);

    await page.route('**/cells', (route) => route.abort());
    await cell.focus();
    await page.keyboard.press('x');
    await page.locator(`#cell-${first}-A.state-failed`).waitFor();
    expect(await page.locator(`#cell-${first}-A .cell-state`).textContent()).toBe(
      '⚠ Not saved (Exception): press the key again to retry',
    );
    await expectAccessible(page);
    await page.unroute('**/cells');

    // Meanwhile a senior marked the same cell as passed from another screen.
    const senior = app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'senior@demo.tickmark.test'").get() as {
      id: number;
    };
    const wp = app.conn.sqlite.prepare('SELECT id FROM workpapers WHERE sample_id = ?').get(fx.sampleId) as
      | { id: number }
      | undefined;
    const wpId =
      wp?.id ??
      (
        app.conn.sqlite
          .prepare(
            "INSERT INTO workpapers (engagement_id, control_id, population_id, sample_id, changed_at, created_at) VALUES (?, ?, ?, ?, '2025-01-01', '2025-01-01') RETURNING id",
          )
          .get(eid, fx.controlId, fx.populationId, fx.sampleId) as { id: number }
      ).id;
    app.conn.sqlite
      .prepare(
        "INSERT INTO test_results (workpaper_id, sample_item_id, attribute, result, version, updated_by, updated_at) VALUES (?, ?, 'A', 'pass', 1, ?, '2026-01-12T10:42:00.000Z')",
      )
      .run(wpId, first, senior.id);
    await cell.focus();
    await page.keyboard.press('x');
    await page.locator(`#cell-${first}-A.state-conflict`).waitFor();
    expect(await page.locator(`#cell-${first}-A .cell-state`).textContent()).toBe(
      'Daniel Okafor changed this cell to Pass at 10:42 UTC; your Exception was not saved.',
    );
    expect(page.url()).toBe(`${baseUrl}${fx.url}`);
    await expectAccessible(page);
  }, 120_000);
  it('a grid of 150 items comes 100 to a page, and the keyboard turns the page, keeping the attribute', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const fx = await sampledControl(app.conn, app.config.dataDir, eid, { reference: 'CC8.1-92', rows: 400, size: 150 });
    const items = (
      app.conn.sqlite.prepare('SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence').all(fx.sampleId) as {
        id: number;
      }[]
    ).map((r) => r.id);
    await logIn(session, 'staff');
    await page.goto(`${baseUrl}${fx.url}`);
    expect(await page.locator('#grid tbody tr').count()).toBe(100);
    await expectAccessible(page);

    // Down from the last row goes on to the first row of the next page, same attribute; P marks it there.
    await page.locator(`#cell-${items[99]}-B`).focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/\?page=2#grid-first-B$/);
    expect(await page.locator('#grid tbody tr').count()).toBe(50);
    expect(await focusedCell(page)).toBe(`cell-${items[100]}-B`);
    await page.keyboard.press('p');
    await settle(page);
    expect(await page.locator(`#cell-${items[100]}-B`).getAttribute('class')).toContain('is-pass');
    expect(await focusedCell(page)).toBe(`cell-${items[100]}-C`);

    // Page Up goes back, onto the last row; up from the first row of page 2 does the same.
    await page.keyboard.press('PageUp');
    await page.waitForURL(/\?page=1#grid-last-C$/);
    expect(await focusedCell(page)).toBe(`cell-${items[99]}-C`);
    await page.keyboard.press('PageDown');
    await page.waitForURL(/\?page=2#grid-first-C$/);
    await page.keyboard.press('ArrowUp');
    await page.waitForURL(/\?page=1#grid-last-C$/);
    expect(await focusedCell(page)).toBe(`cell-${items[99]}-C`);
    await expectAccessible(page);
  }, 120_000);
});
