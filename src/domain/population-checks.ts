// Checks made on every row of an imported population before it may be sampled.
import { toEpochDay, fromEpochDay } from './periods.js';
import type { DateRange, IsoDate } from './types.js';

export const DATE_FORMATS = ['iso', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const DATE_FORMAT_LABELS: Record<DateFormat, string> = {
  iso: 'YYYY-MM-DD (ISO)',
  dmy: 'DD/MM/YYYY (day first)',
  mdy: 'MM/DD/YYYY (month first)',
};

export const ISSUE_KINDS = [
  'blank-key',
  'duplicate-key',
  'unparseable-date',
  'outside-period',
  'unparseable-amount',
] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];
export const ISSUE_LABELS: Record<IssueKind, string> = {
  'blank-key': 'Blank item key',
  'duplicate-key': 'Duplicate item key',
  'unparseable-date': 'Date not understood',
  'outside-period': 'Dated outside the reporting period',
  'unparseable-amount': 'Amount not understood',
};
/** Rows with these issues are kept in the file's record but cannot be sampled. */
export const EXCLUDING_ISSUES: ReadonlySet<IssueKind> = new Set(['blank-key', 'unparseable-date', 'outside-period']);

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$/;

/** A date cell as typed or exported by the client's system → ISO date, or null when it is not one. */
export function parseItemDate(raw: string, format: DateFormat): IsoDate | null {
  const value = raw.trim();
  const iso = ISO.exec(value);
  let y: number, m: number, d: number;
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else {
    const s = SLASHED.exec(value);
    if (!s || format === 'iso') return null;
    const [a, b] = [Number(s[1]), Number(s[2])];
    [y, m, d] = format === 'dmy' ? [Number(s[3]), b, a] : [Number(s[3]), a, b];
  }
  const candidate = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  try {
    return fromEpochDay(toEpochDay(candidate));
  } catch {
    return null;
  }
}

export const AMOUNT_SCALE = 4;
const AMOUNT = /^(-)?(\d+)(?:\.(\d{1,4}))?$/;

/**
 * An amount → an exact integer in ten-thousandths, so totals tie to the cent with no floating point.
 * Accepts thousands separators, a currency symbol, and accounting negatives like `(1,200.00)`.
 */
export function parseAmount(raw: string): bigint | null {
  let value = raw.trim().replace(/[\s,$€£¥]/g, '');
  if (value === '') return null;
  let negative = false;
  if (value.startsWith('(') && value.endsWith(')')) {
    negative = true;
    value = value.slice(1, -1);
  }
  const match = AMOUNT.exec(value);
  if (!match) return null;
  const fraction = (match[3] ?? '').padEnd(AMOUNT_SCALE, '0');
  const units = BigInt(match[2]!) * 10n ** BigInt(AMOUNT_SCALE) + BigInt(fraction);
  return negative !== (match[1] === '-') ? -units : units;
}

/** Ten-thousandths → `1,234.50` with two decimals (or more when the amounts carry them). */
export function formatAmount(units: bigint, decimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(AMOUNT_SCALE);
  const whole = (abs / scale).toLocaleString('en-US');
  const fraction = (abs % scale).toString().padStart(AMOUNT_SCALE, '0').slice(0, Math.max(decimals, 0));
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

export interface RowInput {
  key: string;
  date: string;
  amount: string | null;
}

export interface RowCheck {
  key: string;
  date: IsoDate | null;
  amount: bigint | null;
  issues: IssueKind[];
}

/**
 * Checks one row. `seenKeys` carries the keys of earlier rows, so the second and later rows with a key are
 * flagged as duplicates (the first one stays sampleable).
 */
export function checkRow(row: RowInput, period: DateRange, format: DateFormat, seenKeys: Set<string>): RowCheck {
  const issues: IssueKind[] = [];
  const key = row.key.trim();
  if (key === '') issues.push('blank-key');
  else if (seenKeys.has(key)) issues.push('duplicate-key');
  else seenKeys.add(key);
  const date = parseItemDate(row.date, format);
  if (date === null) issues.push('unparseable-date');
  else if (date < period.start || date > period.end) issues.push('outside-period');
  let amount: bigint | null = null;
  if (row.amount !== null && row.amount.trim() !== '') {
    amount = parseAmount(row.amount);
    if (amount === null) issues.push('unparseable-amount');
  }
  return { key, date, amount, issues };
}

export function isSampleable(issues: readonly IssueKind[]): boolean {
  return !issues.some((i) => EXCLUDING_ISSUES.has(i));
}

export interface ItemDating {
  /** The column holding each item's date, or null. */
  dateColumn: number | null;
  /** One date for the whole list, or null. */
  asAt: IsoDate | null;
  /** The control is automated: its population may be a configuration listing, dated as a whole. */
  automated: boolean;
  window: DateRange;
}

/**
 * How a list's items get their dates: each from a column, or (an automated control's configuration listing, a
 * snapshot of settings rather than a record of events) all from one "as at" date inside the window. Null when
 * the mapping is sound; otherwise the field to blame and what to do.
 */
export function itemDatingProblem({
  dateColumn,
  asAt,
  automated,
  window,
}: ItemDating): { field: 'date' | 'asAt'; message: string } | null {
  if (dateColumn !== null && asAt !== null)
    return { field: 'asAt', message: 'Give either the date column or one as-at date for the whole list, not both.' };
  if (asAt === null)
    return dateColumn === null
      ? {
          field: 'date',
          message: automated
            ? 'Choose the column that holds the item date, or give the as-at date of the configuration listing.'
            : 'Choose the column that holds the item date.',
        }
      : null;
  if (!automated)
    return {
      field: 'date',
      message:
        'Only an automated control’s configuration listing is dated as a whole: choose the column that holds each item’s date.',
    };
  if (asAt < window.start || asAt > window.end)
    return {
      field: 'asAt',
      message: `The as-at date must fall within the window it covers (${window.start} to ${window.end}).`,
    };
  return null;
}
