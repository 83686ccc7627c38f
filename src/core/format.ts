// Formatting helpers the templates share.
import { format, parseISO } from 'date-fns';
import { formatAmount } from '../domain/population-checks.js';
import { capitalized, vocabularyOf } from '../domain/vocabulary.js';

/** An uploaded file's name without invisible characters (names stored before they were stripped included). */
export { shownFileName as fileName } from './files/file-names.js';

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `2025-01-31` → `31 Jan 2025`; calendar dates are shown exactly as stored, never shifted by a time zone. */
export function date(iso: string | null | undefined): string {
  if (!iso) return '';
  if (!PLAIN_DATE.test(iso)) return iso;
  return format(parseISO(iso), 'd MMM yyyy');
}

/** A stored UTC timestamp shown as `2025-03-04 14:05 UTC`. */
export function timestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function period(start: string, end: string): string {
  return `${date(start)} – ${date(end)}`;
}

/** What the report covers: a Type II period, or the one date a Type I report is as of. */
export function reportDates(e: { reportType: string; periodStart: string; periodEnd: string }): string {
  return e.reportType === 'type1' ? `as of ${date(e.periodEnd)}` : period(e.periodStart, e.periodEnd);
}

const numberFormats = new Map<number, Intl.NumberFormat>();

export function number(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  let formatter = numberFormats.get(digits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(digits, formatter);
  }
  return formatter.format(n);
}

export const FRAMEWORK_LABELS: Record<string, string> = {
  soc1: 'SOC 1',
  soc2: 'SOC 2',
  isae3402: 'ISAE 3402',
  isae3000: 'ISAE 3000',
};

/** "Type II" (SOC) or "Type 2" (ISAE), from the vocabulary; an unknown report type reads as stored. */
export const reportTypeLabel = (framework: string, reportType: string): string =>
  vocabularyOf(framework).reportTypeLabel[reportType as 'type1' | 'type2'] ?? reportType;

export const STATUS_LABELS: Record<string, string> = {
  planning: 'Planning',
  fieldwork: 'Fieldwork',
  review: 'Review',
  completed: 'Completed',
  archived: 'Archived',
};

export const CATEGORY_LABELS: Record<string, string> = {
  security: 'Security',
  availability: 'Availability',
  confidentiality: 'Confidentiality',
  'processing-integrity': 'Processing Integrity',
  privacy: 'Privacy',
};

export const SUBSERVICE_METHOD_LABELS: Record<string, string> = { 'carve-out': 'Carve-out', inclusive: 'Inclusive' };

/** An exact stored amount (ten-thousandths, as text) shown with two decimals. */
export function amount(units: string | null | undefined): string {
  if (units === null || units === undefined || units === '') return '';
  return formatAmount(BigInt(units));
}

export function percent(fraction: number | string | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || fraction === '') return '';
  return `${(Number(fraction) * 100).toFixed(digits)}%`;
}

/** "1 item", "2 items", "0 controls": the one pluralising helper every template and message uses. */
export { plural, pluralOf, singular } from '../domain/plural.js';

/** "Service organisation" from "service organisation": a vocabulary term at the head of a label. */
export { capitalized };
