// What an engagement's report covers: a Type II period, or the one date a Type I report is as of.
import { validateReportingPeriod } from './periods.js';
import type { IsoDate } from './types.js';

/** The warnings an engagement's dates deserve: a Type I report is as of one date, so it has no period to warn about. */
export function engagementDateWarnings(e: {
  reportType: 'type1' | 'type2';
  periodStart: IsoDate;
  periodEnd: IsoDate;
}): string[] {
  return e.reportType === 'type1' ? [] : validateReportingPeriod({ start: e.periodStart, end: e.periodEnd }).warnings;
}
