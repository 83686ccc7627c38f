// The firm's methodology (domain.md, "Sample sizes" and "Exceptions and the control's conclusion"): the values
// every sampling and evaluation rule takes from firm policy, their defaults, and what makes a set of them valid.
// An engagement keeps a copy of the settings it started with, so a later change of policy never rewrites it.

import {
  DEFAULT_RULE_OF_THUMB_EXTENSIONS,
  MAX_EXTENDED_SAMPLE_SIZE,
  type ExtensionMethod,
  type RuleOfThumbExtension,
} from './evaluation.js';
import { MAX_SAMPLE_SIZE } from './sample-approval.js';
import { FREQUENCY_LABELS } from './control-matrix.js';
import { DEFAULT_SAMPLE_SIZE_TABLE, type SampleSizeTable } from './sample-size.js';
import { FREQUENCIES, RISKS, type Frequency, type IsoDate } from './types.js';

export const EXTENSION_RULES = ['exact', 'rule-of-thumb'] as const;
export type ExtensionRule = (typeof EXTENSION_RULES)[number];

export interface Methodology {
  /** Sample size by frequency and risk of failure. */
  sampleSizes: SampleSizeTable;
  /** An extension is proposed after at most this many deviations in the planned sample (0: never). */
  maxDeviationsToExtend: number;
  /** How far a table-sized sample is extended: the exact rule, or the firm's rule of thumb below. */
  extension: ExtensionRule;
  /** The rule of thumb's table; kept while the exact rule is chosen, so switching back restores it. */
  ruleOfThumb: readonly RuleOfThumbExtension[];
  /** Scale periodic sizes down pro rata for periods shorter than a year. */
  proRata: boolean;
  /** Days after the report date by which the engagement file is assembled. */
  assemblyDays: number;
  /** Years the engagement file is kept after the report date. */
  retentionYears: number;
  /** A sample above this many items (extensions included) needs a manager's or the partner's approval. */
  largeSampleItems: number;
}

export const DEFAULT_METHODOLOGY: Methodology = {
  sampleSizes: DEFAULT_SAMPLE_SIZE_TABLE,
  maxDeviationsToExtend: 1,
  extension: 'exact',
  ruleOfThumb: DEFAULT_RULE_OF_THUMB_EXTENSIONS,
  proRata: false,
  assemblyDays: 60,
  retentionYears: 7,
  largeSampleItems: 1000,
};

/** Bounds of the whole-number settings (the environment's defaults for them are checked against the same). */
export const METHODOLOGY_BOUNDS = {
  sampleSize: { min: 1, max: MAX_SAMPLE_SIZE },
  maxDeviationsToExtend: { min: 0, max: 10 },
  assemblyDays: { min: 1, max: 365 },
  retentionYears: { min: 1, max: 100 },
  largeSampleItems: { min: 1, max: MAX_SAMPLE_SIZE },
  ruleOfThumbRows: 20,
} as const;

/** What an engagement keeps: the settings it started with, and which firm settings they were. */
export interface EngagementMethodology {
  /** The day the firm's settings were saved; null: Tickmark's defaults (no firm settings saved then). */
  firmSettingsOf: IsoDate | null;
  settings: Methodology;
}

/** The frequencies as the control matrix names them. */
export const FREQUENCY_NAMES = FREQUENCY_LABELS;

/** The extension rule as the evaluation takes it. */
export function extensionMethodOf(m: Pick<Methodology, 'extension' | 'ruleOfThumb'>): ExtensionMethod {
  return m.extension === 'exact' ? { method: 'exact' } : { method: 'rule-of-thumb', table: m.ruleOfThumb };
}

// ---------------------------------------------------------------------------------------------------------
// Validation. Problems are keyed by the setting's path (`sampleSizes.daily.higher`, `ruleOfThumb.0.extendedSize`)
// so that a form can show each beside its field.

export type MethodologyProblems = Record<string, string>;

