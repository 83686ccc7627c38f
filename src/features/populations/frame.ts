// The sampling frame of a population: its sampleable items in position order, hashed and dated.
import type Database from 'better-sqlite3';
import { createPopulationHasher, type PopulationItem } from '../../domain/population-hash.js';
import { AMOUNT_SCALE } from '../../domain/population-checks.js';
import { extraValues } from './extra-columns.js';

interface FrameRow {
  key: string;
  item_date: string | null;
  item_end: string | null;
  description: string;
  amount: string | null;
  extra: string | null;
}

/** Stored ten-thousandths → a plain decimal with four places, the form the hash documents. */
function amountText(units: string | null): string | null {
  if (units === null) return null;
  const negative = units.startsWith('-');
  const digits = (negative ? units.slice(1) : units).padStart(AMOUNT_SCALE + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -AMOUNT_SCALE)}.${digits.slice(-AMOUNT_SCALE)}`;
}

function canonical(row: FrameRow, extraNames: string[] | null): PopulationItem {
  const extra = extraValues(extraNames, row.extra);
  if (row.item_end) extra['period end'] = row.item_end;
  return {
    key: row.key,
    date: row.item_date ?? undefined,
    description: row.description,
    amount: amountText(row.amount) ?? undefined,
    extra,
  };
}

/**
 * SHA-256 of the canonical content of the sampleable items, streamed from the database so that a million
 * items never sit in memory at once. Raw SQL: an iterator over a prepared statement is what streams.
 */
export function frameHash(sqlite: Database.Database, populationId: number): { hash: string; count: number } {
  const hasher = createPopulationHasher();
  const names = sqlite.prepare('SELECT extra_columns FROM populations WHERE id = ?').pluck().get(populationId) as
    | string
    | null
    | undefined;
  const extraNames = names ? (JSON.parse(names) as string[]) : null;
  const rows = sqlite
    .prepare(
      'SELECT key, item_date, item_end, description, amount, extra FROM population_items WHERE population_id = ? AND position IS NOT NULL ORDER BY position',
    )
    .iterate(populationId) as IterableIterator<FrameRow>;
  for (const row of rows) hasher.add(canonical(row, extraNames));
  return { hash: hasher.digest(), count: hasher.count };
}

/** Item dates by position, for designs that spread the sample over the period. */
export function frameDates(sqlite: Database.Database, populationId: number): (string | null)[] {
  const rows = sqlite
    .prepare(
      'SELECT item_date FROM population_items WHERE population_id = ? AND position IS NOT NULL ORDER BY position',
    )
    .raw()
    .all(populationId) as [string | null][];
  return rows.map((r) => r[0]);
}

/** Count of items per date, for the timeline picture. */
export function itemsPerDate(sqlite: Database.Database, populationId: number): Map<string, number> {
  const rows = sqlite
    .prepare(
      'SELECT item_date, count(*) FROM population_items WHERE population_id = ? AND position IS NOT NULL GROUP BY item_date',
    )
    .raw()
    .all(populationId) as [string | null, number][];
  return new Map(rows.filter((r) => r[0] !== null).map((r) => [r[0]!, r[1]]));
}
