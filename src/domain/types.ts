// Vocabulary shared by the pure rules and the features that store it.

export const FREQUENCIES = [
  'annual',
  'semi-annual',
  'quarterly',
  'monthly',
  'semi-monthly',
  'weekly',
  'daily',
  'multiple-daily',
  'event-driven',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Frequencies whose population is generated from the calendar rather than imported. */
export const PERIODIC_FREQUENCIES = [
  'annual',
  'semi-annual',
  'quarterly',
  'monthly',
  'semi-monthly',
  'weekly',
  'daily',
] as const;
export type PeriodicFrequency = (typeof PERIODIC_FREQUENCIES)[number];

/** The days a daily control operates on: business days (no weekend or holiday) or every day of the week. */
export const OCCURRENCE_CALENDARS = ['business-days', 'every-day'] as const;
export type OccurrenceCalendar = (typeof OCCURRENCE_CALENDARS)[number];

export const NATURES = ['manual', 'automated', 'it-dependent-manual'] as const;
export type Nature = (typeof NATURES)[number];

export const RISKS = ['lower', 'higher'] as const;
export type Risk = (typeof RISKS)[number];

export const CONTROL_TYPES = ['preventive', 'detective'] as const;
export type ControlType = (typeof CONTROL_TYPES)[number];

/** A plain calendar date, `YYYY-MM-DD`, with no time zone. */
export type IsoDate = string;

export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

export const CONCLUSIONS = ['no-exceptions', 'exceptions-effective', 'not-effective', 'no-testing'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];
