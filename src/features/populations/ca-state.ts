// A population's completeness-and-accuracy record as the gates read it (domain/completeness-accuracy.ts).
import type { Tx } from '../../db/connection.js';
import { caSelectionProblem, caState, type CaFacts, type CaState } from '../../domain/completeness-accuracy.js';
import { caOf, type PopulationRow } from './queries.js';
import { tieOut } from './tie-out.js';

export type CaRow = NonNullable<ReturnType<typeof caOf>>;

/** The facts the rules read, with the stored row (who completed it, who waived it) for showing. */
export function caFactsOf(db: Tx, population: PopulationRow): CaFacts & { record: CaRow | null } {
  const record = population.kind === 'transaction' ? (caOf(db, population.id) ?? null) : null;
  return { kind: population.kind, record, ties: record ? tieOut(population, record) : null };
}

export function caStateOf(db: Tx, population: PopulationRow): CaState {
  return caState(caFactsOf(db, population));
}

/** Why no sample may be selected from the population yet; null when it may. */
export function caGate(db: Tx, population: PopulationRow): string | null {
  return caSelectionProblem(caFactsOf(db, population));
}
