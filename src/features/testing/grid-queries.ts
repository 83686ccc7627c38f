// The reads behind a grid of any size: one page of items and their cells, and the figures of the whole grid
// worked out by the database, so a workpaper of ten thousand items costs a page and a few aggregates.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { MarkCount } from '../../domain/workpaper.js';
import type { SampledItem } from '../sampling/index.js';
import type { TestedItemRow, TestResultRow } from './queries.js';

/** The columns of a SampledItem, for queries over `sample_items si JOIN population_items pi`. */
export const ITEM_COLUMNS =
  sql.raw(`si.id AS sampleItemId, si.sequence, si.extension_round AS extensionRound, si.reason, si.replaces_item_id AS replacesItemId,
  (SELECT rp.key FROM sample_items r JOIN population_items rp ON rp.id = r.population_item_id WHERE r.id = si.replaces_item_id) AS replacesKey,
  (SELECT rp.key FROM sample_items r JOIN population_items rp ON rp.id = r.population_item_id WHERE r.replaces_item_id = si.id) AS replacedByKey,
  pi.id AS itemId, pi.position, pi.row_number AS rowNumber, pi.key, pi.item_date AS itemDate, pi.item_end AS itemEnd, pi.description, pi.amount, pi.partial`);

/** SQL that is true for a sample item `si` that has been replaced. */
const REPLACED_SQL = sql.raw('EXISTS (SELECT 1 FROM sample_items r WHERE r.replaces_item_id = si.id)');

type ItemRow = Omit<SampledItem, 'partial'> & { partial: number };
const toItem = (r: ItemRow): SampledItem => ({ ...r, partial: r.partial === 1 });
const json = (values: readonly unknown[]) => JSON.stringify(values);

export interface SampleShape {
  /** Every item drawn: planned, extensions, replacements, and the items they replaced. */
  count: number;
  /** An extension has been drawn (replacements are not extensions). */
  extended: boolean;
  /** Items drawn by extension, and items drawn as replacements. */
  extensionItems: number;
  replacements: number;
  /** Replacements that count in the sample (not replaced in turn). */
  standingReplacements: number;
}

/** Items in the sample, and how many came by extension or as replacements. */
export function sampleShape(db: Tx, sampleId: number): SampleShape {
  const row = db.get<{
    count: number;
    extensionItems: number | null;
    replacements: number | null;
    standing: number | null;
  }>(
    sql`SELECT count(*) AS count, sum(si.extension_round > 0 AND si.replaces_item_id IS NULL) AS extensionItems, sum(si.replaces_item_id IS NOT NULL) AS replacements,
          sum(si.replaces_item_id IS NOT NULL AND NOT ${REPLACED_SQL}) AS standing
        FROM sample_items si WHERE si.sample_id = ${sampleId}`,
  );
  const extensionItems = row.extensionItems ?? 0;
  return {
    count: row.count,
    extended: extensionItems > 0,
    extensionItems,
    replacements: row.replacements ?? 0,
    standingReplacements: row.standing ?? 0,
  };
}

/** Items drawn in each round (0: the planned sample, then each extension or set of replacements), and which. */
export function itemsPerRound(db: Tx, sampleId: number): { round: number; items: number; replacements: boolean }[] {
  return db
    .all<{ round: number; items: number; replacements: number }>(
      sql`SELECT extension_round AS round, count(*) AS items, max(replaces_item_id IS NOT NULL) AS replacements FROM sample_items WHERE sample_id = ${sampleId} GROUP BY extension_round ORDER BY extension_round`,
    )
    .map((r) => ({ ...r, replacements: r.replacements === 1 }));
}

