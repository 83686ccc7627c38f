import { describe, expect, it } from 'vitest';
import { periodicItems } from '../../../src/features/populations/periodic.js';

const keys = (...args: Parameters<typeof periodicItems>) =>
  periodicItems(...args).map((i) => [i.key, i.itemDate, i.itemEnd, i.partial]);
const basis = (
  periodStart: string,
  calendar: 'business-days' | 'every-day' = 'business-days',
  holidays: string[] = [],
) => ({ periodStart, calendar, holidays });

describe('periodic population items', () => {
  it('names calendar-year occurrences by the calendar', () => {
    const year = { start: '2025-01-01', end: '2025-12-31' };
    expect(keys(1, 'annual', year, basis('2025-01-01'))).toEqual([['2025', '2025-01-01', '2025-12-31', false]]);
    expect(keys(1, 'quarterly', year, basis('2025-01-01')).map((k) => k[0])).toEqual([
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
    ]);
    expect(keys(1, 'semi-annual', year, basis('2025-01-01')).map((k) => k[0])).toEqual(['2025-H1', '2025-H2']);
  });

  it("names a fiscal year's occurrences by the fiscal year, one annual and four quarters from its start", () => {
    const fiscal = { start: '2024-10-01', end: '2025-09-30' };
    expect(keys(1, 'annual', fiscal, basis('2024-10-01'))).toEqual([['FY2024/25', '2024-10-01', '2025-09-30', false]]);
    expect(keys(1, 'quarterly', fiscal, basis('2024-10-01'))).toEqual([
      ['FY2024/25-Q1', '2024-10-01', '2024-12-31', false],
      ['FY2024/25-Q2', '2025-01-01', '2025-03-31', false],
      ['FY2024/25-Q3', '2025-04-01', '2025-06-30', false],
      ['FY2024/25-Q4', '2025-07-01', '2025-09-30', false],
    ]);
    // Tested from a change on 15 February: the quarters stay the fiscal year's, the first one clipped.
    expect(
      keys(1, 'quarterly', { start: '2025-02-15', end: '2025-09-30' }, basis('2024-10-01')).map((k) => [k[0], k[3]]),
    ).toEqual([
      ['FY2024/25-Q2', true],
      ['FY2024/25-Q3', false],
      ['FY2024/25-Q4', false],
    ]);
  });

  it('counts every day for a control on the every-day calendar, and business days without holidays otherwise', () => {
    const week = { start: '2025-12-22', end: '2025-12-28' };
    expect(periodicItems(1, 'daily', week, basis('2025-01-01', 'every-day', ['2025-12-25']))).toHaveLength(7);
    expect(
      periodicItems(1, 'daily', week, basis('2025-01-01', 'business-days', ['2025-12-25'])).map((i) => i.key),
    ).toEqual(['2025-12-22', '2025-12-23', '2025-12-24', '2025-12-26']);
  });
});
