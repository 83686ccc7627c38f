import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';
import { multipartBody, upload, type UploadFile } from '../../helpers/multipart.js';

const rowOf = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).get(...args) as Record<string, unknown>;
const datesOf = (t: TestApp, eid: number) =>
  (
    t.app.conn.sqlite
      .prepare('SELECT date FROM engagement_holidays WHERE engagement_id = ? ORDER BY date')
      .all(eid) as { date: string }[]
  ).map((r) => r.date);
const lastCalendarAudit = (t: TestApp) =>
  JSON.parse(
    String(
      rowOf(t, "SELECT changes FROM audit_entries WHERE entity = 'holiday-calendar' ORDER BY id DESC LIMIT 1").changes,
    ),
  );
const calendarSaves = (t: TestApp) =>
  Number(
    rowOf(
      t,
      "SELECT count(*) AS n FROM audit_entries WHERE entity = 'holiday-calendar' AND engagement_id = ?",
      demoEngagementId(t),
    ).n,
  );

const ics = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//EN',
    ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
const ICS = ics(
  ['DTSTART;VALUE=DATE:20251224', 'DTEND;VALUE=DATE:20251227', 'SUMMARY:Winter break'],
  ['DTSTART;VALUE=DATE:20250101', 'SUMMARY:New Year\\, observed'],
);

const daily = {
  reference: 'CC7.2-09',
  description: 'The security operations centre reviews and triages every alert raised by the SIEM the same day.',
  owner: 'SOC lead',
  frequency: 'daily',
  calendar: 'business-days',
  nature: 'it-dependent-manual',
  controlType: 'detective',
  risk: 'higher',
  isKey: 'yes',
  criteria: ['CC7.2'],
};

async function openPage(client: Client, eid: number): Promise<string> {
  const page = await client.get(`/engagements/${eid}/holidays`);
  expect(page.statusCode).toBe(200);
  return versionIn(page.body);
}

async function uploadCalendar(t: TestApp, client: Client, eid: number, file: UploadFile) {
  const version = await openPage(client, eid);
  return upload(t.app, client, `/engagements/${eid}/holidays/upload`, { version }, file);
}

