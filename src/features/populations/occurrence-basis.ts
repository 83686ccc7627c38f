// What a periodic population's occurrences are generated from (the period's start, the control's calendar, the
// engagement's holidays), and whether a population generated earlier still matches it.
import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { populationItems } from '../../db/schema/index.js';
import { holidaysWithin } from '../../domain/holiday-calendar.js';
import { occurrences } from '../../domain/periods.js';
import { PERIODIC_FREQUENCIES, type PeriodicFrequency } from '../../domain/types.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { holidaysOf, type HolidayRow } from '../holidays/index.js';
import type { OccurrenceBasis } from './periodic.js';
import type { ControlRow, PopulationRow } from './queries.js';

export function occurrenceBasis(db: Tx, engagement: EngagementRow, control: ControlRow): OccurrenceBasis {
  return {
    periodStart: engagement.periodStart,
    calendar: control.calendar,
    holidays: holidaysOf(db, engagement.id).map((h) => h.date),
  };
}

export interface CalendarNote {
  /** 'business-days' and 'every-day' for daily controls; 'anchored' for years, half-years and quarters. */
  kind: 'business-days' | 'every-day' | 'anchored' | 'calendar';
  periodStart: string;
  /** The holidays inside the window, left out of a business-day control's occurrences. */
  holidays: HolidayRow[];
}

/** How the page explains a periodic control's occurrences over a window. */
export function calendarNote(
  db: Tx,
  engagement: EngagementRow,
  control: ControlRow,
  window: { start: string; end: string },
): CalendarNote {
  const frequency = control.frequency;
  const kind =
    frequency === 'daily'
      ? control.calendar
      : ['annual', 'semi-annual', 'quarterly'].includes(frequency)
        ? 'anchored'
        : 'calendar';
  const holidays = kind === 'business-days' ? holidaysWithin(holidaysOf(db, engagement.id), window) : [];
  return { kind, periodStart: engagement.periodStart, holidays };
}

export interface Regeneration {
  then: number;
  now: number;
}

/**
 * A generated population whose occurrences are no longer those its control would get now (its frequency or
 * calendar, or the holiday calendar, changed since): the counts then and now. Null when it still matches.
 */
export function regenerationNeeded(
  db: Tx,
  engagement: EngagementRow,
  control: ControlRow,
  population: PopulationRow,
): Regeneration | null {
  if (population.kind !== 'periodic' || population.status === 'replaced') return null;
  const frequency = control.frequency;
  if (!(PERIODIC_FREQUENCIES as readonly string[]).includes(frequency)) return null;
  const expected = occurrences(
    frequency as PeriodicFrequency,
    { start: population.windowStart, end: population.windowEnd },
    occurrenceBasis(db, engagement, control),
  );
  const stored = db
    .select({ start: populationItems.itemDate, end: populationItems.itemEnd })
    .from(populationItems)
    .where(eq(populationItems.populationId, population.id))
    .orderBy(asc(populationItems.position))
    .all();
  const same =
    stored.length === expected.length &&
    stored.every((s, i) => s.start === expected[i]!.start && s.end === expected[i]!.end);
  // biome-ignore lint/suspicious/noThenProperty: a plain record read by the calendar note, never awaited.
  return same ? null : { then: stored.length, now: expected.length };
}
