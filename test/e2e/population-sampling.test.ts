import { expect, it } from 'vitest';
import { buildControl, ticketsCsv } from '../helpers/factories.js';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('populations and sampling (browser)', () => {
  it('the senior imports 1,200 change tickets, fixes the mapping, ties out the C&A (explaining a difference) before sampling, freezes, selects 25 with a seed and verifies', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const controlId = buildControl({ app, config: app.config, dir: '' }, eid, {
      reference: 'CC8.1-09',
      frequency: 'event-driven',
      risk: 'lower',
    });
    await logIn(session, 'senior');
    await visit(page, `${baseUrl}/engagements/${eid}/controls/${controlId}/population`);

    await page.getByLabel('Upload the client’s list (CSV or XLSX)').setInputFiles({
      name: 'changes-2025.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(ticketsCsv(1200, [5, 900])),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(/\/mapping$/);
    await expectAccessible(page);

    // A wrong mapping first: the summary is not a date, so every row is flagged.
    await page.getByLabel('Item date').selectOption({ label: 'Summary' });
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await page.waitForURL(/\/populations\/\d+$/);
    await expectAccessible(page);
    expect(await page.locator('#issues').textContent()).toContain('Date not understood');

    await page.getByRole('link', { name: 'Change the mapping' }).click();
    await page.getByLabel('Item date').selectOption({ label: 'Deployed' });
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await page.waitForURL(/\/populations\/\d+$/);
    const issues = await page.locator('#issues').textContent();
    expect(issues).toContain('Dated outside the reporting period');
    expect(issues).not.toContain('Date not understood');
    expect(await page.locator('.facts').first().textContent()).toMatch(/Items that can be sampled\s*1,198/);

    // The C&A gate: sampling is offered only once completeness and accuracy is complete.
    const populationUrl = page.url();
    await page.getByRole('link', { name: 'Sampling' }).first().click();
    await page.waitForURL(/\/sampling$/);
    expect(await page.locator('main').textContent()).toContain('no sample can be selected from it yet');
    expect(await page.getByRole('button', { name: 'Freeze the population and select' }).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Completeness and accuracy of this population' }).click();
    await page.waitForURL(/\/populations\/\d+#ca$/);
    await page.getByLabel('Source system').fill('Jira Cloud (project CHG)');
    await page.getByLabel('Report or query used').fill('JQL: project = CHG AND status = Deployed ORDER BY key');
    await page
      .getByLabel('Procedures performed')
      .fill('Observed the change manager run the query; agreed the count to the Jira screen.');
    await page.getByLabel('Client’s record count').fill('1,202');
    await page.getByRole('button', { name: 'Save C&A evidence' }).click();
    await page.waitForURL(/#ca$/);
    expect(await page.locator('#ca').textContent()).toContain(
      'The tie-out fails (the client’s record count differs from the import)',
    );
    await page.getByRole('button', { name: 'Mark C&A complete' }).click();
    expect(await page.locator('#ca').textContent()).toContain('explain the difference in writing first');
    await page
      .getByLabel(/Explanation of a tie-out difference/)
      .fill('Two tickets were cancelled before deployment: in Jira’s count, not in the deployment export.');
    await page.getByRole('button', { name: 'Save C&A evidence' }).click();
    await page.waitForURL(/#ca$/);
    await page.getByRole('button', { name: 'Mark C&A complete' }).click();
    await page.waitForURL(/#ca$/);
    expect(await page.locator('#ca').textContent()).toContain('✓ C&A complete');
    await expectAccessible(page);
    expect(page.url().startsWith(populationUrl)).toBe(true);

    await page.getByRole('link', { name: 'Sampling' }).first().click();
    await page.waitForURL(/\/sampling$/);
    await expectAccessible(page);
    expect(await page.locator('.proposal').textContent()).toContain('Proposed size: 25');
    await page.getByLabel('Seed').fill('20251128');
    await page.getByRole('button', { name: 'Freeze the population and select' }).click();
    await page.waitForURL(/\/samples\/\d+$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Selection of 25 items from 1,198');
    await expect.poll(() => page.locator('svg.timeline circle').count()).toBe(25);

    await page.getByRole('button', { name: 'Verify the selection' }).click();
    await expect.poll(() => page.locator('#verification').textContent()).toContain('✓ Matches');
    await expectAccessible(page);
  });
});
