import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';

const daily = {
  reference: 'CC7.2-09',
  description: 'The security operations centre reviews and triages every alert raised by the SIEM the same day.',
  owner: 'SOC lead',
  frequency: 'daily',
  calendar: 'every-day',
  nature: 'it-dependent-manual',
  controlType: 'detective',
  risk: 'higher',
  isKey: 'yes',
  criteria: ['CC7.2'],
};

const rowOf = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).get(...args) as Record<string, unknown>;
const lastAudit = (t: TestApp, entity: string, action: string) =>
  JSON.parse(
    String(
      rowOf(
        t,
        'SELECT changes FROM audit_entries WHERE entity = ? AND action = ? ORDER BY id DESC LIMIT 1',
        entity,
        action,
      ).changes,
    ),
  );

async function generate(
  t: TestApp,
  client: Awaited<ReturnType<typeof loginAs>>,
  eid: number,
  cid: number,
): Promise<number> {
  await client.get(`/engagements/${eid}/controls/${cid}/population`);
  const res = await client.post(`/engagements/${eid}/controls/${cid}/populations/generate`);
  expect(res.statusCode).toBe(303);
  return Number(
    rowOf(
      t,
      "SELECT row_count FROM populations WHERE control_id = ? AND status = 'draft' ORDER BY id DESC LIMIT 1",
      cid,
    ).row_count,
  );
}

describe("a daily control's calendar", () => {
  it('records that a daily control runs every day, shows it, and generates every day of the period', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/new`);
    const created = await senior.post(`/engagements/${eid}/controls`, daily);
    expect(created.statusCode).toBe(303);
    const cid = Number(/controls\/(\d+)/.exec(String(created.headers.location))![1]);
    expect(rowOf(t, 'SELECT calendar FROM controls WHERE id = ?', cid).calendar).toBe('every-day');
    expect(lastAudit(t, 'control', 'create')).toMatchObject({ calendar: [null, 'every-day'] });
    expect((await senior.get(`/engagements/${eid}/controls/${cid}`)).body).toContain(
      'Every day, weekends and holidays included',
    );
    expect(await generate(t, senior, eid, cid)).toBe(365);
    expect(lastAudit(t, 'population', 'generate')).toMatchObject({
      calendar: [null, 'every-day'],
      occurrences: [null, 365],
    });

    // Back to business days: weekends and the demo's nine weekday holidays of 2025 drop out.
    const edit = await senior.get(`/engagements/${eid}/controls/${cid}/details/edit`);
    expect(edit.body).toContain('<option value="every-day" selected>Every day</option>');
    const saved = await senior.post(`/engagements/${eid}/controls/${cid}/details`, {
      ...daily,
      calendar: 'business-days',
      version: versionIn(edit.body),
    });
    expect(saved.statusCode).toBe(303);
    expect(lastAudit(t, 'control', 'update')).toEqual({ calendar: ['every-day', 'business-days'] });
    expect(await generate(t, senior, eid, cid)).toBe(261 - 9);
  });

  it('keeps business days for a control that is not daily, and refuses an unknown calendar', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/new`);
    const weekly = await senior.post(`/engagements/${eid}/controls`, { ...daily, frequency: 'weekly' });
    expect(weekly.statusCode).toBe(303);
    expect(rowOf(t, "SELECT calendar FROM controls WHERE reference = 'CC7.2-09'").calendar).toBe('business-days');
    const refused = await senior.post(`/engagements/${eid}/controls`, {
      ...daily,
      reference: 'CC7.2-10',
      calendar: 'weekends',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Choose the days a daily control operates on.');
  });
});
