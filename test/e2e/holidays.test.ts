import { expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession } from './helpers.js';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20251224',
  'DTEND;VALUE=DATE:20251227',
  'SUMMARY:Winter break',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describeBrowser('holiday calendar (browser)', () => {
  it('the senior opens the calendar from the engagement, pastes a bad line, uploads an .ics, and the daily population lists the holidays', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const eid = session.demoEngagementId;
    await logIn(session, 'senior');
    await page.goto(`${baseUrl}/engagements/${eid}`);
    await page.getByRole('link', { name: '9 holidays' }).click();
    await page.waitForURL(/\/holidays$/);
    await expectAccessible(page);
    expect(await page.locator('table.data').textContent()).toContain('Thanksgiving Day');

    await page.getByLabel('Holidays, one a line').fill('2025-12-24 Christmas Eve\n24/12/2025 Again');
    await page.getByRole('button', { name: 'Save the calendar' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Line 2: "24/12/2025" is not a date');
    await expectAccessible(page);

    await page
      .getByLabel('Or replace it from a file (.ics or CSV)')
      .setInputFiles({ name: 'winter.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.locator('.flash, [role="status"]').first().textContent())
      .toContain('Holiday calendar saved from winter.ics (iCalendar): 3 dates.');
    expect(await page.locator('table.data').textContent()).toContain('Winter break');

    const population = session.app.conn.sqlite
      .prepare(
        "SELECT p.id FROM populations p JOIN controls c ON c.id = p.control_id WHERE c.engagement_id = ? AND c.reference = 'CC7.2-01' AND p.status = 'frozen'",
      )
      .get(eid) as { id: number };
    await page.goto(`${baseUrl}/engagements/${eid}/populations/${population.id}`);
    await expect.poll(() => page.locator('.calendar-note').textContent()).toContain('3 holidays');
    expect(await page.locator('.calendar-note').textContent()).toContain('Winter break');
    expect(await page.getByRole('note').textContent()).toContain(
      'Replace the population, with a reason, to sample the current occurrences.',
    );
  });
});
