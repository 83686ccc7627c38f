// Audited writes recorded by the table's structure rather than by a hand-kept list of fields: every column of
// the row is compared (a column added to the table is in the trail without anyone remembering), but for the
// bookkeeping each table opts out of, and deleting a row records the rows its foreign keys' ON DELETE CASCADE
// takes with it. The entry is appended in the caller's transaction, to the same hash chain as every other.
import { and, count, eq, getTableColumns, is, type SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../../db/connection.js';
import * as schema from '../../db/schema/index.js';
import type { AuditEntity } from './entities.js';
import { appendAudit, type Changes } from './trail.js';

type AnyRow = Record<string, unknown>;
type RowOf<T extends SQLiteTable> = T['$inferSelect'];

/** Columns the app derives or keeps for itself (versions, update times, who saved last): never what anyone decided. */
const UNAUDITED = new Map<SQLiteTable, readonly string[]>();
function unaudited<T extends SQLiteTable>(table: T, keys: readonly (keyof RowOf<T> & string)[]): void {
  UNAUDITED.set(table, keys);
}
unaudited(schema.controls, ['version', 'planVersion', 'createdAt', 'updatedAt']);
unaudited(schema.walkthroughs, ['version', 'updatedAt']);
unaudited(schema.caEvidence, ['version', 'updatedAt']);
// Raised when an import replaces the items, only to tell a frame hashed meanwhile that it is stale.
unaudited(schema.populations, ['itemsRevision']);
unaudited(schema.testedItems, ['version', 'updatedBy', 'updatedAt']);
unaudited(schema.testResults, ['version', 'updatedBy', 'updatedAt']);
unaudited(schema.workpapers, ['version', 'changedBy', 'changedAt', 'createdAt']);
unaudited(schema.exceptionRecords, ['version', 'updatedBy', 'updatedAt']);
// Which file replaced an older one is recorded on the newer file's entry (supersedes, reinstates), not twice.
unaudited(schema.evidenceFiles, ['supersededById', 'supersededAt']);

/** A cascaded table with more rows than this under one parent is recorded by its count (a population's items). */
export const CASCADE_ROWS_IN_FULL = 200;

const columnsOf = new WeakMap<SQLiteTable, string[]>();

/** The columns the trail records for the table, by their TypeScript names (read once: the grid saves on each key). */
export function auditedColumns(table: SQLiteTable): string[] {
  let keys = columnsOf.get(table);
  if (!keys) {
    const skip = new Set(UNAUDITED.get(table) ?? []);
    keys = Object.keys(getTableColumns(table)).filter((key) => !skip.has(key));
    columnsOf.set(table, keys);
  }
  return keys;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Every audited column whose value differs between the two versions of the row (null: no row). */
export function columnChanges(table: SQLiteTable, before: AnyRow | null, after: AnyRow | null): Changes {
  const changes: Changes = {};
  for (const key of auditedColumns(table)) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (!same(a, b)) changes[key] = [a, b];
  }
  return changes;
}

/** Whether writing `values` over `before` would change no audited column: such a save should write nothing. */
export function changesNothing<T extends SQLiteTable>(
  table: T,
  before: RowOf<T> | null | undefined,
  values: Partial<RowOf<T>>,
): boolean {
  return (
    !!before && Object.keys(columnChanges(table, before as AnyRow, { ...before, ...values } as AnyRow)).length === 0
  );
}

interface CascadeLink {
  child: SQLiteTable;
  /** Child column = parent column, for each column of the foreign key. */
  pairs: { childColumn: SQLiteColumn; parentKey: string }[];
}

let cascades: Map<SQLiteTable, CascadeLink[]> | null = null;

/** The ON DELETE CASCADE foreign keys of the schema, by the table they point at. */
function cascadeLinks(parent: SQLiteTable): CascadeLink[] {
  if (!cascades) {
    cascades = new Map();
    const tables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
    for (const child of tables) {
      for (const fk of getTableConfig(child).foreignKeys) {
        if (fk.onDelete !== 'cascade') continue;
        const ref = fk.reference();
        const parentKeys = ref.foreignColumns.map(
          (c) => Object.entries(getTableColumns(ref.foreignTable)).find(([, col]) => col === c)![0],
        );
        const link = {
          child,
          pairs: ref.columns.map((childColumn, i) => ({ childColumn, parentKey: parentKeys[i]! })),
        };
        cascades.set(ref.foreignTable, [...(cascades.get(ref.foreignTable) ?? []), link]);
      }
    }
  }
  return cascades.get(parent) ?? [];
}

const audited = (table: SQLiteTable, row: AnyRow) =>
  Object.fromEntries(auditedColumns(table).map((k) => [k, row[k] ?? null]));

interface Cascaded {
  rows: Map<string, AnyRow>;
  /** Rows under parents with more than CASCADE_ROWS_IN_FULL of them, counted, not read. */
  counted: number;
}

function collectCascade(tx: Tx, table: SQLiteTable, row: AnyRow, into: Map<string, Cascaded>): void {
  for (const { child, pairs } of cascadeLinks(table)) {
    const where: SQL | undefined = and(...pairs.map((p) => eq(p.childColumn, row[p.parentKey] as never)));
    const n = tx.select({ n: count() }).from(child).where(where).get()?.n ?? 0;
    if (n === 0) continue;
    const name = getTableConfig(child).name;
    const seen = into.get(name) ?? { rows: new Map(), counted: 0 };
    into.set(name, seen);
    if (n > CASCADE_ROWS_IN_FULL) {
      seen.counted += n;
      continue;
    }
    for (const c of tx.select().from(child).where(where).all() as AnyRow[]) {
      const key = JSON.stringify(c);
      // A row reached by two foreign keys (a result under its workpaper and its item) is recorded once.
      if (seen.rows.has(key)) continue;
      seen.rows.set(key, audited(child, c));
      collectCascade(tx, child, c, into);
    }
  }
}

/**
 * The rows a delete of `row` takes with it, table by table (and theirs, down the foreign keys), read before the
 * delete, as `cascade:<table>` changes. A table with more than CASCADE_ROWS_IN_FULL rows under one parent is
 * counted instead, and what hangs below it is not read.
 */
export function cascadedRows(tx: Tx, table: SQLiteTable, row: AnyRow): Changes {
  const found = new Map<string, Cascaded>();
  collectCascade(tx, table, row, found);
  const changes: Changes = {};
  for (const [name, { rows, counted }] of found) {
    const full = [...rows.values()];
    changes[`cascade:${name}`] = [counted === 0 ? full : { count: full.length + counted, recorded: full }, null];
  }
  return changes;
}

export interface AuditedWrite<T extends SQLiteTable> {
  table: T;
  entity: AuditEntity;
  entityId: string | number;
  engagementId: number | null;
  /** The row as it was, or null when it is being created. */
  before: RowOf<T> | null;
  /** The row as it is now, or null when it is being deleted: then call this before the delete, so the rows
   * the delete cascades to can still be read. */
  after: RowOf<T> | null;
  /** Defaults to create, update or delete by which row is missing. */
  action?: string;
  /** What the entity is read with beyond its row (a control's criteria), or why the change was made. */
  also?: Changes;
}

/**
 * Appends the write to the trail in the caller's transaction: every audited column that changed (all of them
 * for a create or delete), the `also` changes, and on delete the cascaded rows. An update that changed no
 * audited column appends nothing; says whether an entry was written.
 */
export function recordWrite<T extends SQLiteTable>(tx: Tx, actorId: number | null, write: AuditedWrite<T>): boolean {
  const { table, before, after } = write;
  const changes: Changes = { ...columnChanges(table, before as AnyRow | null, after as AnyRow | null), ...write.also };
  if (before && !after) Object.assign(changes, cascadedRows(tx, table, before as AnyRow));
  if (before && after && Object.keys(changes).length === 0) return false;
  const action = write.action ?? (!before ? 'create' : !after ? 'delete' : 'update');
  appendAudit(tx, actorId, {
    engagementId: write.engagementId,
    entity: write.entity,
    entityId: write.entityId,
    action,
    changes,
  });
  return true;
}