describe('the holiday calendar page', () => {
  it("shows the demo's holidays, saves a pasted list in the trail, and the engagement page counts it", async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const page = await senior.get(`/engagements/${eid}/holidays`);
    expect(page.body).toContain('9 holidays');
    expect(page.body).toContain('Thanksgiving Day');
    expect(page.body).toContain('2025-12-25 Christmas Day');

    const saved = await senior.post(`/engagements/${eid}/holidays`, {
      holidays: '2025-12-25 Christmas Day\n\n2025-12-26, Boxing Day\n2026-01-01 New Year',
      version: versionIn(page.body),
    });
    expect(saved.statusCode).toBe(303);
    expect(datesOf(t, eid)).toEqual(['2025-12-25', '2025-12-26', '2026-01-01']);
    expect(lastCalendarAudit(t).holidays[1]).toEqual([
      '2025-12-25 Christmas Day',
      '2025-12-26 Boxing Day',
      '2026-01-01 New Year',
    ]);
    const after = await senior.get(`/engagements/${eid}/holidays`);
    expect(after.body).toContain('Holiday calendar saved: 3 dates.');
    expect(after.body).toContain('Outside the reporting period');
    expect((await senior.get(`/engagements/${eid}`)).body).toContain('3 holidays');

    // Saving the same list again writes nothing.
    const again = await senior.post(`/engagements/${eid}/holidays`, {
      holidays: '2026-01-01 New Year\n2025-12-26 Boxing Day\n2025-12-25 Christmas Day',
      version: versionIn(after.body),
    });
    expect(again.statusCode).toBe(303);
    expect(calendarSaves(t)).toBe(2);
    expect((await senior.get(`/engagements/${eid}/holidays`)).body).toContain('The holiday calendar is unchanged.');
  });

  it('names every bad line, keeps what was typed, and saves nothing', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const version = await openPage(senior, eid);
    const refused = await senior.post(`/engagements/${eid}/holidays`, {
      holidays: '2025-12-25 Christmas\n25/12/2025 Again\n2025-02-30 <b>Bad</b>',
      version,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Nothing was saved.');
    expect(refused.body).toContain('Line 2: &quot;25/12/2025&quot; is not a date');
    expect(refused.body).toContain('Line 3: 2025-02-30 is not a day of the calendar.');
    expect(refused.body).toContain('&lt;b&gt;Bad&lt;/b&gt;');
    expect(refused.body).not.toContain('<b>Bad</b>');
    expect(datesOf(t, eid)).toHaveLength(9);
    expect(calendarSaves(t)).toBe(1);
  });

  it('refuses a save based on a calendar someone changed meanwhile (409, their dates shown)', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const manager = await loginAs(t.app, 'manager');
    const version = await openPage(senior, eid);
    const managerVersion = await openPage(manager, eid);
    expect(
      (
        await manager.post(`/engagements/${eid}/holidays`, {
          holidays: '2025-12-24 Christmas Eve',
          version: managerVersion,
        })
      ).statusCode,
    ).toBe(303);
    const stale = await senior.post(`/engagements/${eid}/holidays`, { holidays: '2025-12-31 New Year’s Eve', version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('2025-12-24 Christmas Eve');
    expect(datesOf(t, eid)).toEqual(['2025-12-24']);
  });

  it('lets staff read the calendar but not change it, and refuses a save without the CSRF token', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const page = await staff.get(`/engagements/${eid}/holidays`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Thanksgiving Day');
    expect(page.body).not.toContain('Save the calendar');
    expect(
      (await staff.post(`/engagements/${eid}/holidays`, { holidays: '2025-12-24', version: '1' })).statusCode,
    ).toBe(403);
    expect(
      (
        await upload(
          t.app,
          staff,
          `/engagements/${eid}/holidays/upload`,
          { version: '1' },
          { name: 'h.ics', content: ICS },
        )
      ).statusCode,
    ).toBe(403);

    const senior = await loginAs(t.app, 'senior');
    const version = await openPage(senior, eid);
    expect(
      (await senior.post(`/engagements/${eid}/holidays`, { holidays: '2025-12-24', version, _csrf: null })).statusCode,
    ).toBe(403);
    const { body, contentType } = multipartBody({ version }, { name: 'h.ics', content: ICS });
    const noToken = await t.app.inject({
      method: 'POST',
      url: `/engagements/${eid}/holidays/upload`,
      payload: body,
      headers: { cookie: senior.cookie, 'content-type': contentType },
    });
    expect(noToken.statusCode).toBe(403);
    expect(datesOf(t, eid)).toHaveLength(9);
  });
});

describe('uploading a holiday calendar', () => {
  it('reads an iCalendar export, each day of a multi-day event, and records the file in the trail', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const res = await uploadCalendar(t, senior, eid, { name: 'holidays.ics', content: ICS, type: 'text/calendar' });
    expect(res.statusCode).toBe(303);
    expect(datesOf(t, eid)).toEqual(['2025-01-01', '2025-12-24', '2025-12-25', '2025-12-26']);
    expect(lastCalendarAudit(t).source).toEqual([null, 'holidays.ics (iCalendar)']);
    expect((await senior.get(`/engagements/${eid}/holidays`)).body).toContain('New Year, observed');
  });

  it('reads a CSV sheet with a header row, semicolons as Excel writes them', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const res = await uploadCalendar(t, senior, eid, {
      name: 'holidays.csv',
      content: '\uFEFFDate;Holiday\r\n2025-12-25;Christmas Day\r\n2025-12-26;Boxing Day\r\n',
      type: 'text/csv',
    });
    expect(res.statusCode).toBe(303);
    expect(datesOf(t, eid)).toEqual(['2025-12-25', '2025-12-26']);
  });

  it('answers a bad file with a clear 4xx and keeps the calendar as it was', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const cases: [UploadFile, number, string][] = [
      [
        { name: 'big.csv', content: Buffer.alloc(300 * 1024, '2025-12-25 Christmas\n') },
        413,
        'The file is larger than 256 KB',
      ],
      [
        { name: 'cal.xlsx', content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]) },
        422,
        'ZIP archive',
      ],
      [{ name: 'cal.pdf', content: '%PDF-1.7 ...' }, 422, 'The file is a PDF'],
      [{ name: 'empty.ics', content: '' }, 422, 'The file is empty.'],
      [
        { name: 'cal.ics', content: ics(['DTSTART:20251225T090000Z', 'SUMMARY:Meeting']) },
        422,
        'cal.ics, line 5: DTSTART 20251225T090000Z is a time of day',
      ],
      [
        { name: 'cal.ics', content: ics(['DTSTART;VALUE=DATE:20250101', 'RRULE:FREQ=YEARLY']) },
        422,
        'the event repeats',
      ],
      [
        { name: 'cut.ics', content: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251225\r\n' },
        422,
        'is never closed',
      ],
      [{ name: 'dates.csv', content: 'date,name\n12/25/2025,Christmas\n' }, 422, 'dates.csv, line 2:'],
    ];
    for (const [file, status, message] of cases) {
      const res = await uploadCalendar(t, senior, eid, file);
      expect(res.statusCode, file.name).toBe(status);
      expect(res.body, file.name).toContain(message);
    }
    const noFile = await uploadCalendar(t, senior, eid, { name: '', content: '' });
    expect(noFile.statusCode).toBe(422);
    expect(noFile.body).toContain('Choose a file to upload.');
    expect(datesOf(t, eid)).toHaveLength(9);
    expect(calendarSaves(t)).toBe(1);
  });
});

