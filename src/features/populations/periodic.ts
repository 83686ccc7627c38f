// Periodic populations: the occurrences of a fixed-frequency control over its window, as population items.
import { occurrences, periodPosition, type Occurrence } from '../../domain/periods.js';
import type { DateRange, IsoDate, OccurrenceCalendar, PeriodicFrequency } from '../../domain/types.js';
import * as fmt from '../../core/format.js';
import type { ItemValues } from './item-writer.js';
import { MONTH_NAMES } from '../../domain/month-names.js';

/** How the control's occurrences are counted: from the reporting period's start, on which days. */
export interface OccurrenceBasis {
  periodStart: IsoDate;
  calendar: OccurrenceCalendar;
  holidays: readonly IsoDate[];
}

/** A calendar year is named by its number (2025); any other year by both of its years (FY2024/25). */
function yearLabel(year: DateRange): string {
  const [from, to] = [year.start.slice(0, 4), year.end.slice(0, 4)];
  return year.start.slice(5) === '01-01' ? from : `FY${from}/${to.slice(2)}`;
}

/** A short, stable key an auditor would write on a tickmark: 2025-Q1 (FY2024/25-Q1), 2025-H2, 2025-03, 2025-03 H2, week of …, day. */
export function occurrenceKey(frequency: PeriodicFrequency, o: Occurrence, periodStart: IsoDate): string {
  switch (frequency) {
    case 'annual':
    case 'semi-annual':
    case 'quarterly': {
      const { year, number } = periodPosition(frequency, o.start, periodStart);
      const suffix = frequency === 'annual' ? '' : frequency === 'quarterly' ? `-Q${number}` : `-H${number}`;
      return `${yearLabel(year)}${suffix}`;
    }
    case 'monthly':
      return o.start.slice(0, 7);
    case 'semi-monthly':
      return `${o.start.slice(0, 7)} ${Number(o.start.slice(8)) <= 15 ? 'H1' : 'H2'}`;
    case 'weekly':
      return `W/C ${o.start}`;
    case 'daily':
      return o.start;
  }
}

function occurrenceDescription(frequency: PeriodicFrequency, o: Occurrence): string {
  const [y, m] = o.start.split('-').map(Number) as [number, number];
  const base =
    frequency === 'monthly'
      ? `${MONTH_NAMES[m - 1]} ${y}`
      : frequency === 'daily'
        ? fmt.date(o.start)
        : fmt.period(o.start, o.end);
  return o.partial ? `${base} (partial period)` : base;
}

export function periodicItems(
  populationId: number,
  frequency: PeriodicFrequency,
  window: DateRange,
  basis: OccurrenceBasis,
): ItemValues[] {
  const { periodStart, calendar, holidays } = basis;
  return occurrences(frequency, window, { holidays, calendar, periodStart }).map((o, i) => ({
    populationId,
    rowNumber: i + 1,
    position: i,
    key: occurrenceKey(frequency, o, periodStart),
    itemDate: o.start,
    itemEnd: o.end,
    description: occurrenceDescription(frequency, o),
    amount: null,
    partial: o.partial,
    issues: '',
    extra: null,
  }));
}