/** Items not applicable on every attribute of the plan and not yet replaced, in selection order (at most `limit`). */
export function itemsToReplace(
  db: Tx,
  sampleId: number,
  workpaperId: number,
  letters: readonly string[],
  limit: number,
): { sampleItemId: number; key: string }[] {
  return db.all(sql`
    SELECT si.id AS sampleItemId, pi.key FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id
    WHERE si.sample_id = ${sampleId} AND NOT ${REPLACED_SQL}
      AND (SELECT count(*) FROM test_results tr WHERE tr.sample_item_id = si.id AND tr.workpaper_id = ${workpaperId} AND tr.result = 'na' AND tr.attribute IN (SELECT value FROM json_each(${json(letters)}))) = ${letters.length}
    ORDER BY si.sequence LIMIT ${limit}`);
}

/** Whether the sample item has been replaced (its marks are then kept as they are, as documentation). */
export function isReplaced(db: Tx, sampleItemId: number): boolean {
  return (
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sample_items WHERE replaces_item_id = ${sampleItemId}`).n > 0
  );
}

/** Everyone who marked a cell of the workpaper. */
export function markers(db: Tx, workpaperId: number): number[] {
  return db
    .all<{ by: number }>(
      sql`SELECT DISTINCT updated_by AS by FROM test_results WHERE workpaper_id = ${workpaperId} AND updated_by IS NOT NULL`,
    )
    .map((r) => r.by);
}

/** Items `offset` to `offset + limit` of the sample, in selection order. Sequences run 0, 1, 2, … without gaps
 * (extensions number on), so a page is a range of them: no rows are stepped over to reach it. */
export function gridItemsPage(db: Tx, sampleId: number, offset: number, limit: number): SampledItem[] {
  return db
    .all<ItemRow>(
      sql`SELECT ${ITEM_COLUMNS} FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id
          WHERE si.sample_id = ${sampleId} AND si.sequence >= ${offset} AND si.sequence < ${offset + limit} ORDER BY si.sequence`,
    )
    .map(toItem);
}

/** Every item of the sample, in selection order (the printed file reads them a page at a time instead). */
export function gridItemsOf(db: Tx, sampleId: number): SampledItem[] {
  return db
    .all<ItemRow>(
      sql`SELECT ${ITEM_COLUMNS} FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ${sampleId} ORDER BY si.sequence`,
    )
    .map(toItem);
}

/** The sample's items among `ids`, in selection order. */
export function gridItemsByIds(db: Tx, sampleId: number, ids: readonly number[]): SampledItem[] {
  return db
    .all<ItemRow>(
      sql`SELECT ${ITEM_COLUMNS} FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ${sampleId} AND si.id IN (SELECT value FROM json_each(${json(ids)})) ORDER BY si.sequence`,
    )
    .map(toItem);
}

/** Where the item stands in the sample's order (0-based), or null when it is not in the sample. */
export function itemIndex(db: Tx, sampleId: number, sampleItemId: number): number | null {
  return (
    db.get<{ sequence: number } | undefined>(
      sql`SELECT sequence FROM sample_items WHERE id = ${sampleItemId} AND sample_id = ${sampleId}`,
    )?.sequence ?? null
  );
}

const RESULT_COLUMNS = sql.raw(
  'id, workpaper_id AS workpaperId, sample_item_id AS sampleItemId, attribute, result, na_reason AS naReason, version, updated_by AS updatedBy, updated_at AS updatedAt',
);

export function resultsOfItems(db: Tx, workpaperId: number, ids: readonly number[]): TestResultRow[] {
  return db.all<TestResultRow>(
    sql`SELECT ${RESULT_COLUMNS} FROM test_results WHERE workpaper_id = ${workpaperId} AND sample_item_id IN (SELECT value FROM json_each(${json(ids)}))`,
  );
}

export function testedItemsOfItems(db: Tx, workpaperId: number, ids: readonly number[]): TestedItemRow[] {
  return db
    .all<Omit<TestedItemRow, 'tickmarks'> & { tickmarks: string }>(
      sql`SELECT sample_item_id AS sampleItemId, workpaper_id AS workpaperId, evidence_ref AS evidenceRef, tickmarks, notes, updated_by AS updatedBy, updated_at AS updatedAt, version
          FROM tested_items WHERE workpaper_id = ${workpaperId} AND sample_item_id IN (SELECT value FROM json_each(${json(ids)}))`,
    )
    .map((r) => ({ ...r, tickmarks: JSON.parse(r.tickmarks) as string[] }));
}

/**
 * The sample's `itemCount` items grouped by how many of the plan's attributes hold an exception, an N/A, any
 * mark. Read from the workpaper's cells (an item never marked has none), the unmarked items counted as the rest.
 */
export function markCounts(
  db: Tx,
  sampleId: number,
  workpaperId: number | null,
  letters: readonly string[],
  itemCount: number,
): MarkCount[] {
  const rows =
    workpaperId === null
      ? []
      : db.all<{ exceptions: number; notApplicable: number; marked: number; items: number }>(sql`
          SELECT exceptions, notApplicable, marked, count(*) AS items FROM (
            SELECT count(CASE WHEN tr.result = 'exception' THEN 1 END) AS exceptions, count(CASE WHEN tr.result = 'na' THEN 1 END) AS notApplicable, count(tr.result) AS marked
            FROM test_results tr JOIN sample_items si ON si.id = tr.sample_item_id
            WHERE tr.workpaper_id = ${workpaperId} AND si.sample_id = ${sampleId} AND tr.attribute IN (SELECT value FROM json_each(${json(letters)})) AND NOT ${REPLACED_SQL}
            GROUP BY tr.sample_item_id)
          GROUP BY exceptions, notApplicable, marked`);
  const replaced = db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sample_items si WHERE si.sample_id = ${sampleId} AND ${REPLACED_SQL}`,
  ).n;
  const counts: MarkCount[] = rows.map((r) => ({ attributes: letters.length, ...r }));
  const withCells = counts.reduce((n, c) => n + c.items, 0);
  if (itemCount - replaced > withCells)
    counts.push({
      attributes: letters.length,
      exceptions: 0,
      notApplicable: 0,
      marked: 0,
      items: itemCount - replaced - withCells,
    });
  if (replaced > 0)
    counts.push({
      attributes: letters.length,
      exceptions: 0,
      notApplicable: 0,
      marked: 0,
      items: replaced,
      replaced: true,
    });
  return counts;
}

