import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRow,
  formatAmount,
  isSampleable,
  itemDatingProblem,
  parseAmount,
  parseItemDate,
} from '../../src/domain/population-checks.js';

const period = { start: '2025-01-01', end: '2025-12-31' };

describe('parseItemDate', () => {
  it('reads ISO dates and timestamps', () => {
    expect(parseItemDate('2025-03-04', 'iso')).toBe('2025-03-04');
    expect(parseItemDate('2025-3-4', 'iso')).toBe('2025-03-04');
    expect(parseItemDate('2025-03-04T23:59:59Z', 'iso')).toBe('2025-03-04');
    expect(parseItemDate('2025-03-04 10:00', 'dmy')).toBe('2025-03-04');
  });
  it('reads slashed dates in the chosen order', () => {
    expect(parseItemDate('04/03/2025', 'dmy')).toBe('2025-03-04');
    expect(parseItemDate('04/03/2025', 'mdy')).toBe('2025-04-03');
    expect(parseItemDate('31.12.2025', 'dmy')).toBe('2025-12-31');
    expect(parseItemDate('04/03/2025', 'iso')).toBeNull();
  });
  it('refuses days that do not exist', () => {
    expect(parseItemDate('2025-02-29', 'iso')).toBeNull();
    expect(parseItemDate('2024-02-29', 'iso')).toBe('2024-02-29');
    expect(parseItemDate('31/04/2025', 'dmy')).toBeNull();
    expect(parseItemDate('13/13/2025', 'mdy')).toBeNull();
    expect(parseItemDate('yesterday', 'iso')).toBeNull();
    expect(parseItemDate('', 'iso')).toBeNull();
  });
});

describe('parseAmount', () => {
  it('reads amounts exactly, in ten-thousandths', () => {
    expect(parseAmount('1,234.56')).toBe(12_345_600n);
    expect(parseAmount('$0.1')).toBe(1_000n);
    expect(parseAmount('-7')).toBe(-70_000n);
    expect(parseAmount('(1,200.00)')).toBe(-12_000_000n);
    expect(parseAmount('12.34567')).toBeNull();
    expect(parseAmount('1.2.3')).toBeNull();
    expect(parseAmount('abc')).toBeNull();
  });
  it('sums without floating-point error', () => {
    const total = Array.from({ length: 10 }, () => parseAmount('0.10')!).reduce((a, b) => a + b, 0n);
    expect(formatAmount(total)).toBe('1.00');
  });
  it('round-trips any cent amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (cents) => {
        const text = `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${String((cents < 0n ? -cents : cents) % 100n).padStart(2, '0')}`;
        expect(parseAmount(text)).toBe(cents * 100n);
        expect(formatAmount(cents * 100n).replace(/,/g, '')).toBe(text);
      }),
    );
  });
});

describe('checkRow', () => {
  it('flags blank keys, later duplicates, dates outside the period and bad amounts', () => {
    const seen = new Set<string>();
    expect(checkRow({ key: 'CHG-1', date: '2025-01-01', amount: '10' }, period, 'iso', seen).issues).toEqual([]);
    expect(checkRow({ key: 'CHG-1', date: '2025-06-01', amount: null }, period, 'iso', seen).issues).toEqual([
      'duplicate-key',
    ]);
    expect(checkRow({ key: '  ', date: '2025-06-01', amount: null }, period, 'iso', seen).issues).toEqual([
      'blank-key',
    ]);
    expect(checkRow({ key: 'CHG-2', date: '2026-01-01', amount: 'x' }, period, 'iso', seen).issues).toEqual([
      'outside-period',
      'unparseable-amount',
    ]);
    expect(checkRow({ key: 'CHG-3', date: '2024-12-31', amount: '' }, period, 'iso', seen).issues).toEqual([
      'outside-period',
    ]);
    expect(checkRow({ key: 'CHG-4', date: '01/02/2025', amount: '' }, period, 'iso', seen).issues).toEqual([
      'unparseable-date',
    ]);
  });
  it('excludes from sampling only rows that cannot be placed in the period', () => {
    expect(isSampleable(['duplicate-key'])).toBe(true);
    expect(isSampleable(['unparseable-amount'])).toBe(true);
    expect(isSampleable(['outside-period'])).toBe(false);
    expect(isSampleable(['blank-key'])).toBe(false);
  });
  it('flags exactly the rows whose key appeared before', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'B', 'C', 'D'), { maxLength: 30 }), (keys) => {
        const seen = new Set<string>();
        const flagged = keys.map((key) =>
          checkRow({ key, date: '2025-05-05', amount: null }, period, 'iso', seen).issues.includes('duplicate-key'),
        );
        keys.forEach((key, i) => expect(flagged[i]).toBe(keys.indexOf(key) < i));
      }),
    );
  });
});

describe('itemDatingProblem', () => {
  const window = { start: '2025-01-01', end: '2025-12-31' };
  it('takes a date column for any control', () => {
    expect(itemDatingProblem({ dateColumn: 1, asAt: null, automated: false, window })).toBeNull();
    expect(itemDatingProblem({ dateColumn: 1, asAt: null, automated: true, window })).toBeNull();
  });
  it('takes one as-at date for an automated control’s listing, inside the window', () => {
    expect(itemDatingProblem({ dateColumn: null, asAt: '2025-12-31', automated: true, window })).toBeNull();
    expect(itemDatingProblem({ dateColumn: null, asAt: '2026-01-01', automated: true, window })).toEqual({
      field: 'asAt',
      message: expect.stringContaining('within the window'),
    });
  });
  it('refuses an as-at date for a manual control, both at once, or neither', () => {
    expect(itemDatingProblem({ dateColumn: null, asAt: '2025-06-30', automated: false, window })?.field).toBe('date');
    expect(itemDatingProblem({ dateColumn: 2, asAt: '2025-06-30', automated: true, window })?.message).toMatch(
      /not both/,
    );
    expect(itemDatingProblem({ dateColumn: null, asAt: null, automated: false, window })).toEqual({
      field: 'date',
      message: 'Choose the column that holds the item date.',
    });
    expect(itemDatingProblem({ dateColumn: null, asAt: null, automated: true, window })?.message).toMatch(/as-at date/);
  });
});
