// The control matrix as auditors exchange it in Excel: its columns, the words clients use for them, and the
// values in its cells.
import { CONTROL_TYPES, FREQUENCIES, NATURES, OCCURRENCE_CALENDARS, RISKS, type ControlType, type Frequency, type Nature, type OccurrenceCalendar, type Risk } from './types.js';

export const MATRIX_COLUMN_KEYS = [
  'reference',
  'description',
  'owner',
  'frequency',
  'calendar',
  'nature',
  'type',
  'key',
  'risk',
  'criteria',
  'procedures',
  'attributes',
] as const;
export type MatrixColumn = (typeof MATRIX_COLUMN_KEYS)[number];

/** The header each column is exported under; `criteria` reads "Objectives" on a SOC 1 engagement. */
export const MATRIX_HEADERS: Record<MatrixColumn, string> = {
  reference: 'Reference',
  description: 'Description',
  owner: 'Owner',
  frequency: 'Frequency',
  calendar: 'Operates on',
  nature: 'Nature',
  type: 'Type',
  key: 'Key control',
  risk: 'Risk',
  criteria: 'Criteria',
  procedures: 'Test procedures',
  attributes: 'Attributes',
};

const HEADER_SYNONYMS: Record<MatrixColumn, string[]> = {
  reference: ['reference', 'ref', 'control ref', 'control reference', 'control id', 'control #', 'control no', 'control number', 'id', '#', 'no'],
  description: ['description', 'control description', 'control activity', 'control activities', 'activity', 'description of control'],
  owner: ['owner', 'control owner', 'process owner', 'responsible', 'responsible party', 'performed by'],
  frequency: ['frequency', 'control frequency', 'how often'],
  calendar: ['operates on', 'calendar', 'days operated', 'operating days', 'days of operation'],
  nature: ['nature', 'control nature', 'nature of control', 'manual/automated', 'automated/manual', 'manual or automated', 'automation'],
  type: ['type', 'control type', 'preventive/detective', 'preventative/detective', 'preventive or detective', 'prev/det'],
  key: ['key', 'key control', 'key control (y/n)', 'key (y/n)', 'is key'],
  risk: ['risk', 'risk of failure', 'risk rating', 'risk level', 'risk of control failure'],
  criteria: ['criteria', 'criterion', 'tsc', 'tscs', 'trust services criteria', 'tsc reference', 'mapped criteria', 'criteria/objectives', 'objectives', 'objective', 'control objective', 'control objectives', 'co'],
  procedures: ['test procedures', 'test procedure', 'procedures', 'testing procedures', 'tests performed', 'test of controls', 'tests of controls', 'audit procedures'],
  attributes: ['attributes', 'attribute', 'test attributes', 'testing attributes'],
};

/** Columns a file must have; the others fall back to a default when absent. */
export const REQUIRED_COLUMNS: readonly MatrixColumn[] = ['reference', 'description', 'frequency', 'nature', 'type'];

export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_]+/g, ' ').replace(/[?:*.]+$/, '').trim();
}

const COLUMN_BY_HEADER = new Map<string, MatrixColumn>(
  MATRIX_COLUMN_KEYS.flatMap((key) => HEADER_SYNONYMS[key].map((h) => [h, key] as [string, MatrixColumn])),
);

export function columnForHeader(header: string): MatrixColumn | null {
  return COLUMN_BY_HEADER.get(normaliseHeader(header)) ?? null;
}

/** Spreadsheet column letter of a 0-based position: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export interface HeaderMatch {
  /** Position in the row of each recognised column. */
  positions: Partial<Record<MatrixColumn, number>>;
  /** Headers that name no column we know; their cells are not read. */
  ignored: string[];
  problems: string[];
}

export function matchHeaders(cells: readonly string[]): HeaderMatch {
  const positions: Partial<Record<MatrixColumn, number>> = {};
  const ignored: string[] = [];
  const problems: string[] = [];
  cells.forEach((cell, i) => {
    if (!cell.trim()) return;
    const column = columnForHeader(cell);
    if (!column) return void ignored.push(cell.trim());
    const earlier = positions[column];
    if (earlier === undefined) positions[column] = i;
    else problems.push(`Columns ${columnLetter(earlier)} ("${cells[earlier]!.trim()}") and ${columnLetter(i)} ("${cell.trim()}") both read as ${MATRIX_HEADERS[column]}; keep one.`);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (positions[column] === undefined) problems.push(`No ${MATRIX_HEADERS[column]} column: add a column headed "${MATRIX_HEADERS[column]}".`);
  }
  return { positions, ignored, problems };
}

/** The header is the first of the top rows naming both a reference and a description column (titles may sit above it). */
export function findHeaderRow(rows: readonly (readonly string[])[], scan = 10): number {
  for (let i = 0; i < Math.min(rows.length, scan); i++) {
    const columns = new Set(rows[i]!.map(columnForHeader));
    if (columns.has('reference') && columns.has('description')) return i;
  }
  return -1;
}

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

export const NATURE_LABELS: Record<Nature, string> = { manual: 'Manual', automated: 'Automated', 'it-dependent-manual': 'IT-dependent manual' };
export const CONTROL_TYPE_LABELS: Record<ControlType, string> = { preventive: 'Preventive', detective: 'Detective' };
export const RISK_LABELS: Record<Risk, string> = { lower: 'Lower', higher: 'Higher' };
export const CALENDAR_LABELS: Record<OccurrenceCalendar, string> = { 'business-days': 'Business days', 'every-day': 'Every day' };

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

const TYPE_WORDS: Record<string, ControlType> = { preventative: 'preventive', prevent: 'preventive', detect: 'detective', p: 'preventive', d: 'detective' };

function lookup<T extends string>(values: readonly T[], labels: Record<T, string>, words: Record<string, T>, cell: string): T | null {
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
