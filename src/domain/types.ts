// Vocabulary shared by the pure rules and the features that store it.

export const FREQUENCIES = [
  'annual',
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
export const PERIODIC_FREQUENCIES = ['annual', 'quarterly', 'monthly', 'semi-monthly', 'weekly', 'daily'] as const;
export type PeriodicFrequency = (typeof PERIODIC_FREQUENCIES)[number];

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
