// The engagement's copy of the firm's methodology travels in its archive, and an archive that carries one this
// version cannot apply is refused, not imported to fail later.
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, readEngagementMethodology } from '../../../src/domain/methodology.js';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { useMethodology } from '../../helpers/methodology.js';
import { exportArchive, forge, importArchive, rezip, rowCounts, unzip, type Entries } from './archive-helpers.js';

type Data = { tables: { engagements: Record<string, unknown>[] } };
const newest = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT max(id) AS id FROM engagements').get() as { id: number }).id;
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

/** The archive's engagement.json changed by `change`, unsigned. */
function unsigned(entries: Entries, change: (engagement: Record<string, unknown>) => void): Promise<Buffer> {
  const data = JSON.parse(entries.get('engagement.json')!.toString()) as Data;
  change(data.tables.engagements[0]!);
  return rezip(forge(entries, { 'engagement.json': Buffer.from(JSON.stringify(data)) }, null));
}

describe('the methodology in the engagement archive', () => {
  it('is carried by export and import, shown on the imported engagement', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const settings = { ...DEFAULT_METHODOLOGY, extension: 'rule-of-thumb' as const, assemblyDays: 30 };
    useMethodology(t, eid, settings, '2025-11-03');
    const manager = await loginAs(t.app, 'manager');
    const entries = await unzip(await exportArchive(manager, eid));
    expect((JSON.parse(entries.get('engagement.json')!.toString()) as Data).tables.engagements[0]!.methodology).toEqual(
      { firmSettingsOf: '2025-11-03', settings },
    );

    const res = await importArchive(t, manager, await unsigned(entries, () => {}));
    expect(res.statusCode, res.body).toBe(303);
    const copy = newest(t);
    expect(copy).not.toBe(eid);
    expect(copyOf(t, copy)).toEqual({ firmSettingsOf: '2025-11-03', settings });
    expect((await manager.get(`/engagements/${copy}`)).body).toContain('Methodology: firm settings of 3 Nov 2025');
  });

  it('refuses an archive whose methodology this version cannot apply, writing nothing; one from before methodologies gets the defaults', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const entries = await unzip(await exportArchive(manager, eid));
    const before = rowCounts(t.app.conn.sqlite);
    const broken: ((e: Record<string, unknown>) => void)[] = [
      (e) => ((e.methodology as { settings: Record<string, unknown> }).settings.maxDeviationsToExtend = 'one'),
      (e) =>
        ((
          e.methodology as { settings: { sampleSizes: { daily: { lower: number } } } }
        ).settings.sampleSizes.daily.lower = 400),
      (e) => (e.methodology = { firmSettingsOf: null }),
      (e) => (e.methodology = '<script>'),
    ];
    for (const change of broken) {
      const res = await importArchive(t, manager, await unsigned(entries, change));
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(
        'engagements row 1 is not valid (methodology: not a methodology this version of Tickmark can apply)',
      );
      expect(rowCounts(t.app.conn.sqlite)).toEqual(before);
    }
    const older = await importArchive(t, manager, await unsigned(entries, (e) => delete e.methodology));
    expect(older.statusCode, older.body).toBe(303);
    expect(copyOf(t, newest(t))).toEqual({ firmSettingsOf: null, settings: DEFAULT_METHODOLOGY });
  });
});
