// The pieces every drafted report paragraph is built from: the report's context, its dates in the standard's
// style, and the phrases the opinion, basis and disclosure paragraphs share (see opinion-wording.ts).

import { usesCriteria, type Framework } from './criteria.js';
import { isInternational } from './vocabulary.js';
import type { ReportType } from './opinion.js';
import type { IsoDate } from './types.js';
import { MONTH_NAMES } from './month-names.js';

export interface DraftSection {
  heading: string;
  paragraphs: string[];
}

export interface ReportContext {
  framework: Framework;
  serviceOrganization: string;
  systemName: string;
  periodStart: IsoDate;
  /** The as-of date of a Type I report. */
  periodEnd: IsoDate;
  /** Default 'type2'. */
  reportType?: ReportType;
}

export const international = isInternational;

/** "January 1, 2025" for SOC (US), "1 January 2025" for ISAE. */
export function formatDate(framework: Framework, date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (!m || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): "${date}"`);
  }
  const name = MONTH_NAMES[month - 1]!;
  return international(framework) ? `${day} ${name} ${year}` : `${name} ${day}, ${year}`;
}

/** "January 1, 2025 to December 31, 2025" (SOC) or "1 January 2025 to 31 December 2025" (ISAE). */
export function formatPeriod(framework: Framework, start: IsoDate, end: IsoDate): string {
  if (start > end) throw new RangeError(`the period ends (${end}) before it starts (${start})`);
  return `${formatDate(framework, start)} to ${formatDate(framework, end)}`;
}

/** US style keeps the serial comma; ISAE reports are usually written without it. */
export function joinList(framework: Framework, items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  const serial = international(framework) ? '' : ',';
  return `${items.slice(0, -1).join(', ')}${serial} and ${items[items.length - 1]}`;
}

export const typeOne = (c: ReportContext) => c.reportType === 'type1';

/** "throughout the period January 1, 2025 to December 31, 2025", or "as of December 31, 2025" for Type I. */
export const throughout = (c: ReportContext) =>
  typeOne(c)
    ? `as of ${formatDate(c.framework, c.periodEnd)}`
    : `throughout the period ${international(c.framework) ? 'from ' : ''}${formatPeriod(c.framework, c.periodStart, c.periodEnd)}`;
export const thatPeriod = (c: ReportContext) => (typeOne(c) ? 'as of that date' : 'throughout that period');

/** "for the period …" in a Type II report's labels, "as of …" in a Type I report's. */
export function coveredBy(c: ReportContext): string {
  return typeOne(c)
    ? `as of ${formatDate(c.framework, c.periodEnd)}`
    : `for the period ${formatPeriod(c.framework, c.periodStart, c.periodEnd)}`;
}
export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
export const quoted = (s: string) => `“${s.trim()}”`;

export function sentence(text: string): string {
  const t = capitalize(text.trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** What the controls are meant to achieve, as the opinion states it. */
export function assuranceTarget(c: ReportContext, tense: 'are' | 'were' | 'would be'): string {
  return usesCriteria(c.framework)
    ? `${c.serviceOrganization}'s service commitments and system requirements ${tense} achieved based on the applicable trust services criteria`
    : `the control objectives stated in the description ${tense} achieved`;
}
