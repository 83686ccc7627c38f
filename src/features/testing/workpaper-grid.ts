// The workpaper's grid: its items and their cells for one view (a page, the items named, every item, or none),
// read in a few queries however large the sample.
import type { Page } from '../../core/http/paging.js';
import type { Tx } from '../../db/connection.js';
import type { CellResult } from '../../domain/workpaper.js';
import type { SampledItem } from '../sampling/index.js';
import { gridItemsByIds, gridItemsOf, gridItemsPage, resultsOfItems, testedItemsOfItems } from './grid-queries.js';
import {
  exceptionOf,
  resultOf,
  resultsOf,
  sampledItemKey,
  testedItemsOf,
  type EvidenceRow,
  type ExceptionRow,
  type TestedItemRow,
  type TestResultRow,
  type WorkpaperRow,
} from './queries.js';
import type { WorkpaperScope } from './scope.js';

export interface GridCell {
  sampleItemId: number;
  attribute: string;
  result: CellResult | null;
  naReason: string;
  version: number;
  updatedBy: number | null;
  updatedAt: string | null;
  /** For an exception cell: its record has been written. */
  hasRecord: boolean;
}

export interface GridItem {
  item: SampledItem;
  cells: GridCell[];
  /** Notes, evidence reference and tickmarks, once written. */
  tested: TestedItemRow | null;
  /** The last mark on the item: who tested it and when. */
  lastMark: { by: number; at: string } | null;
  evidenceCount: number;
}

function lastMarkOf(cells: GridCell[]): GridItem['lastMark'] {
  let last: GridItem['lastMark'] = null;
  for (const c of cells)
    if (c.updatedBy !== null && c.updatedAt !== null && (!last || c.updatedAt > last.at))
      last = { by: c.updatedBy, at: c.updatedAt };
  return last;
}

function toGridCell(
  sampleItemId: number,
  attribute: string,
  r: TestResultRow | undefined,
  hasRecord: boolean,
): GridCell {
  return {
    sampleItemId,
    attribute,
    result: r?.result ?? null,
    naReason: r?.naReason ?? '',
    version: r?.version ?? 0,
    updatedBy: r?.updatedBy ?? null,
    updatedAt: r?.updatedAt ?? null,
    hasRecord,
  };
}

/** One cell of the workpaper with its item's key, read on its own to answer a save; undefined when not on it. */
export function gridCellOf(
  db: Tx,
  scope: WorkpaperScope,
  sampleItemId: number,
  attribute: string,
): { cell: GridCell; itemKey: string } | undefined {
  if (!scope.sample || !scope.attributes.some((a) => a.letter === attribute)) return undefined;
  const item = sampledItemKey(db, sampleItemId);
  if (!item || item.sampleId !== scope.sample.id) return undefined;
  return {
    cell: toGridCell(
      sampleItemId,
      attribute,
      resultOf(db, sampleItemId, attribute),
      !!exceptionOf(db, sampleItemId, attribute),
    ),
    itemKey: item.key,
  };
}

/** Which of the sample's items a workpaper is read with: one page of the grid, the items named, every item (the
 * printed file), or none (the figures alone). The figures always cover the whole sample. */
export type GridView = { page: Page } | { items: readonly number[] } | 'all' | 'none';

/** Items of the grid on one page of the workpaper. */
export const GRID_PAGE_SIZE = 100;

function itemsInView(db: Tx, sampleId: number, view: GridView): SampledItem[] {
  if (view === 'none') return [];
  if (view === 'all') return gridItemsOf(db, sampleId);
  if ('page' in view) return gridItemsPage(db, sampleId, view.page.offset, view.page.size);
  return gridItemsByIds(db, sampleId, view.items);
}

export function gridItems(
  db: Tx,
  scope: WorkpaperScope,
  workpaper: WorkpaperRow | null,
  records: Map<string, ExceptionRow>,
  evidence: EvidenceRow[],
  view: GridView,
): GridItem[] {
  if (!scope.sample) return [];
  const items = itemsInView(db, scope.sample.id, view);
  if (items.length === 0) return [];
  const ids = items.map((i) => i.sampleItemId);
  const all = view === 'all';
  const results = new Map(
    workpaper
      ? (all ? resultsOf(db, workpaper.id) : resultsOfItems(db, workpaper.id, ids)).map((r) => [
          `${r.sampleItemId}/${r.attribute}`,
          r,
        ])
      : [],
  );
  const tested = new Map(
    workpaper
      ? (all ? testedItemsOf(db, workpaper.id) : testedItemsOfItems(db, workpaper.id, ids)).map((t) => [
          t.sampleItemId,
          t,
        ])
      : [],
  );
  const evidenceCount = new Map<number, number>();
  for (const e of evidence)
    if (e.sampleItemId !== null && e.supersededById === null)
      evidenceCount.set(e.sampleItemId, (evidenceCount.get(e.sampleItemId) ?? 0) + 1);
  return items.map((item) => {
    const cells = scope.attributes.map(({ letter }) =>
      toGridCell(
        item.sampleItemId,
        letter,
        results.get(`${item.sampleItemId}/${letter}`),
        records.has(`${item.sampleItemId}/${letter}`),
      ),
    );
    return {
      item,
      cells,
      tested: tested.get(item.sampleItemId) ?? null,
      lastMark: lastMarkOf(cells),
      evidenceCount: evidenceCount.get(item.sampleItemId) ?? 0,
    };
  });
}
