import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, expect, it } from 'vitest';
import { describeBrowser, expectAccessible, logIn, startSession, visit } from './helpers.js';
import { saveTestPlan } from '../../src/features/controls/test-plan-service.js';
import { userByEmail } from '../helpers/workpaper-fixture.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const CRITERIA = [
  'CC1.1',
  'CC2.1',
  'CC3.2',
  'CC4.1',
  'CC5.2',
  'CC6.1',
  'CC6.2',
  'CC6.3',
  'CC7.2',
  'CC8.1',
  'CC9.2',
  'A1.2',
];
const FREQUENCIES = ['Annual', 'Quarterly', 'Monthly', 'Weekly', 'Daily', 'Event-driven'];

/** A 40-control matrix as a client would send it; `badRow` (1-based control number) gets an unknown frequency. */
async function clientMatrix(file: string, badRow: number | null): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Control matrix');
  sheet.addRow(['Nimbus Ledger — control matrix FY2025']);
  sheet.addRow([
    'Control ID',
    'Control activity',
    'Control owner',
    'Frequency',
    'Nature',
    'Preventive/Detective',
    'Key control?',
    'Risk',
    'TSC',
    'Test procedures',
    'Attributes',
  ]);
  for (let i = 1; i <= 40; i++) {
    const criterion = CRITERIA[i % CRITERIA.length]!;
    sheet.addRow([
      `NL-${String(i).padStart(2, '0')}`,
      `Control ${i}: the owner reviews the ${criterion} evidence and follows up exceptions.`,
      'Compliance Manager',
      i === badRow ? 'Fortnightly' : FREQUENCIES[i % FREQUENCIES.length],
      i % 5 === 0 ? 'Automated' : 'IT-dependent manual',
      i % 2 ? 'Detective' : 'Preventive',
      i % 3 ? 'Yes' : 'No',
      i % 4 ? 'Lower' : 'Higher',
      criterion,
      'Inquiry: Inquired of the control owner.\nInspection: Inspected the evidence of review for the items selected.',
      'A: The review was performed.\nB: Exceptions were followed up.',
    ]);
  }
  writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
}

