// Administration → Methodology: the firm's settings, saved by an administrator, versioned, recorded in the trail.
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../../src/domain/methodology.js';
import { buildTestApp, loginAs, type TestApp } from '../../helpers/app.js';
import { saveMethodology } from '../../helpers/methodology.js';
import { formsOf } from '../../security/sweep/forms.js';

const PAGE = '/admin/methodology';

const stored = (t: TestApp) =>
  t.app.conn.sqlite.prepare('SELECT settings, version FROM firm_methodology').all() as {
    settings: string;
    version: number;
  }[];
const trail = (t: TestApp) =>
  (
    t.app.conn.sqlite
      .prepare(
        "SELECT action, engagement_id AS engagementId, changes FROM audit_entries WHERE entity = 'firm-methodology' ORDER BY id",
      )
      .all() as { action: string; engagementId: number | null; changes: string }[]
  ).map((e) => ({ ...e, changes: JSON.parse(e.changes) as Record<string, unknown> }));

describe('Administration → Methodology', () => {
  it('shows the defaults until the first save, then saves the firm’s settings with each change in the audit trail', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.get(PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Not saved yet: these are Tickmark’s defaults');
    expect(page.body).toContain('name="sampleSizes.daily.higher" value="40"');
    expect(page.body).toContain('name="version" value="0"');
    expect(stored(t)).toEqual([]);

    const first = await saveMethodology(admin, {
      'sampleSizes.daily.higher': '45',
      maxDeviationsToExtend: '1',
      extension: 'rule-of-thumb',
      'ruleOfThumb.2.plannedSize': '45',
      'ruleOfThumb.2.deviations': '1',
      'ruleOfThumb.2.extendedSize': '70',
      proRata: 'on',
      assemblyDays: '45',
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(PAGE);
    const saved = JSON.parse(stored(t)[0]!.settings);
    expect(saved).toEqual({
      ...DEFAULT_METHODOLOGY,
      sampleSizes: { ...DEFAULT_METHODOLOGY.sampleSizes, daily: { lower: 20, higher: 45 } },
      extension: 'rule-of-thumb',
      ruleOfThumb: [...DEFAULT_METHODOLOGY.ruleOfThumb, { plannedSize: 45, deviations: 1, extendedSize: 70 }],
      proRata: true,
      assemblyDays: 45,
    });
    const after = await admin.get(PAGE);
    expect(after.body).toContain('Methodology saved (all 25 settings recorded for the first time)');
    expect(after.body).toContain('Saved by Alex Morgan');
    expect(after.body).toContain('name="version" value="1"');
    // The first save records every value: the firm's settings from then on are all in the trail.
    const [created] = trail(t);
    expect(created!.action).toBe('create');
    expect(created!.engagementId).toBeNull();
    expect(Object.keys(created!.changes)).toHaveLength(25);
    expect(created!.changes['sampleSizes.daily.higher']).toEqual([null, 45]);

    expect((await saveMethodology(admin, { proRata: null, 'sampleSizes.weekly.lower': '6' })).statusCode).toBe(303);
    expect(trail(t)[1]).toEqual({
      action: 'update',
      engagementId: null,
      changes: { 'sampleSizes.weekly.lower': [5, 6], proRata: [true, false] },
    });
    expect(stored(t)[0]!.version).toBe(2);
    expect((await admin.get(PAGE)).body).toContain('Methodology saved (2 settings changed)');
    // Saving what is stored writes nothing.
    expect((await saveMethodology(admin, {})).statusCode).toBe(303);
    expect((await admin.get(PAGE)).body).toContain('Nothing changed');
    expect(trail(t)).toHaveLength(2);
  });

  it('refuses invalid settings with the reason beside each field, keeping what was typed and writing nothing', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    const res = await saveMethodology(admin, {
      'sampleSizes.daily.lower': '50',
      'sampleSizes.weekly.higher': 'ten',
      'ruleOfThumb.0.extendedSize': '20',
      assemblyDays: '0',
      extension: 'rule-of-thumb',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Nothing was saved');
    expect(res.body).toContain('Daily: the higher-risk size (40) must be at least the lower-risk size (50).');
    expect(res.body).toContain('Weekly, higher risk: enter a whole number.');
    expect(res.body).toContain('name="sampleSizes.weekly.higher" value="ten"');
    expect(res.body).toContain('The extended size must be larger than the planned 25.');
    expect(res.body).toContain('Enter a whole number from 1 to 365.');
    expect(res.body).toContain('aria-invalid="true"');
    expect(stored(t)).toEqual([]);
    expect(trail(t)).toEqual([]);
    // A rule-of-thumb row for more deviations than the firm extends after would never apply.
    const dead = await saveMethodology(admin, {
      extension: 'rule-of-thumb',
      'ruleOfThumb.2.plannedSize': '25',
      'ruleOfThumb.2.deviations': '2',
      'ruleOfThumb.2.extendedSize': '54',
    });
    expect(dead.statusCode).toBe(422);
    expect(dead.body).toContain('No extension is proposed after more than 1: this row would never apply.');
    // Emptying a row removes it; the rows close up.
    const removed = await saveMethodology(admin, {
      'ruleOfThumb.0.plannedSize': '',
      'ruleOfThumb.0.deviations': '',
      'ruleOfThumb.0.extendedSize': '',
    });
    expect(removed.statusCode).toBe(303);
    expect(JSON.parse(stored(t)[0]!.settings).ruleOfThumb).toEqual([
      { plannedSize: 60, deviations: 1, extendedSize: 100 },
    ]);
  });

  it('refuses a save based on settings someone changed since (409), showing what is stored now and writing nothing', async () => {
    const t = await buildTestApp();
    const first = await loginAs(t.app, 'admin');
    const fields = { ...formsOf((await first.get(PAGE)).body).get(PAGE)! };
    const second = await loginAs(t.app, 'admin');
    expect((await saveMethodology(second, { 'sampleSizes.daily.higher': '50' })).statusCode).toBe(303);
    const stale = await first.post(PAGE, { ...fields, 'sampleSizes.daily.higher': '45', retentionYears: '10' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Not saved.');
    expect(stale.body).toContain('Daily 20 / 50');
    expect(stale.body).toContain('name="sampleSizes.daily.higher" value="45"');
    expect(stale.body).toContain('name="version" value="1"');
    expect(JSON.parse(stored(t)[0]!.settings).sampleSizes.daily.higher).toBe(50);
    expect(JSON.parse(stored(t)[0]!.settings).retentionYears).toBe(7);
    // Sent again from the refreshed form, it replaces the stored settings.
    expect((await first.post(PAGE, formsOf(stale.body).get(PAGE)!)).statusCode).toBe(303);
    expect(JSON.parse(stored(t)[0]!.settings)).toMatchObject({
      retentionYears: 10,
      sampleSizes: { daily: { higher: 45 } },
    });
  });

  it('takes the configuration’s file policy and large-sample limit as defaults until the first save, and not after it', async () => {
    const t = await buildTestApp({
      env: { TICKMARK_ASSEMBLY_DAYS: '90', TICKMARK_RETENTION_YEARS: '10', TICKMARK_LARGE_SAMPLE_ITEMS: '500' },
    });
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.get(PAGE);
    expect(page.body).toContain('name="assemblyDays" value="90"');
    expect(page.body).toContain('name="retentionYears" value="10"');
    expect(page.body).toContain('name="largeSampleItems" value="500"');
    expect((await saveMethodology(admin, { assemblyDays: '75' })).statusCode).toBe(303);
    expect(JSON.parse(stored(t)[0]!.settings)).toMatchObject({
      assemblyDays: 75,
      retentionYears: 10,
      largeSampleItems: 500,
    });
    expect((await admin.get(PAGE)).body).not.toContain('Not saved yet');
  });

  it('is the administrator’s alone', async () => {
    const t = await buildTestApp();
    for (const who of ['manager', 'partner'] as const) {
      const client = await loginAs(t.app, who);
      expect((await client.get(PAGE)).statusCode).toBe(403);
      const res = await client.post(PAGE, { 'sampleSizes.daily.higher': '45', version: '0' });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Only administrators set the firm’s methodology.');
    }
    expect(stored(t)).toEqual([]);
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get('/engagements')).body).toContain('href="/admin/methodology"');
  });
});
