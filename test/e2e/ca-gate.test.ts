// The completeness-and-accuracy gate in the browser (issue 13, item 8): no sample from an uploaded list until its
// C&A is complete; a client count that disagrees is completed only once the difference is explained in writing.
import { expect, it } from 'vitest';
import { buildControl, ticketsCsv } from '../helpers/factories.js';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';

describeBrowser('completeness and accuracy before sampling (browser)', () => {
  it('the senior uploads and maps a list, is told C&A is open and what is missing, explains a count that disagrees, completes C&A and selects', async () => {
    const session = await startSession();
    const { page, baseUrl, app } = session;
    const eid = session.demoEngagementId;
    const controlId = buildControl({ app, config: app.config, dir: '' }, eid, {
      reference: 'CC8.1-CA',
      frequency: 'event-driven',
      risk: 'lower',
    });
    const stored = (pid: number) => ({
      status: (app.conn.sqlite.prepare('SELECT status FROM populations WHERE id = ?').get(pid) as { status: string })
        .status,
      samples: (
        app.conn.sqlite.prepare('SELECT count(*) AS n FROM samples WHERE population_id = ?').get(pid) as { n: number }
      ).n,
    });
    await logIn(session, 'senior');
    await visit(page, `${baseUrl}/engagements/${eid}/controls/${controlId}/population`);

    await page
      .getByLabel('Upload the client’s list (CSV or XLSX)')
      .setInputFiles({ name: 'changes-ca.csv', mimeType: 'text/csv', buffer: Buffer.from(ticketsCsv(240)) });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(/\/mapping$/);
    await page.getByLabel('Item key (ticket, user, …)').selectOption({ label: 'Change ID' });
    await page.getByLabel('Item date').selectOption({ label: 'Deployed' });
    await page.getByLabel('Description').selectOption({ label: 'Summary' });
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await page.waitForURL(/\/populations\/\d+$/);
    const populationUrl = page.url();
    const pid = Number(/populations\/(\d+)$/.exec(populationUrl)![1]);
    expect(await page.locator('.facts').first().textContent()).toMatch(/Items that can be sampled\s*240/);
    // The population page says C&A is open and lists what the record still lacks.
    const missing = await page.locator('#ca .notice li').allTextContents();
    expect(missing).toEqual([
      'Record the source system the list was extracted from.',
      'Record the report or query used to extract it.',
      'Record the client’s record count, so the list can be tied to its source.',
      'Record the procedures performed over completeness and accuracy.',
    ]);
    await expectAccessible(page);

    // Off to select: the Sampling page names the gate and what is missing, and offers no selection.
    await page.getByRole('link', { name: 'Sampling' }).first().click();
    await page.waitForURL(/\/sampling$/);
    const gate = page.locator('#sampling-windows .notice');
    expect(await gate.textContent()).toContain('C&A open');
    expect(await gate.textContent()).toContain(
      'Completeness and accuracy of this population is not complete, so no sample can be selected from it yet.',
    );
    expect(await gate.textContent()).toContain('Still missing: Record the source system the list was extracted from.');
    expect(await gate.textContent()).toContain('Record the client’s record count');
    expect(await page.getByRole('button', { name: 'Freeze the population and select' }).count()).toBe(0);
    await expectAccessible(page);

    // A selection posted anyway (a form kept from another tab, or made by hand) is refused, saying why, and
    // freezes nothing.
    const selectUrl = `${baseUrl}/engagements/${eid}/populations/${pid}/samples`;
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    await page.route(selectUrl, (route) =>
      route.continue({
        method: 'POST',
        headers: { ...route.request().headers(), 'content-type': 'application/x-www-form-urlencoded' },
        postData: new URLSearchParams({ _csrf: csrf, sizing: 'table', method: 'random', seed: '20251201' }).toString(),
      }),
    );
    const refused = await page.goto(selectUrl);
    await page.unroute(selectUrl);
    expect(refused?.status()).toBe(422);
    expect(await page.locator('#_form-error').textContent()).toContain('no sample can be selected from it yet');
    expect(await page.locator('#_form-error').textContent()).toContain(
      'Record the procedures performed over completeness and accuracy.',
    );
    expect(await page.getByRole('button', { name: 'Freeze the population and select' }).count()).toBe(0);
    await expectAccessible(page);
    expect(stored(pid)).toEqual({ status: 'draft', samples: 0 });
    await visit(page, populationUrl);
    expect(await page.locator('.subtitle .status').textContent()).toBe('Draft');
    expect(await page.locator('.facts').first().textContent()).not.toContain('Content hash');

    // The C&A record, with a client count two above the import: the tie-out fails.
    await page.getByLabel('Source system').fill('Jira Cloud (project CHG)');
    await page.getByLabel('Extracted by').fill('Client IT (observed)');
    await page.getByLabel('Extracted on').fill('2026-01-06');
    await page.getByLabel('Report or query used').fill('JQL: project = CHG AND status = Deployed ORDER BY key');
    await page
      .getByLabel('Procedures performed')
      .fill('Observed the change manager run the query; agreed the count to the Jira screen.');
    await page.getByLabel('Client’s record count').fill('242');
    await page.getByRole('button', { name: 'Save C&A evidence' }).click();
    await page.waitForURL(/#ca$/);
    expect(await page.locator('.facts').first().textContent()).toMatch(/Client’s count\s*✕ Differs \(242\)/);
    expect(await page.locator('#ca .notice li').allTextContents()).toEqual([
      'The tie-out fails (the client’s record count differs from the import): explain the difference in writing first.',
    ]);
    await expectAccessible(page);

    // "Complete" is refused until the difference is explained; nothing is completed.
    await page.getByRole('button', { name: 'Mark C&A complete' }).click();
    await expect
      .poll(() => page.locator('#ca-error').textContent())
      .toContain('explain the difference in writing first');
    expect(await page.locator('#ca').textContent()).toContain('C&A open');
    expect(await page.locator('#ca').textContent()).not.toContain('✓ C&A complete');
    await expectAccessible(page);

    const explanation =
      'Two tickets were cancelled before deployment: in Jira’s count, not in the deployment export; agreed to the deploy log.';
    await page.getByLabel(/Explanation of a tie-out difference/).fill(explanation);
    await page.getByRole('button', { name: 'Save C&A evidence' }).click();
    await page.waitForURL(/#ca$/);
    expect(await page.locator('#ca').textContent()).toContain(`Tie-out difference explained: ${explanation}`);
    // Filled in, not yet complete: the Sampling page still refuses, and says who completes it.
    await page.getByRole('link', { name: 'Sampling' }).first().click();
    await page.waitForURL(/\/sampling$/);
    expect(await gate.textContent()).toContain('The record is filled in: a senior marks it complete.');
    expect(await page.getByRole('button', { name: 'Freeze the population and select' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Completeness and accuracy of this population' }).click();
    await page.waitForURL(/\/populations\/\d+#ca$/);
    await page.getByRole('button', { name: 'Mark C&A complete' }).click();
    await page.waitForURL(/#ca$/);
    expect(await page.locator('#ca').textContent()).toMatch(/✓ C&A complete[\s\S]*by Daniel Okafor/);
    expect(await page.locator('#ca').textContent()).toContain(explanation);
    await expectAccessible(page);

    // Now the sample is selected, and the population frozen.
    await page.getByRole('link', { name: 'Sampling' }).first().click();
    await page.waitForURL(/\/sampling$/);
    expect(await page.locator('#sampling-windows').textContent()).not.toContain('C&A open');
    const proposed = /Proposed size: (\d+)/.exec((await page.locator('.proposal').textContent()) ?? '')?.[1];
    expect(Number(proposed)).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.getByLabel('Seed').fill('20251201');
    await page.getByRole('button', { name: 'Freeze the population and select' }).click();
    await page.waitForURL(/\/samples\/\d+$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Selection of ${proposed} items from 240`);
    expect(stored(pid)).toEqual({ status: 'frozen', samples: 1 });
    await visit(page, populationUrl);
    expect(await page.locator('.subtitle .status').textContent()).toBe('Frozen');
    expect(await page.locator('#ca').textContent()).toContain('✓ C&A complete');
  });
});
