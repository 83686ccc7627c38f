// From a selection design to the positions of the sampled items, and back again for verification.
import { addDaysIso, splitSampleAcrossWindows } from './periods.js';
import {
  extendRandom,
  selectAll,
  selectPeriodSpread,
  selectRandom,
  selectSystematic,
  selectWithinStrata,
  stratifyByPeriod,
  type Seed,
} from './selection.js';
import type { DateRange, IsoDate } from './types.js';

export type SelectionDesign =
  | { method: 'random' | 'systematic' | 'all' }
  | { method: 'period-spread'; by: 'quarter' | 'month' }
  /** Interim testing up to and including `interimEnd`, the rest of the period rolled forward. */
  | { method: 'interim-split'; interimEnd: IsoDate }
  /** The auditor picked the items (positions), with a reason recorded beside the sample. */
  | { method: 'haphazard' | 'judgmental'; picks: readonly number[] };

export interface DrawInput {
  design: SelectionDesign;
  /** Number of sampleable items; positions run from 0 to populationSize − 1. */
  populationSize: number;
  sampleSize: number;
  seed: Seed;
  period: DateRange;
  /** Item date of each position; needed by period-spread and interim-split only. */
  dateOf?: (position: number) => IsoDate | null;
}

export interface Draw {
  positions: number[];
  /** What a reviewer needs to see how the sample was spread: strata and their allocation. */
  strata?: { label: string; size: number; drawn: number }[];
}

/** Positions in date order of their stratum, so stratum-relative indices map back to the population. */
function byStrata(input: DrawInput, ranges: DateRange[]): { order: number[]; strata: number[] } {
  const members: number[][] = ranges.map(() => []);
  for (let p = 0; p < input.populationSize; p++) {
    const date = input.dateOf?.(p);
    const slot = date ? ranges.findIndex((r) => date >= r.start && date <= r.end) : -1;
    if (slot >= 0) members[slot]!.push(p);
  }
  return { order: members.flat(), strata: members.map((m) => m.length) };
}

export function drawSample(input: DrawInput): Draw {
  const { design, populationSize, sampleSize, seed } = input;
  switch (design.method) {
    case 'random':
      return { positions: selectRandom({ populationSize, sampleSize, seed }) };
    case 'systematic':
      return { positions: selectSystematic({ populationSize, sampleSize, seed }) };
    case 'all':
      return { positions: selectAll(populationSize) };
    case 'haphazard':
    case 'judgmental':
      return { positions: [...design.picks] };
    case 'period-spread': {
      const dates = Array.from({ length: populationSize }, (_, p) => input.dateOf?.(p) ?? '');
      const { ranges, strata, order } = stratifyByPeriod(dates, input.period, design.by);
      const picked = selectPeriodSpread({ strata, sampleSize, seed }).map((i) => order[i]!);
      return { positions: picked, strata: describe(ranges, strata, picked, order) };
    }
    case 'interim-split': {
      const interim = { start: input.period.start, end: design.interimEnd };
      const rollForward = { start: addDaysIso(design.interimEnd, 1), end: input.period.end };
      const sizes = splitSampleAcrossWindows(sampleSize, interim, rollForward);
      const { order, strata } = byStrata(input, [interim, rollForward]);
      const picked = selectWithinStrata({ strata, allocation: [sizes.interim, sizes.rollForward], seed }).map(
        (i) => order[i]!,
      );
      return {
        positions: picked,
        strata: describe([interim, rollForward], strata, picked, order, ['Interim', 'Roll-forward']),
      };
    }
  }
}

function describe(ranges: DateRange[], strata: number[], picked: number[], order: number[], names?: string[]) {
  const stratumOf = new Map<number, number>();
  let offset = 0;
  strata.forEach((size, j) => {
    for (let i = offset; i < offset + size; i++) stratumOf.set(order[i]!, j);
    offset += size;
  });
  const drawn = strata.map(() => 0);
  for (const p of picked) drawn[stratumOf.get(p)!]!++;
  return ranges.map((r, j) => ({
    label: `${names?.[j] ? `${names[j]} ` : ''}${r.start} – ${r.end}`,
    size: strata[j]!,
    drawn: drawn[j]!,
  }));
}

/** More items after a deviation: the same seeded shuffle, continued past everything already selected. */
export function drawExtension(input: {
  populationSize: number;
  seed: Seed;
  alreadySelected: readonly number[];
  additional: number;
}): number[] {
  return extendRandom({
    populationSize: input.populationSize,
    seed: input.seed,
    alreadySelected: [...input.alreadySelected],
    additional: input.additional,
  });
}

export interface VerificationDifference {
  sequence: number;
  recorded: number | null;
  recomputed: number | null;
}

/** Compares a recorded selection with its recomputation, item by item in selection order. */
export function compareSelections(
  recorded: readonly number[],
  recomputed: readonly number[],
): VerificationDifference[] {
  const differences: VerificationDifference[] = [];
  for (let i = 0; i < Math.max(recorded.length, recomputed.length); i++) {
    if (recorded[i] !== recomputed[i])
      differences.push({ sequence: i, recorded: recorded[i] ?? null, recomputed: recomputed[i] ?? null });
  }
  return differences;
}
