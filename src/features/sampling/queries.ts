import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import { populationItems, sampleItems, samples } from '../../db/schema/index.js';

export type SampleRow = typeof samples.$inferSelect;

export function findSample(db: Tx, engagementId: number, sampleId: number): SampleRow | undefined {
  return db
    .select()
    .from(samples)
    .where(and(eq(samples.id, sampleId), eq(samples.engagementId, engagementId)))
    .get();
}

const samplesOfControlQuery = preparedQuery((db) =>
  db
    .select()
    .from(samples)
    .where(eq(samples.controlId, sql.placeholder('controlId')))
    .orderBy(desc(samples.id))
    .prepare(),
);

export function samplesOfControl(db: Tx, controlId: number): SampleRow[] {
  return samplesOfControlQuery(db).all({ controlId });
}

export function activeSampleOf(db: Tx, populationId: number): SampleRow | undefined {
  return db
    .select()
    .from(samples)
    .where(and(eq(samples.populationId, populationId), eq(samples.status, 'active')))
    .get();
}

/** The population's selection, drawn or still awaiting a manager's approval. */
export function openSampleOf(db: Tx, populationId: number): SampleRow | undefined {
  return db
    .select()
    .from(samples)
    .where(and(eq(samples.populationId, populationId), inArray(samples.status, ['active', 'pending'])))
    .get();
}

/** Positions of a sample's items in selection order, and its latest extension round. */
export function positionsOfSample(
  sqlite: Database.Database,
  sampleId: number,
): { positions: number[]; lastRound: number } {
  const rows = sqlite
    .prepare(
      'SELECT pi.position, si.extension_round FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
    )
    .raw()
    .all(sampleId) as [number, number][];
  return { positions: rows.map((r) => r[0]), lastRound: rows.reduce((max, r) => Math.max(max, r[1]), 0) };
}

/**
 * Records drawn positions as the sample's items, numbered on from `firstSequence`: one statement joining the
 * positions (a JSON array) to the population's items by their unique position, so ten thousand items cost one
 * pass over the index instead of a query per chunk. CROSS JOIN keeps SQLite to that order (positions outside,
 * an index lookup each), not a scan of the positions for every item. Every position must be a sampleable item.
 */
export function insertSampleItems(
  sqlite: Database.Database,
  sampleId: number,
  populationId: number,
  positions: readonly number[],
  firstSequence: number,
  round: number,
  replaces: readonly number[] = [],
): void {
  // replaces[k] (a sample item id), when given, is the item the k-th position is drawn to replace.
  const { changes } = sqlite
    .prepare(
      `INSERT INTO sample_items (sample_id, population_item_id, sequence, extension_round, replaces_item_id)
       SELECT ?, pi.id, ? + p.key, ?, json_extract(?, '$[' || p.key || ']') FROM json_each(?) p CROSS JOIN population_items pi ON pi.population_id = ? AND pi.position = p.value ORDER BY p.key`,
    )
    .run(sampleId, firstSequence, round, JSON.stringify(replaces), JSON.stringify(positions), populationId);
  if (changes !== positions.length)
    throw new Error(
      `sample ${sampleId}: ${positions.length - changes} drawn positions are not items of population ${populationId}`,
    );
}

/** The keys of the population's items at these positions. */
export function keysAtPositions(db: Tx, populationId: number, positions: readonly number[]): Map<number, string> {
  const rows = db.all<{ position: number; key: string }>(
    sql`SELECT position, key FROM population_items WHERE population_id = ${populationId} AND position IN (SELECT value FROM json_each(${JSON.stringify(positions)}))`,
  );
  return new Map(rows.map((r) => [r.position, r.key]));
}

/** Each item's id and key in selection order: what a list to choose an item from needs, and no more. */
export function sampleItemKeys(db: Tx, sampleId: number): { sampleItemId: number; key: string }[] {
  return db.all(
    sql`SELECT si.id AS sampleItemId, pi.key FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ${sampleId} ORDER BY si.sequence`,
  );
}

export function isItemOfSample(db: Tx, sampleId: number, sampleItemId: number): boolean {
  return (
    db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM sample_items WHERE id = ${sampleItemId} AND sample_id = ${sampleId}`,
    ).n > 0
  );
}

export interface SampledItem {
  sampleItemId: number;
  sequence: number;
  /** 0 for the planned sample; then one round per extension or set of replacements. */
  extensionRound: number;
  reason: string | null;
  /** Drawn to replace this item (one not an occurrence of the control), and its key. */
  replacesItemId: number | null;
  replacesKey: string | null;
  /** The key of the item drawn to replace this one, once it is replaced. */
  replacedByKey: string | null;
  itemId: number;
  position: number;
  rowNumber: number;
  key: string;
  itemDate: string | null;
  itemEnd: string | null;
  description: string;
  amount: string | null;
  partial: boolean;
}

export function itemsOfSample(db: Tx, sampleId: number): SampledItem[] {
  return sampledItemsQuery(db, sampleId).all() as SampledItem[];
}

/** One page of a sample's items, in selection order. */
export function sampleItemsPage(db: Tx, sampleId: number, offset: number, limit: number): SampledItem[] {
  return sampledItemsQuery(db, sampleId).limit(limit).offset(offset).all() as SampledItem[];
}

/** Items in the sample (extensions included), whether any has an amount, and the date of each. */
export function sampleSummary(
  sqlite: Database.Database,
  sampleId: number,
): { count: number; withAmount: number; dates: string[] } {
  const rows = sqlite
    .prepare(
      'SELECT pi.item_date, pi.amount IS NOT NULL FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ?',
    )
    .raw()
    .all(sampleId) as [string | null, number][];
  return {
    count: rows.length,
    withAmount: rows.filter((r) => r[1] === 1).length,
    dates: rows.flatMap((r) => (r[0] === null ? [] : [r[0]])),
  };
}

function sampledItemsQuery(db: Tx, sampleId: number) {
  return db
    .select({
      sampleItemId: sampleItems.id,
      sequence: sampleItems.sequence,
      extensionRound: sampleItems.extensionRound,
      reason: sampleItems.reason,
      replacesItemId: sampleItems.replacesItemId,
      replacesKey: sql<
        string | null
      >`(SELECT rp.key FROM sample_items r JOIN population_items rp ON rp.id = r.population_item_id WHERE r.id = ${sampleItems.replacesItemId})`,
      replacedByKey: sql<
        string | null
      >`(SELECT rp.key FROM sample_items r JOIN population_items rp ON rp.id = r.population_item_id WHERE r.replaces_item_id = ${sampleItems.id})`,
      itemId: populationItems.id,
      position: populationItems.position,
      rowNumber: populationItems.rowNumber,
      key: populationItems.key,
      itemDate: populationItems.itemDate,
      itemEnd: populationItems.itemEnd,
      description: populationItems.description,
      amount: populationItems.amount,
      partial: populationItems.partial,
    })
    .from(sampleItems)
    .innerJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(eq(sampleItems.sampleId, sampleId))
    .orderBy(asc(sampleItems.sequence))
    .$dynamic();
}
