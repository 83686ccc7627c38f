// Which workpaper a request is about: a control's tested window (its population) and the sample drawn from it.
import { RuleError } from '../../core/errors.js';
import type { Tx } from '../../db/connection.js';
import type { Framework } from '../../domain/criteria.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import {
  findControl,
  findPopulation,
  livePopulations,
  type ControlRow,
  type PopulationRow,
} from '../populations/index.js';
import { samplesOfControl, type SampleRow } from '../sampling/index.js';
import { attributesOf, type AttributeRow } from './queries.js';

export interface WorkpaperScope {
  engagementId: number;
  /** The engagement's standard: it decides whether a deviation may be treated as an anomaly. */
  framework: Framework;
  control: ControlRow;
  population: PopulationRow;
  /** Null when nothing was sampled (a population without occurrences, or not yet sampled). */
  sample: SampleRow | null;
  /** A selection above the firm's limit still waiting for a manager's approval: nothing to test yet. */
  pending: SampleRow | null;
  attributes: AttributeRow[];
  /** The other windows of the control, for switching between them. */
  windows: PopulationRow[];
  /** A replaced population or a discarded selection: shown as history, never changed. */
  readOnly: boolean;
  url: string;
}

/** The window's active sample, or its latest discarded one (kept as history); a pending one is not drawn yet. */
function sampleOf(samples: SampleRow[], population: PopulationRow): SampleRow | null {
  const own = samples.filter((s) => s.populationId === population.id && s.status !== 'pending');
  return own.find((s) => s.status === 'active') ?? own[0] ?? null;
}

/** The workpaper of a window (or of the control's first sampled window); undefined when the ids do not match. */
export function workpaperScope(
  db: Tx,
  engagement: EngagementRow,
  controlId: number,
  populationId?: number,
): WorkpaperScope | undefined {
  const control = findControl(db, engagement.id, controlId);
  if (!control) return undefined;
  const windows = livePopulations(db, control.id).filter((p) => p.status !== 'importing');
  const samples = samplesOfControl(db, control.id);
  let population: PopulationRow | undefined;
  if (populationId === undefined) {
    population = windows.find((p) => sampleOf(samples, p)) ?? windows[0];
  } else {
    population = windows.find((p) => p.id === populationId) ?? findPopulation(db, engagement.id, populationId);
    if (population?.controlId !== control.id || population.status === 'importing') return undefined;
  }
  if (!population) return undefined;
  const sample = sampleOf(samples, population);
  return {
    engagementId: engagement.id,
    framework: engagement.framework,
    control,
    population,
    sample,
    pending: samples.find((s) => s.populationId === population!.id && s.status === 'pending') ?? null,
    attributes: attributesOf(db, control.id),
    windows,
    readOnly: population.status === 'replaced' || sample?.status === 'discarded',
    url: `/engagements/${engagement.id}/controls/${control.id}/workpaper/${population.id}`,
  };
}

/** Refuses changes to a workpaper kept only as history. */
export function assertWritable(scope: WorkpaperScope): void {
  if (scope.readOnly)
    throw new RuleError(
      'This window’s population was replaced or its selection discarded: its workpaper is kept as history and cannot be changed.',
    );
}
