import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  archiveRefusal,
  assemblyDeadline,
  fileDates,
  reportDateOf,
  retainUntil,
} from '../../src/domain/file-assembly.js';
import { addYearsIso, fromEpochDay, toEpochDay } from '../../src/domain/periods.js';

const dateArb = fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2060-12-31') }).map(fromEpochDay);
const policyArb = fc.record({
  assemblyDays: fc.integer({ min: 1, max: 365 }),
  retentionYears: fc.integer({ min: 1, max: 30 }),
});

describe('report date', () => {
  it('prefers the approval day over the planned report date', () => {
    expect(reportDateOf({ approvedAt: '2026-03-02T23:59:00.000Z', plannedReportDate: '2026-02-27' })).toEqual({
      date: '2026-03-02',
      approved: true,
    });
    expect(reportDateOf({ approvedAt: null, plannedReportDate: '2026-02-27' })).toEqual({
      date: '2026-02-27',
      approved: false,
    });
    expect(reportDateOf({ approvedAt: null, plannedReportDate: null })).toBeNull();
  });
});

describe('assembly deadline and retention', () => {
  it('defaults to 60 days and 7 years', () => {
    expect(assemblyDeadline('2026-02-27')).toBe('2026-04-28');
    expect(retainUntil('2026-02-27')).toBe('2033-02-27');
    expect(fileDates({ approvedAt: null, plannedReportDate: '2024-02-29' })).toEqual({
      reportDate: '2024-02-29',
      approved: false,
      assemblyDeadline: '2024-04-29',
      retainUntil: '2031-02-28',
    });
  });

  it('crosses year ends and leap days', () => {
    expect(assemblyDeadline('2025-12-15', { assemblyDays: 60, retentionYears: 5 })).toBe('2026-02-13');
    expect(assemblyDeadline('2023-12-31', { assemblyDays: 60, retentionYears: 5 })).toBe('2024-02-29');
    expect(addYearsIso('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('the deadline is exactly N days on, whatever the date', () => {
    fc.assert(
      fc.property(
        dateArb,
        policyArb,
        (date, policy) => toEpochDay(assemblyDeadline(date, policy)) - toEpochDay(date) === policy.assemblyDays,
      ),
    );
  });

  it('retention keeps the month, keeps the day unless the month is shorter, and is never before the deadline within a year', () => {
    fc.assert(
      fc.property(dateArb, policyArb, (date, policy) => {
        const until = retainUntil(date, policy);
        expect(Number(until.slice(0, 4)) - Number(date.slice(0, 4))).toBe(policy.retentionYears);
        expect(until.slice(5, 7)).toBe(date.slice(5, 7));
        expect(until.slice(8) === date.slice(8) || date.slice(5) === '02-29').toBe(true);
        expect(until >= assemblyDeadline(date, policy)).toBe(true);
      }),
    );
  });

  it('later reports are never retained for a shorter time', () => {
    fc.assert(
      fc.property(dateArb, dateArb, policyArb, (a, b, policy) =>
        a <= b ? retainUntil(a, policy) <= retainUntil(b, policy) : true,
      ),
    );
  });
});

describe('archive refusal', () => {
  it('only an approved, locked and not yet archived engagement can be archived', () => {
    expect(archiveRefusal({ lockedAt: null, approvedAt: null, archivedAt: null })).toMatch(/approved/);
    expect(archiveRefusal({ lockedAt: '2026-03-01T10:00:00Z', approvedAt: null, archivedAt: null })).toMatch(
      /approved/,
    );
    expect(
      archiveRefusal({ lockedAt: '2026-03-01T10:00:00Z', approvedAt: '2026-03-01T10:00:00Z', archivedAt: null }),
    ).toBeNull();
    expect(
      archiveRefusal({
        lockedAt: '2026-03-01T10:00:00Z',
        approvedAt: '2026-03-01T10:00:00Z',
        archivedAt: '2026-03-05T10:00:00Z',
      }),
    ).toMatch(/archived on 2026-03-05/);
  });
});