/** The first `limit` items (in selection order) with a blank attribute of the plan, with the attributes marked. */
export function itemsWithBlankCells(
  db: Tx,
  sampleId: number,
  letters: readonly string[],
  limit: number,
): { key: string; marked: string[] }[] {
  return db
    .all<{ key: string; marked: string }>(sql`
      SELECT pi.key, (SELECT json_group_array(tr.attribute) FROM test_results tr WHERE tr.sample_item_id = si.id AND tr.result IS NOT NULL) AS marked
      FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id
      WHERE si.sample_id = ${sampleId} AND NOT ${REPLACED_SQL}
        AND (SELECT count(*) FROM test_results tr WHERE tr.sample_item_id = si.id AND tr.result IS NOT NULL AND tr.attribute IN (SELECT value FROM json_each(${json(letters)}))) < ${letters.length}
      ORDER BY si.sequence LIMIT ${limit}`)
    .map((r) => ({ key: r.key, marked: JSON.parse(r.marked) as string[] }));
}

/** Every cell of the plan marked as an exception, in selection order, with its item's key. */
export function exceptionCells(
  db: Tx,
  sampleId: number,
  workpaperId: number,
  letters: readonly string[],
): { sampleItemId: number; attribute: string; key: string }[] {
  return db.all(sql`
    SELECT si.id AS sampleItemId, tr.attribute, pi.key FROM test_results tr JOIN sample_items si ON si.id = tr.sample_item_id JOIN population_items pi ON pi.id = si.population_item_id
    WHERE tr.workpaper_id = ${workpaperId} AND si.sample_id = ${sampleId} AND tr.result = 'exception' AND tr.attribute IN (SELECT value FROM json_each(${json(letters)})) AND NOT ${REPLACED_SQL}
    ORDER BY si.sequence, tr.attribute`);
}
