// Whether the client's own count and total agree with the population as imported (the C&A tie-out).
import { parseAmount } from '../../domain/population-checks.js';
import type { PopulationRow } from './queries.js';

export function tieOut(population: PopulationRow, ca: { clientCount: number | null; clientTotal: string | null }) {
  const countTies = ca.clientCount === null ? null : ca.clientCount === population.rowCount;
  const clientUnits = ca.clientTotal === null ? null : parseAmount(ca.clientTotal);
  const totalTies = clientUnits === null ? null : clientUnits === BigInt(population.amountTotal);
  return { countTies, totalTies };
}
