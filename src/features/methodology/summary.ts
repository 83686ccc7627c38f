// The settings in words, as the engagement page and a refused save show them.
import { FREQUENCY_NAMES, type Methodology } from '../../domain/methodology.js';
import { FREQUENCIES } from '../../domain/types.js';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

export function sampleSizesText(m: Methodology): string {
  return FREQUENCIES.map((f) => `${FREQUENCY_NAMES[f]} ${m.sampleSizes[f].lower} / ${m.sampleSizes[f].higher}`).join(
    '; ',
  );
}

export function extensionText(m: Methodology): string {
  if (m.maxDeviationsToExtend === 0)
    return 'Never extended: a deviation the planned sample cannot absorb proposes “not operating effectively”.';
  const when = `after at most ${plural(m.maxDeviationsToExtend, 'deviation')} in the planned sample, once`;
  if (m.extension === 'exact')
    return `Exact rule (the extended sample gives the assurance of the planned one at no deviation), ${when}.`;
  const rows = m.ruleOfThumb
    .map((r) => `${n(r.plannedSize)} → ${n(r.extendedSize)} after ${plural(r.deviations, 'deviation')}`)
    .join(', ');
  return `The firm's rule of thumb (${rows}; no row: not operating effectively), ${when}.`;
}

/** Label and value of each setting, the sample sizes as "lower / higher" per frequency. */
export function methodologySummary(m: Methodology): [label: string, value: string][] {
  return [
    ['Sample sizes (lower / higher risk)', sampleSizesText(m)],
    ['Extension', extensionText(m)],
    [
      'Pro rata',
      m.proRata
        ? 'On: periodic sizes scale down for periods shorter than a year.'
        : 'Off: the table size holds for any period.',
    ],
    ['File assembly', `Within ${plural(m.assemblyDays, 'day')} of the report date.`],
    ['Retention', `${plural(m.retentionYears, 'year')} after the report date.`],
    ['Large samples', `Above ${plural(m.largeSampleItems, 'item')}, a manager's or the partner's approval.`],
  ];
}

/** The form field (and problem key) of one size of the table. */
export const sizeKey = (f: string, r: string) => `sampleSizes.${f}.${r}`;

/** The table's rows as pages show them. */
export const SIZE_ROWS = FREQUENCIES.map((f) => ({
  frequency: f,
  label: FREQUENCY_NAMES[f],
  lower: sizeKey(f, 'lower'),
  higher: sizeKey(f, 'higher'),
}));
