// Each engagement keeps the firm's methodology as it stood when the engagement was opened (issue 13, item 10):
// shown on its page, followed by its sizing, evaluation, file dates and large-sample limit, never rewritten.
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, readEngagementMethodology } from '../../../src/domain/methodology.js';
import * as fmt from '../../../src/core/format.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { saveMethodology, useMethodology } from '../../helpers/methodology.js';
import { exceptionOn, passAll, workpaper } from '../testing/helpers.js';

const today = () => new Date().toISOString().slice(0, 10);
const copyOf = (t: TestApp, eid: number) =>
  readEngagementMethodology(
    JSON.parse(
      (
        t.app.conn.sqlite.prepare('SELECT methodology FROM engagements WHERE id = ?').get(eid) as {
          methodology: string;
        }
      ).methodology,
    ),
  );
const partnerId = (t: TestApp) =>
  String(
    (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'").get() as {
        id: number;
      }
    ).id,
  );

/** A half-year engagement opened by the manager; its id. */
async function openEngagement(t: TestApp, manager: Client, clientName = 'Acme Payroll Ltd'): Promise<number> {
  await manager.get('/engagements/new');
  const res = await manager.post('/engagements', {
    clientName,
    systemName: 'Acme Payroll',
    framework: 'isae3402',
    reportType: 'type2',
    periodStart: '2025-01-01',
    periodEnd: '2025-06-30',
    plannedReportDate: '2025-08-29',
    partnerUserId: partnerId(t),
  });
  expect(res.statusCode).toBe(303);
  return Number(/engagements\/(\d+)/.exec(String(res.headers.location))![1]);
}

/** The sampling page's proposal for a weekly, higher-risk control's generated occurrences (26 weeks). */
async function weeklyProposal(t: TestApp, manager: Client, eid: number): Promise<string> {
  const controlId = buildControl(t, eid, { frequency: 'weekly', risk: 'higher' });
  await manager.get(`/engagements/${eid}/controls/${controlId}/population`);
  expect((await manager.post(`/engagements/${eid}/controls/${controlId}/populations/generate`)).statusCode).toBe(303);
  const page = await manager.get(`/engagements/${eid}/controls/${controlId}/sampling`);
  return /Proposed size: (\d+)/.exec(page.body)![1]!;
}

