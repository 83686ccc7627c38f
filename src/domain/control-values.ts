// The values of a control's choice fields: their labels, the words clients write for them in a matrix, and
// the readers that turn a cell into a value.
import {
  CONTROL_TYPES,
  FREQUENCIES,
  NATURES,
  OCCURRENCE_CALENDARS,
  RISKS,
  type ControlType,
  type Frequency,
  type Nature,
  type OccurrenceCalendar,
  type Risk,
} from './types.js';

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  annual: 'Annual',
  'semi-annual': 'Semi-annual',
  quarterly: 'Quarterly',
  monthly: 'Monthly',
  'semi-monthly': 'Semi-monthly',
  weekly: 'Weekly',
  daily: 'Daily',
  'multiple-daily': 'Multiple times a day',
  'event-driven': 'Event-driven',
};

export const NATURE_LABELS: Record<Nature, string> = {
  manual: 'Manual',
  automated: 'Automated',
  'it-dependent-manual': 'IT-dependent manual',
};
export const CONTROL_TYPE_LABELS: Record<ControlType, string> = { preventive: 'Preventive', detective: 'Detective' };
export const RISK_LABELS: Record<Risk, string> = { lower: 'Lower', higher: 'Higher' };
export const CALENDAR_LABELS: Record<OccurrenceCalendar, string> = {
  'business-days': 'Business days',
  'every-day': 'Every day',
};

const FREQUENCY_WORDS: Record<string, Frequency> = {
  annually: 'annual',
  yearly: 'annual',
  'once a year': 'annual',
  'semi-annually': 'semi-annual',
  semiannual: 'semi-annual',
  semiannually: 'semi-annual',
  'half-yearly': 'semi-annual',
  'twice a year': 'semi-annual',
  quarter: 'quarterly',
  'once a quarter': 'quarterly',
  month: 'monthly',
  'once a month': 'monthly',
  semimonthly: 'semi-monthly',
  'twice a month': 'semi-monthly',
  'twice monthly': 'semi-monthly',
  week: 'weekly',
  'once a week': 'weekly',
  day: 'daily',
  'once a day': 'daily',
  'multiple times per day': 'multiple-daily',
  'multiple times daily': 'multiple-daily',
  'several times a day': 'multiple-daily',
  recurring: 'multiple-daily',
  continuous: 'multiple-daily',
  'event driven': 'event-driven',
  event: 'event-driven',
  'per event': 'event-driven',
  'per occurrence': 'event-driven',
  'as needed': 'event-driven',
  'as required': 'event-driven',
  'ad hoc': 'event-driven',
  'ad-hoc': 'event-driven',
  'on occurrence': 'event-driven',
};

const NATURE_WORDS: Record<string, Nature> = {
  automatic: 'automated',
  'it dependent manual': 'it-dependent-manual',
  'it-dependent': 'it-dependent-manual',
  'it dependent': 'it-dependent-manual',
  itdm: 'it-dependent-manual',
  'manual (it-dependent)': 'it-dependent-manual',
  'manual it-dependent': 'it-dependent-manual',
  'semi-automated': 'it-dependent-manual',
};

const TYPE_WORDS: Record<string, ControlType> = {
  preventative: 'preventive',
  prevent: 'preventive',
  detect: 'detective',
  p: 'preventive',
  d: 'detective',
};

function lookup<T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  words: Record<string, T>,
  cell: string,
): T | null {
  const word = cell.toLowerCase().replace(/\s+/g, ' ').trim();
  const direct = values.find((v) => v === word || labels[v].toLowerCase() === word);
  return direct ?? words[word] ?? null;
}

const CALENDAR_WORDS: Record<string, OccurrenceCalendar> = {
  business: 'business-days',
  'business day': 'business-days',
  'working days': 'business-days',
  weekdays: 'business-days',
  'monday to friday': 'business-days',
  'mon-fri': 'business-days',
  everyday: 'every-day',
  'all days': 'every-day',
  '7 days': 'every-day',
  'seven days a week': 'every-day',
  '7 days a week': 'every-day',
  '24/7': 'every-day',
};

export const readFrequency = (cell: string) => lookup(FREQUENCIES, FREQUENCY_LABELS, FREQUENCY_WORDS, cell);
export const readNature = (cell: string) => lookup(NATURES, NATURE_LABELS, NATURE_WORDS, cell);
export const readControlType = (cell: string) => lookup(CONTROL_TYPES, CONTROL_TYPE_LABELS, TYPE_WORDS, cell);

/** A blank cell means business days, the calendar most daily controls keep. */
export function readCalendar(cell: string): OccurrenceCalendar | null {
  return cell.trim() === '' ? 'business-days' : lookup(OCCURRENCE_CALENDARS, CALENDAR_LABELS, CALENDAR_WORDS, cell);
}

/** Only a daily control has a calendar to choose; every other frequency keeps business days. */
export function calendarFor(frequency: Frequency, calendar: OccurrenceCalendar): OccurrenceCalendar {
  return frequency === 'daily' ? calendar : 'business-days';
}

/** A blank risk is read as higher: the larger sample is the safe side until the auditor assesses it. */
export function readRisk(cell: string): Risk | null {
  const word = cell.toLowerCase().trim();
  if (word === '') return 'higher';
  if (word === 'low') return 'lower';
  if (word === 'high') return 'higher';
  return RISKS.find((r) => r === word) ?? null;
}

/** A blank key cell means not a key control. */
export function readKey(cell: string): boolean | null {
  const word = cell.toLowerCase().trim();
  if (['', 'no', 'n', 'false', '0', 'non-key', 'not key'].includes(word)) return false;
  if (['yes', 'y', 'true', '1', 'key', 'x', '✓'].includes(word)) return true;
  return null;
}
