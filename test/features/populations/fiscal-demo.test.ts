import { describe, expect, it } from 'vitest';
import { buildTestApp, loginAs, type TestApp } from '../../helpers/app.js';

const all = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];

describe('the demo fiscal-year engagement', () => {
  it('counts years and quarters from 1 October, months by the calendar, and daily controls by their calendar and the fiscal holidays', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    expect((await senior.get('/engagements')).body).toContain('Harborview Payroll Co.');
    const eid = Number(all(t, "SELECT id FROM engagements WHERE client_name = 'Harborview Payroll Co.'")[0]!.id);
    const occurrencesOf = (reference: string) =>
      all(
        t,
        "SELECT i.key AS key, i.item_date AS start, i.item_end AS end FROM population_items i JOIN populations p ON p.id = i.population_id JOIN controls c ON c.id = p.control_id WHERE c.engagement_id = ? AND c.reference = ? AND p.status = 'draft' ORDER BY i.position",
        eid,
        reference,
      );

    expect(occurrencesOf('HP-RA-01')).toEqual([{ key: 'FY2024/25', start: '2024-10-01', end: '2025-09-30' }]);
    expect(occurrencesOf('HP-AC-01').map((o) => `${o.key} ${o.start}`)).toEqual([
      'FY2024/25-Q1 2024-10-01',
      'FY2024/25-Q2 2025-01-01',
      'FY2024/25-Q3 2025-04-01',
      'FY2024/25-Q4 2025-07-01',
    ]);
    const months = occurrencesOf('HP-VM-01');
    expect(months).toHaveLength(12);
    expect([months[0]!.start, months[11]!.end]).toEqual(['2024-10-01', '2025-09-30']);
    // 261 weekdays from 1 October 2024 to 30 September 2025, less the 11 weekday holidays of the fiscal year.
    const businessDays = occurrencesOf('HP-PT-01').map((o) => o.start);
    expect(businessDays).toHaveLength(261 - 11);
    expect(businessDays).not.toContain('2024-11-28');
    expect(occurrencesOf('HP-MON-01')).toHaveLength(365);

    const holidays = await senior.get(`/engagements/${eid}/holidays`);
    expect(holidays.body).toContain('11 holidays');
    expect(holidays.body).not.toContain('Outside the reporting period');
    const control = Number(
      all(t, "SELECT id FROM controls WHERE engagement_id = ? AND reference = 'HP-AC-01'", eid)[0]!.id,
    );
    const page = await senior.get(`/engagements/${eid}/controls/${control}/population`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Counted from the start of the reporting period, 1 Oct 2024.');
  });
});
