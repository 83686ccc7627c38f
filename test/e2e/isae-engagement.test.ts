// Issue 14 (items 2, 6, 9): on the demo ISAE 3402 engagement a senior proposes the missed access review as an
// anomaly, a manager approves it, and the partner reads ISAE words and concludes on the description.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit, type Session } from './helpers.js';

const REASON =
  'The IT Manager left mid-quarter; the other quarters were reviewed on time and the Finance Director confirmed no access change was missed.';

function fenwick(session: Session) {
  const s = session.app.conn.sqlite;
  const eid = (
    s.prepare("SELECT id FROM engagements WHERE client_name = 'Fenwick Payroll Services Ltd'").get() as { id: number }
  ).id;
  const x = s
    .prepare(
      "SELECT w.control_id AS controlId, w.population_id AS populationId, x.sample_item_id AS item, x.attribute FROM exceptions x JOIN workpapers w ON w.id = x.workpaper_id JOIN controls c ON c.id = w.control_id WHERE c.engagement_id = ? AND c.reference = 'FP-AC-01'",
    )
    .get(eid) as { controlId: number; populationId: number; item: number; attribute: string };
  const workpaper = `/engagements/${eid}/controls/${x.controlId}/workpaper/${x.populationId}`;
  return { eid, workpaper, exception: `${workpaper}/items/${x.item}/exceptions/${x.attribute}` };
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login/);
}

describeBrowser('an ISAE 3402 engagement (browser)', () => {
  it('a senior proposes an anomaly, a manager approves it, and the partner concludes on the description in ISAE words', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const { eid, workpaper, exception } = fenwick(session);

    await logIn(session, 'senior');
    await visit(page, `${baseUrl}${exception}`);
    await page.getByLabel(/Why this deviation is not representative/).fill(REASON);
    await page.getByRole('button', { name: 'Propose as an anomaly' }).click();
    await page.locator('#anomaly-status').filter({ hasText: 'Proposed' }).waitFor();
    await expectAccessible(page);
    await logOut(page);

    await logIn(session, 'manager');
    await visit(page, `${baseUrl}${workpaper}`);
    expect(await page.locator('#anomalies').textContent()).toContain('Awaiting the approval of a manager');
    await page.getByRole('button', { name: 'Approve the anomaly' }).click();
    await page.locator('#deviations').filter({ hasText: 'treated as an anomaly' }).waitFor();
    await expectAccessible(page);
    await logOut(page);

    await logIn(session, 'partner');
    await visit(page, `${baseUrl}/engagements/${eid}/opinion`);
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain("Fenwick Payroll Services Ltd's statement");
    expect(main).not.toMatch(/organization|Type II\b/);
    // The description was concluded fairly presented; the partner records a misstatement instead.
    await page.getByLabel('No: it misstates or omits matters').check();
    await page
      .getByLabel('The matters, when it does not')
      .fill('The description omits the bureau’s manual payroll adjustments process.');
    await page.getByRole('button', { name: 'Record the conclusion' }).click();
    await page.waitForURL(/\/opinion/);
    await expectAccessible(page);
    const after = (await page.locator('main').textContent())!;
    expect(after).toContain('Element (a), description');
    expect(await page.locator('.proposal-card h2').textContent()).toContain('Qualified');
  });
});
