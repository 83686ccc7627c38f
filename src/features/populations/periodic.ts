// Periodic populations: the occurrences of a fixed-frequency control over its window, as population items.
import { occurrences, type Occurrence } from '../../domain/periods.js';
import type { DateRange, PeriodicFrequency } from '../../domain/types.js';
import * as fmt from '../shared/format.js';
import type { ItemValues } from './item-writer.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A short, stable key an auditor would write on a tickmark: 2025-Q1, 2025-03, 2025-03 H2, week of …, day. */
export function occurrenceKey(frequency: PeriodicFrequency, o: Occurrence): string {
  const [y, m] = o.start.split('-').map(Number) as [number, number];
  switch (frequency) {
    case 'annual':
      return String(y);
    case 'quarterly':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
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
  const base = frequency === 'monthly' ? `${MONTHS[m - 1]} ${y}` : frequency === 'daily' ? fmt.date(o.start) : fmt.period(o.start, o.end);
  return o.partial ? `${base} (partial period)` : base;
}

export function periodicItems(populationId: number, frequency: PeriodicFrequency, window: DateRange, holidays: readonly string[]): ItemValues[] {
  return occurrences(frequency, window, { holidays }).map((o, i) => ({
    populationId,
    rowNumber: i + 1,
    position: i,
    key: occurrenceKey(frequency, o),
    itemDate: o.start,
    itemEnd: o.end,
    description: occurrenceDescription(frequency, o),
    amount: null,
    partial: o.partial,
    issues: '',
    extra: null,
  }));
}