describeBrowser('control matrix (browser)', () => {
  it('the demo senior imports a 40-control matrix, fixes a rejected row, imports it and opens the coverage', async () => {
    const session = await startSession();
    dir = mkdtempSync(path.join(tmpdir(), 'tickmark-matrix-'));
    const { page } = session;
    await logIn(session, 'senior');
    await page.getByRole('link', { name: 'Nimbus Ledger, Inc.' }).first().click();
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.waitForURL(/\/controls$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Control matrix');

    await page.getByRole('link', { name: 'Import from Excel or CSV' }).click();
    await page.waitForURL(/\/controls\/import$/);
    await expectAccessible(page);
    const withError = path.join(dir, 'matrix.xlsx');
    await clientMatrix(withError, 17);
    await page.getByLabel('Control matrix file (.xlsx or .csv)').setInputFiles(withError);
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/\/controls\/import\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    const summary = await page.locator('.summary').textContent();
    expect(summary).toContain('40 rows read:');
    expect(summary).toContain('39 new');
    expect(summary).toContain('1 rejected');
    const rejected = page.locator('tr.rejected');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain('Row 19, column D (Frequency): Unknown frequency "Fortnightly"');
    expect(await page.getByRole('button', { name: /^Import/ }).count()).toBe(0);

    const corrected = path.join(dir, 'matrix-fixed.xlsx');
    await clientMatrix(corrected, null);
    await page.getByLabel('Corrected file (.xlsx or .csv)').setInputFiles(corrected);
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.waitForURL(/\/controls\/import\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    expect(await page.locator('.summary').textContent()).toContain('0 rejected');
    await page.getByRole('button', { name: 'Import 40 controls' }).click();
    await page.waitForURL(/\/controls$/);
    await expectAccessible(page);
    expect(await page.locator('.flash').textContent()).toContain(
      'Import complete: 40 controls added, 0 updated, 0 unchanged.',
    );
    expect(await page.locator('.subtitle').textContent()).toContain('74 controls');

    await page.getByRole('link', { name: 'Coverage', exact: true }).click();
    await page.waitForURL(/\/coverage$/);
    await expectAccessible(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Criteria coverage');
    expect(await page.locator('.summary').textContent()).toContain(
      '34 of 36 criteria are addressed by at least one control.',
    );
    expect(await page.locator('#cov-CC3\\.2').textContent()).toContain('NL-02');
  });

  it('edits a test plan in place with htmx, showing a refused plan beside its fields', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const id = session.app.conn.sqlite
      .prepare("SELECT id, engagement_id AS e FROM controls WHERE reference = 'CC6.2-01'")
      .get() as { id: number; e: number };
    await logIn(session, 'staff');
    const url = `${baseUrl}/engagements/${id.e}/controls/${id.id}`;
    await page.goto(url);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Edit test plan' }).click();
    await page.getByRole('button', { name: 'Save test plan' }).waitFor();
    expect(page.url()).toBe(url);
    await expectAccessible(page);
    for (const select of await page.getByRole('combobox', { name: /^Type of procedure/ }).all())
      await select.selectOption('inquiry');
    await page.getByRole('button', { name: 'Save test plan' }).click();
    await page.locator('#procedures-error').waitFor();
    expect(await page.locator('#procedures-error').textContent()).toContain(
      'Inquiry alone never gives enough evidence',
    );
    await page.getByRole('combobox', { name: 'Type of procedure 2' }).selectOption('inspection');
    await page
      .getByRole('textbox', { name: 'Procedure 4', exact: true })
      .fill('Observed the IT manager provisioning a new account.');
    await page.getByRole('combobox', { name: 'Type of procedure 4' }).selectOption('observation');
    await page.getByRole('button', { name: 'Save test plan' }).click();
    await page.getByText('Test plan saved.').waitFor();
    expect(page.url()).toBe(url);
    expect(await page.locator('#test-plan ol.procedures').textContent()).toContain(
      'Observed the IT manager provisioning a new account.',
    );
    await expectAccessible(page);

    // Someone else saves the plan while the form is open: the save is refused in place (409), both in view.
    await page.getByRole('link', { name: 'Edit test plan' }).click();
    await page.getByRole('button', { name: 'Save test plan' }).waitFor();
    const { planVersion } = session.app.conn.sqlite
      .prepare('SELECT plan_version AS planVersion FROM controls WHERE id = ?')
      .get(id.id) as { planVersion: number };
    const plan = {
      procedures: [{ kind: 'inspection' as const, text: 'Inspected the access ticket (saved by the senior).' }],
      attributes: ['Approved'],
    };
    saveTestPlan(
      session.app.conn.db,
      userByEmail(session.app.conn, 'senior@demo.tickmark.test'),
      id.e,
      id.id,
      plan,
      planVersion,
    );
    await page
      .getByRole('textbox', { name: 'Procedure 1', exact: true })
      .fill('Reperformed the approval in the ticketing tool.');
    await page.getByRole('button', { name: 'Save test plan' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Inspected the access ticket (saved by the senior).');
    expect(await page.getByRole('textbox', { name: 'Procedure 1', exact: true }).inputValue()).toBe(
      'Reperformed the approval in the ticketing tool.',
    );
    expect(page.url()).toBe(url);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save test plan' }).click();
    await page.getByText('Test plan saved.').waitFor();
    expect(await page.locator('#test-plan ol.procedures').textContent()).toContain(
      'Reperformed the approval in the ticketing tool.',
    );
  });

  it('every control-matrix screen a senior uses passes the accessibility check', async () => {
    const session = await startSession();
    const { page, baseUrl } = session;
    const control = session.app.conn.sqlite
      .prepare("SELECT id, engagement_id AS e FROM controls WHERE reference = 'CC8.1-01'")
      .get() as { id: number; e: number };
    const base = `${baseUrl}/engagements/${control.e}`;
    await logIn(session, 'senior');
    for (const path of [
      'controls/new',
      `controls/${control.id}/details/edit`,
      `controls/${control.id}/walkthrough/edit`,
      'tickmarks',
      'complementary-controls',
      'objectives',
      'controls?sort=risk&dir=desc&key=yes',
    ]) {
      await visit(page, `${base}/${path}`);
    }
    await page.goto(`${base}/controls/${control.id}`);
    await page.getByRole('link', { name: 'Edit control' }).click();
    await page.getByRole('button', { name: 'Save control' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Owner', { exact: true }).fill('Head of Platform Engineering');
    await page.getByRole('button', { name: 'Save control' }).click();
    await page.getByText('Control saved.').waitFor();
    expect(await page.locator('#control-details').textContent()).toContain('Head of Platform Engineering');
  });
});
