// The sampling frame of a population: its sampleable items in position order, hashed and dated.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { createPopulationHasher, type PopulationItem } from '../../domain/population-hash.js';
import { AMOUNT_SCALE } from '../../domain/population-checks.js';
import { extraValues } from './extra-columns.js';

interface FrameRow {
  position: number;
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
 * Rows of a frame read between two turns of the event loop: hashing a million items takes a hundred steps, and
 * another user's request waits behind one step, never behind the whole frame.
 */
export const FRAME_ROWS_PER_STEP = 10_000;

/**
 * The sampleable items in position order, a step at a time (keyset on position, so each step is an index range
 * read), yielding to the event loop between steps. Raw SQL: a prepared statement is what reads a range cheaply.
 */
async function* frameSteps<T extends { position: number }>(
  sqlite: Database.Database,
  populationId: number,
  columns: string,
  rowsPerStep: number,
): AsyncGenerator<T[]> {
  const step = sqlite.prepare(
    `SELECT position, ${columns} FROM population_items WHERE population_id = ? AND position > ? ORDER BY position LIMIT ?`,
  );
  let after = -1;
  for (;;) {
    const rows = step.all(populationId, after, rowsPerStep) as T[];
    if (rows.length > 0) yield rows;
    if (rows.length < rowsPerStep) return;
    after = rows.at(-1)!.position;
    await yieldToEventLoop();
  }
}

/** SHA-256 of the canonical content of the sampleable items, read a step at a time (see frameSteps). */
export async function frameHash(
  sqlite: Database.Database,
  populationId: number,
  rowsPerStep = FRAME_ROWS_PER_STEP,
): Promise<{ hash: string; count: number }> {
  const hasher = createPopulationHasher();
  const names = sqlite.prepare('SELECT extra_columns FROM populations WHERE id = ?').pluck().get(populationId) as
    | string
    | null
    | undefined;
  const extraNames = names ? (JSON.parse(names) as string[]) : null;
  const columns = 'key, item_date, item_end, description, amount, extra';
  for await (const rows of frameSteps<FrameRow>(sqlite, populationId, columns, rowsPerStep))
    for (const row of rows) hasher.add(canonical(row, extraNames));
  return { hash: hasher.digest(), count: hasher.count };
}

/** Item dates by position, for designs that spread the sample over the period; read a step at a time. */
export async function frameDates(
  sqlite: Database.Database,
  populationId: number,
  rowsPerStep = FRAME_ROWS_PER_STEP,
): Promise<(string | null)[]> {
  const dates: (string | null)[] = [];
  type DateRow = { position: number; item_date: string | null };
  for await (const rows of frameSteps<DateRow>(sqlite, populationId, 'item_date', rowsPerStep))
    for (const row of rows) dates.push(row.item_date);
  return dates;
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