describe('holidays and generated occurrences', () => {
  it('leaves the holidays out of a business-day control, lists them on its population, and says when they changed since', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/new`);
    const created = await senior.post(`/engagements/${eid}/controls`, daily);
    const cid = Number(/controls\/(\d+)/.exec(String(created.headers.location))![1]);
    await senior.get(`/engagements/${eid}/controls/${cid}/population`);
    expect((await senior.post(`/engagements/${eid}/controls/${cid}/populations/generate`)).statusCode).toBe(303);
    const population = rowOf(t, "SELECT id, row_count FROM populations WHERE control_id = ? AND status = 'draft'", cid);
    expect(population.row_count).toBe(261 - 9);
    const show = await senior.get(`/engagements/${eid}/populations/${population.id}`);
    expect(show.body).toContain('9 holidays of the');
    expect(show.body).toContain('Thanksgiving Day');
    expect(show.body).not.toContain('no longer match');

    // Two more weekday holidays: the draft says it needs regenerating, and regenerating leaves them out.
    const version = await openPage(senior, eid);
    const list = (await senior.get(`/engagements/${eid}/holidays`)).body
      .match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1]!
      .replace(/&#39;/g, "'");
    expect(
      (
        await senior.post(`/engagements/${eid}/holidays`, {
          holidays: `${list}\n2025-12-24 Christmas Eve\n2025-12-26 Boxing Day`,
          version,
        })
      ).statusCode,
    ).toBe(303);
    expect(datesOf(t, eid)).toHaveLength(11);
    const stale = await senior.get(`/engagements/${eid}/populations/${population.id}`);
    expect(stale.body).toContain('it would now have 250, not 252');
    expect((await senior.get(`/engagements/${eid}/controls/${cid}/population`)).body).toContain(
      'Regenerate them before sampling.',
    );
    expect((await senior.post(`/engagements/${eid}/controls/${cid}/populations/generate`)).statusCode).toBe(303);
    const regenerated = rowOf(
      t,
      "SELECT id, row_count FROM populations WHERE control_id = ? AND status = 'draft'",
      cid,
    );
    expect(regenerated.row_count).toBe(250);
    expect(
      JSON.parse(
        String(
          rowOf(
            t,
            "SELECT changes FROM audit_entries WHERE entity = 'population' AND action = 'generate' ORDER BY id DESC LIMIT 1",
          ).changes,
        ),
      ).holidays[1],
    ).toContain('2025-12-24');
    expect((await senior.get(`/engagements/${eid}/populations/${regenerated.id}`)).body).not.toContain(
      'no longer match',
    );
  });
});