const n = (x: number) => x.toLocaleString('en-US');

function wholeProblem(value: number, { min, max }: { min: number; max: number }): string | null {
  if (!Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Enter a whole number from ${n(min)} to ${n(max)}.`;
  return null;
}

function sampleSizeProblems(table: SampleSizeTable, problems: MethodologyProblems): void {
  for (const f of FREQUENCIES) {
    for (const risk of RISKS) {
      const problem = wholeProblem(table[f]?.[risk] ?? NaN, METHODOLOGY_BOUNDS.sampleSize);
      if (problem)
        problems[`sampleSizes.${f}.${risk}`] =
          `${FREQUENCY_NAMES[f]}, ${risk} risk: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`;
    }
    const { lower, higher } = table[f] ?? { lower: NaN, higher: NaN };
    if (!problems[`sampleSizes.${f}.lower`] && !problems[`sampleSizes.${f}.higher`] && higher < lower) {
      problems[`sampleSizes.${f}.higher`] =
        `${FREQUENCY_NAMES[f]}: the higher-risk size (${n(higher)}) must be at least the lower-risk size (${n(lower)}).`;
    }
  }
}

/** `maxDeviations`: the policy the rows must fit, or null while the exact rule is chosen (the rows lie unused). */
function ruleOfThumbRowProblems(
  row: RuleOfThumbExtension,
  i: number,
  maxDeviations: number | null,
  problems: MethodologyProblems,
): void {
  const at = (field: keyof RuleOfThumbExtension) => `ruleOfThumb.${i}.${field}`;
  const planned = wholeProblem(row.plannedSize, { min: 1, max: MAX_EXTENDED_SAMPLE_SIZE - 1 });
  if (planned) problems[at('plannedSize')] = `Planned size: ${planned.toLowerCase()}`;
  const deviations = wholeProblem(row.deviations, { min: 1, max: METHODOLOGY_BOUNDS.maxDeviationsToExtend.max });
  if (deviations) problems[at('deviations')] = `Deviations: ${deviations.toLowerCase()}`;
  else if (maxDeviations !== null && row.deviations > maxDeviations)
    problems[at('deviations')] =
      `No extension is proposed after ${maxDeviations === 0 ? 'any deviation' : `more than ${maxDeviations}`}: this row would never apply.`;
  const extended = wholeProblem(row.extendedSize, { min: 2, max: MAX_EXTENDED_SAMPLE_SIZE });
  if (extended) problems[at('extendedSize')] = `Extended size: ${extended.toLowerCase()}`;
  else if (!planned && row.extendedSize <= row.plannedSize)
    problems[at('extendedSize')] = `The extended size must be larger than the planned ${n(row.plannedSize)}.`;
}

/** Rows valid one by one must also agree: one row per planned size and deviations, and more deviations extend further. */
function ruleOfThumbTableProblems(rows: readonly RuleOfThumbExtension[], problems: MethodologyProblems): void {
  rows.forEach((row, i) => {
    if (Object.keys(problems).some((k) => k.startsWith(`ruleOfThumb.${i}.`))) return;
    const earlier = rows.slice(0, i);
    if (earlier.some((r) => r.plannedSize === row.plannedSize && r.deviations === row.deviations)) {
      problems[`ruleOfThumb.${i}.plannedSize`] =
        `A row for ${n(row.plannedSize)} planned and ${row.deviations} deviation${row.deviations === 1 ? '' : 's'} is already above.`;
      return;
    }
    const clash = earlier.find(
      (r) => r.plannedSize === row.plannedSize && r.deviations < row.deviations !== r.extendedSize < row.extendedSize,
    );
    if (clash)
      problems[`ruleOfThumb.${i}.extendedSize`] =
        `For ${n(row.plannedSize)} planned, more deviations must extend further (${clash.deviations} deviation${clash.deviations === 1 ? '' : 's'} → ${n(clash.extendedSize)}).`;
  });
}

/** Everything wrong with a set of settings, by path; empty when they are valid. */
export function methodologyProblems(m: Methodology): MethodologyProblems {
  const problems: MethodologyProblems = {};
  sampleSizeProblems(m.sampleSizes, problems);
  const whole = (key: 'maxDeviationsToExtend' | 'assemblyDays' | 'retentionYears' | 'largeSampleItems') => {
    const problem = wholeProblem(m[key], METHODOLOGY_BOUNDS[key]);
    if (problem) problems[key] = problem;
  };
  whole('maxDeviationsToExtend');
  whole('assemblyDays');
  whole('retentionYears');
  whole('largeSampleItems');
  if (!(EXTENSION_RULES as readonly string[]).includes(m.extension))
    problems.extension = 'Choose the exact rule or the rule of thumb.';
  if (m.ruleOfThumb.length > METHODOLOGY_BOUNDS.ruleOfThumbRows)
    problems.ruleOfThumb = `The rule of thumb holds at most ${METHODOLOGY_BOUNDS.ruleOfThumbRows} rows.`;
  const maxDeviations =
    m.extension === 'rule-of-thumb' && !problems.maxDeviationsToExtend ? m.maxDeviationsToExtend : null;
  m.ruleOfThumb.forEach((row, i) => ruleOfThumbRowProblems(row, i, maxDeviations, problems));
  ruleOfThumbTableProblems(m.ruleOfThumb, problems);
  if (m.extension === 'rule-of-thumb' && m.maxDeviationsToExtend > 0 && m.ruleOfThumb.length === 0) {
    problems.ruleOfThumb = 'The rule of thumb needs at least one row (planned size, deviations, extended size).';
  }
  return problems;
}

/**
 * Planned sizes of the table for which the rule of thumb has no row for one deviation (controls that may be
 * extended only): under the rule of thumb a deviation there proposes "not operating effectively" at once.
 */
export function sizesWithoutRuleOfThumb(m: Pick<Methodology, 'sampleSizes' | 'ruleOfThumb'>): number[] {
  const extendable: Frequency[] = ['semi-monthly', 'weekly', 'daily', 'multiple-daily', 'event-driven'];
  const sizes = new Set(extendable.flatMap((f) => RISKS.map((r) => m.sampleSizes[f][r])));
  return [...sizes]
    .filter((s) => !m.ruleOfThumb.some((r) => r.plannedSize === s && r.deviations === 1))
    .sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------
// Reading a stored copy (the database's JSON, or an imported archive's): the exact shape, valid values, else null.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasExactly = (v: Record<string, unknown>, keys: readonly string[]) =>
  Object.keys(v).length === keys.length && keys.every((k) => k in v);
const isNumber = (v: unknown): v is number => typeof v === 'number';

/** Frequencies Tickmark learnt after copies were first kept: a copy without one takes Tickmark's default for it
 * (the engagement's rules never sized such a control, so nothing it decided changes). */
const FREQUENCIES_ADDED_LATER: readonly Frequency[] = ['semi-annual'];

function readSampleSizes(v: unknown): SampleSizeTable | null {
  if (!isRecord(v)) return null;
  const present = FREQUENCIES.filter((f) => f in v);
  const missing = FREQUENCIES.filter((f) => !(f in v));
  if (Object.keys(v).length !== present.length || !missing.every((f) => FREQUENCIES_ADDED_LATER.includes(f)))
    return null;
  const table = {} as Record<Frequency, { lower: number; higher: number }>;
  for (const f of missing) table[f] = { ...DEFAULT_SAMPLE_SIZE_TABLE[f] };
  for (const f of present) {
    const row = v[f];
    if (!isRecord(row) || !hasExactly(row, RISKS) || !isNumber(row.lower) || !isNumber(row.higher)) return null;
    table[f] = { lower: row.lower, higher: row.higher };
  }
  return table;
}

function readRuleOfThumb(v: unknown): RuleOfThumbExtension[] | null {
  if (!Array.isArray(v) || v.length > METHODOLOGY_BOUNDS.ruleOfThumbRows) return null;
  const rows: RuleOfThumbExtension[] = [];
  for (const r of v) {
    if (
      !isRecord(r) ||
      !hasExactly(r, ['plannedSize', 'deviations', 'extendedSize']) ||
      !isNumber(r.plannedSize) ||
      !isNumber(r.deviations) ||
      !isNumber(r.extendedSize)
    )
      return null;
    rows.push({ plannedSize: r.plannedSize, deviations: r.deviations, extendedSize: r.extendedSize });
  }
  return rows;
}

const METHODOLOGY_KEYS = Object.keys(DEFAULT_METHODOLOGY) as (keyof Methodology)[];

/** Settings read from untrusted JSON: exactly the fields of Methodology, each valid; otherwise null. */
export function readMethodology(v: unknown): Methodology | null {
  if (!isRecord(v) || !hasExactly(v, METHODOLOGY_KEYS)) return null;
  const sampleSizes = readSampleSizes(v.sampleSizes);
  const ruleOfThumb = readRuleOfThumb(v.ruleOfThumb);
  const { maxDeviationsToExtend, extension, proRata, assemblyDays, retentionYears, largeSampleItems } = v;
  if (!sampleSizes || !ruleOfThumb || typeof proRata !== 'boolean' || typeof extension !== 'string') return null;
  if (![maxDeviationsToExtend, assemblyDays, retentionYears, largeSampleItems].every(isNumber)) return null;
  const m: Methodology = {
    sampleSizes,
    maxDeviationsToExtend,
    extension: extension as ExtensionRule,
    ruleOfThumb,
    proRata,
    assemblyDays,
    retentionYears,
    largeSampleItems,
  } as Methodology;
  return Object.keys(methodologyProblems(m)).length === 0 ? m : null;
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** An engagement's copy read from untrusted JSON, or null. */
export function readEngagementMethodology(v: unknown): EngagementMethodology | null {
  if (!isRecord(v) || !hasExactly(v, ['firmSettingsOf', 'settings'])) return null;
  const { firmSettingsOf } = v;
  if (firmSettingsOf !== null && !(typeof firmSettingsOf === 'string' && ISO_DATE.test(firmSettingsOf))) return null;
  const settings = readMethodology(v.settings);
  return settings ? { firmSettingsOf, settings } : null;
}

// ---------------------------------------------------------------------------------------------------------
// The trail records a change of settings as one entry per value that changed, by path.

/** Every value of the settings by its path: `sampleSizes.daily.higher` → 40, `ruleOfThumb` → "25 → 40 (1)". */
export function flattenMethodology(m: Methodology): Record<string, number | string | boolean> {
  const flat: Record<string, number | string | boolean> = {};
  for (const f of FREQUENCIES) for (const r of RISKS) flat[`sampleSizes.${f}.${r}`] = m.sampleSizes[f][r];
  flat.maxDeviationsToExtend = m.maxDeviationsToExtend;
  flat.extension = m.extension;
  flat.ruleOfThumb = m.ruleOfThumb.map((r) => `${r.plannedSize} → ${r.extendedSize} after ${r.deviations}`).join('; ');
  flat.proRata = m.proRata;
  flat.assemblyDays = m.assemblyDays;
  flat.retentionYears = m.retentionYears;
  flat.largeSampleItems = m.largeSampleItems;
  return flat;
}

/** The values that differ, as [before, after] by path; `before` null records every value (the first save). */
export function methodologyChanges(before: Methodology | null, after: Methodology): Record<string, [unknown, unknown]> {
  const a = before ? flattenMethodology(before) : {};
  const b = flattenMethodology(after);
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(b)) if (a[key] !== value) changes[key] = [a[key] ?? null, value];
  return changes;
}
