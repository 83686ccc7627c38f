// Drawing a selection from a frozen population: the design, the period it spreads over, and the seeded draw.
import type { Connection } from '../../db/connection.js';
import type { SampleMethod } from '../../db/schema/index.js';
import { drawSample, type SelectionDesign } from '../../domain/sample-plan.js';
import type { DateRange } from '../../domain/types.js';
import { frameDates, type PopulationRow } from '../populations/index.js';
import type { SampleRow } from './queries.js';

function designOf(
  req: { method: SampleMethod; spreadBy?: 'quarter' | 'month'; interimEnd?: string | null },
  picks: number[],
): SelectionDesign {
  switch (req.method) {
    case 'period-spread':
      return { method: 'period-spread', by: req.spreadBy ?? 'quarter' };
    case 'interim-split':
      return { method: 'interim-split', interimEnd: req.interimEnd! };
    case 'haphazard':
    case 'judgmental':
      return { method: req.method, picks };
    default:
      return { method: req.method };
  }
}

function window(population: PopulationRow): DateRange {
  return { start: population.windowStart, end: population.windowEnd };
}

/** The designs that spread a sample over the period read every item's date. */
const spreadsOverPeriod = (method: SampleMethod) => method === 'period-spread' || method === 'interim-split';

/** The frame's item dates when the design needs them, read a step at a time before any transaction. */
export async function datesFor(conn: Connection, populationId: number, method: SampleMethod) {
  return spreadsOverPeriod(method) ? frameDates(conn.sqlite, populationId) : [];
}

/** Positions drawn by a selection: `picks` for haphazard and judgmental ones, the seeded draw otherwise. */
export function draw(
  population: PopulationRow,
  method: SampleMethod,
  seed: string,
  size: number,
  design: Record<string, unknown> | null,
  picks: number[],
  dates: readonly (string | null)[],
) {
  return drawSample({
    design: designOf(
      { method, spreadBy: design?.spreadBy as 'quarter' | 'month', interimEnd: design?.interimEnd as string | null },
      picks,
    ),
    populationSize: population.sampleableCount,
    sampleSize: size,
    seed,
    period: window(population),
    dateOf: (p) => dates[p] ?? null,
  });
}

/** The first draw of a recorded selection, again, from its own seed, size and design. */
export function drawOfSample(
  population: PopulationRow,
  sample: Pick<SampleRow, 'method' | 'seed' | 'plannedSize' | 'design'>,
  picks: number[],
  dates: readonly (string | null)[],
) {
  return draw(population, sample.method, sample.seed!, sample.plannedSize, sample.design, picks, dates);
}
