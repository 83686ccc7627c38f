// A configuration listing for an automated control is a snapshot of settings, not a record of events: it takes
// one "as at" date for the whole list instead of a date per item (issue 13, item 8).
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

const LISTING = 'Setting,Value\nPasswordMinLength,12\nLockoutThreshold,5\nSessionTimeout,15\n';

async function uploaded(nature: 'automated' | 'manual') {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { nature });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'settings.csv', content: LISTING },
  );
  const mappingUrl = String(res.headers.location);
  const pid = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
  return { t, senior, mappingUrl, pid, url: `/engagements/${eid}/populations/${pid}` };
}

const items = (t: Awaited<ReturnType<typeof uploaded>>['t'], pid: number) =>
  t.app.conn.sqlite
    .prepare(
      'SELECT item_date, position IS NOT NULL AS sampleable FROM population_items WHERE population_id = ? ORDER BY id',
    )
    .all(pid) as { item_date: string; sampleable: number }[];

describe('a configuration listing dated as a whole', () => {
  it('dates every item of an automated control’s listing with the one as-at date, whatever the file’s date format, and shows it', async () => {
    const { t, senior, mappingUrl, pid, url } = await uploaded('automated');
    expect((await senior.get(mappingUrl)).body).toContain('one as-at date for the whole list');
    const res = await senior.post(mappingUrl, {
      header: 'on',
      key: '0',
      date: '',
      asAt: '2025-12-31',
      description: '1',
      dateFormat: 'dmy',
    });
    expect(res.statusCode).toBe(303);
    expect(items(t, pid)).toEqual([1, 2, 3].map(() => ({ item_date: '2025-12-31', sampleable: 1 })));
    expect((await senior.get(url)).body).toMatch(/Configuration listing as at<\/dt><dd>[^<]*2025/);
  });

  it('refuses an as-at date outside the window, or given with a date column, and imports nothing', async () => {
    const { t, senior, mappingUrl, pid } = await uploaded('automated');
    const outside = await senior.post(mappingUrl, {
      header: 'on',
      key: '0',
      date: '',
      asAt: '2026-01-01',
      dateFormat: 'iso',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('The as-at date must fall within the window');
    const both = await senior.post(mappingUrl, {
      header: 'on',
      key: '0',
      date: '1',
      asAt: '2025-06-30',
      dateFormat: 'iso',
    });
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain('not both');
    expect(items(t, pid)).toHaveLength(0);
  });

  it('is not offered for a manual control, whose items each need their own date', async () => {
    const { t, senior, mappingUrl, pid } = await uploaded('manual');
    expect((await senior.get(mappingUrl)).body).not.toContain('one as-at date for the whole list');
    const refused = await senior.post(mappingUrl, {
      header: 'on',
      key: '0',
      date: '',
      asAt: '2025-06-30',
      dateFormat: 'iso',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Only an automated control’s configuration listing is dated as a whole');
    const noDate = await senior.post(mappingUrl, { header: 'on', key: '0', date: '', dateFormat: 'iso' });
    expect(noDate.body).toContain('Choose the column that holds the item date.');
    expect(items(t, pid)).toHaveLength(0);
  });
});
