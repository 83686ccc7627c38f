import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('workpaper export (browser)', () => {
  it('the senior opens a workpaper, follows "Print / PDF", sees the printable workpaper and downloads its PDF', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const s = app.conn.sqlite;
    const eid = (s.prepare('SELECT id FROM engagements LIMIT 1').get() as { id: number }).id;
    const control = s
      .prepare("SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC1.4-01'")
      .get(eid) as { id: number };
    const seed = (
      s.prepare("SELECT seed FROM samples WHERE control_id = ? AND status = 'active'").get(control.id) as {
        seed: string;
      }
    ).seed;
    await logIn(session, 'senior');
    await visit(page, `${baseUrl}/engagements/${eid}/controls/${control.id}/workpaper`);

    await page.getByRole('link', { name: 'Print / PDF' }).click();
    await page.waitForURL(/\/workpaper\/\d+\/print$/);
    await expectAccessible(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Workpaper — CC1.4-01');
    for (const heading of [
      '1. Test plan',
      '3. Selection',
      '4. Test grid',
      '5. Exceptions',
      '8. Sign-offs',
      '9. Review notes',
    ]) {
      expect(await page.getByRole('heading', { level: 2, name: heading }).count(), heading).toBe(1);
    }
    expect(await page.getByText(seed, { exact: true }).count()).toBe(1);
    // On paper the navigation and the page's own buttons go; the workpaper stays.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Download PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 2, name: '4. Test grid' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('CC1.4-01 workpaper.pdf');
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)!.length).toBeGreaterThan(1);
  });
});