describe('the methodology an engagement keeps', () => {
  it('a new engagement copies the firm’s settings of the day, shows them, and keeps them when the firm changes its own', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const manager = await loginAs(t.app, 'manager');
    const before = await openEngagement(t, manager, 'Before Ltd');
    expect(copyOf(t, before)).toEqual({ firmSettingsOf: null, settings: DEFAULT_METHODOLOGY });
    expect((await manager.get(`/engagements/${before}`)).body).toContain('Methodology: Tickmark’s defaults');

    expect(
      (await saveMethodology(admin, { 'sampleSizes.weekly.higher': '12', proRata: 'on', assemblyDays: '30' }))
        .statusCode,
    ).toBe(303);
    const after = await openEngagement(t, manager);
    const copy = copyOf(t, after)!;
    expect(copy.firmSettingsOf).toBe(today());
    expect(copy.settings).toMatchObject({
      proRata: true,
      assemblyDays: 30,
      sampleSizes: { weekly: { lower: 5, higher: 12 } },
    });
    const page = await manager.get(`/engagements/${after}`);
    expect(page.body).toContain(`Methodology: firm settings of ${fmt.date(today())}`);
    expect(page.body).toContain('<th scope="row">Weekly</th><td>5</td><td>12</td>');
    expect(page.body).toContain('Within 30 days of the report date.');
    const created = t.app.conn.sqlite
      .prepare(
        "SELECT changes FROM audit_entries WHERE entity = 'engagement' AND action = 'create' AND engagement_id = ?",
      )
      .get(after) as { changes: string };
    expect(JSON.parse(created.changes).methodology[1]).toEqual(copy);

    // The firm changes its policy: engagements already opened keep theirs.
    expect((await saveMethodology(admin, { 'sampleSizes.weekly.higher': '15', proRata: null })).statusCode).toBe(303);
    expect(copyOf(t, after)).toEqual(copy);
    expect(copyOf(t, before)).toEqual({ firmSettingsOf: null, settings: DEFAULT_METHODOLOGY });
    expect((await manager.get(`/engagements/${after}`)).body).toContain(
      '<th scope="row">Weekly</th><td>5</td><td>12</td>',
    );
  });

  it('sizes samples by the engagement’s own table and pro rata setting', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const manager = await loginAs(t.app, 'manager');
    // Defaults: pro rata off, so 26 weeks of a higher-risk weekly control take the full table size.
    const plain = await openEngagement(t, manager, 'Plain Ltd');
    expect(await weeklyProposal(t, manager, plain)).toBe('10');
    await saveMethodology(admin, { 'sampleSizes.weekly.higher': '12' });
    const bigger = await openEngagement(t, manager, 'Bigger Ltd');
    expect(await weeklyProposal(t, manager, bigger)).toBe('12');
    await saveMethodology(admin, { proRata: 'on' });
    const scaled = await openEngagement(t, manager, 'Scaled Ltd');
    expect(await weeklyProposal(t, manager, scaled)).toBe('6'); // 12 × 6 / 12
    // The earlier engagement still follows its own copy.
    expect(await weeklyProposal(t, manager, plain)).toBe('10');
  });

  it('rolls forward under the firm’s settings now in force, not the prior period’s copy', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    useMethodology(t, eid, { assemblyDays: 20 }, '2024-12-02');
    const admin = await loginAs(t.app, 'admin');
    await saveMethodology(admin, { 'sampleSizes.daily.higher': '45' });
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/roll-forward`);
    const res = await manager.post(`/engagements/${eid}/roll-forward`, {
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      plannedReportDate: '',
    });
    const next = Number(/engagements\/(\d+)/.exec(String(res.headers.location))![1]);
    expect(copyOf(t, next)).toEqual({
      firmSettingsOf: today(),
      settings: {
        ...DEFAULT_METHODOLOGY,
        sampleSizes: { ...DEFAULT_METHODOLOGY.sampleSizes, daily: { lower: 20, higher: 45 } },
      },
    });
    expect(copyOf(t, eid)!.settings.assemblyDays).toBe(20);
    const entry = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE action = 'roll-forward' AND engagement_id = ?")
      .get(next) as { changes: string };
    expect(JSON.parse(entry.changes).methodology[1].firmSettingsOf).toBe(today());
  });
});

describe('the workpaper follows the engagement’s extension rule', () => {
  it('the exact rule extends 25 to 41 after one deviation; the rule of thumb to 40, and a size without a row not at all', async () => {
    const exact = await workpaper({ rows: 400 });
    await exceptionOn(exact, 3);
    await passAll(exact);
    expect((await exact.staff.get(`${exact.url}/evaluation`, { 'hx-request': 'true' })).body).toContain(
      'the sample must reach <strong>41 items</strong>',
    );

    const thumb = await workpaper({ rows: 400 });
    useMethodology(thumb.t, thumb.eid, { extension: 'rule-of-thumb' });
    await exceptionOn(thumb, 3);
    await passAll(thumb);
    expect((await thumb.staff.get(`${thumb.url}/evaluation`, { 'hx-request': 'true' })).body).toContain(
      'the sample must reach <strong>40 items</strong>',
    );
    expect((await thumb.staff.post(`${thumb.url}/extend`)).statusCode).toBe(303);
    expect(
      thumb.t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM sample_items WHERE sample_id = ?').get(thumb.sampleId),
    ).toEqual({ n: 40 });

    const noRow = await workpaper({ rows: 400 });
    useMethodology(noRow.t, noRow.eid, {
      extension: 'rule-of-thumb',
      ruleOfThumb: [{ plannedSize: 60, deviations: 1, extendedSize: 100 }],
    });
    await exceptionOn(noRow, 3);
    await passAll(noRow);
    const evaluation = (await noRow.staff.get(`${noRow.url}/evaluation`, { 'hx-request': 'true' })).body;
    expect(evaluation).toContain('Not operating effectively');
    expect(evaluation).not.toContain('the sample must reach');
  });
});
