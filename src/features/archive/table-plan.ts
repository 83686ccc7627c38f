// Which tables make up an engagement, found from the drizzle schema rather than listed by hand: every table
// with a foreign key to the engagement or to a table that already belongs to it. A new table therefore travels
// in the archive without anyone remembering to add it.
import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as schema from '../../db/schema/index.js';
import { SOFT_REFERENCES } from './soft-references.js';

export interface ColumnPlan {
  key: string;
  name: string;
  column: SQLiteColumn;
  /** users: the value is a user id, archived as an e-mail; a table name: an id in that engagement table;
   * outside: an id the archive cannot carry; null: a plain value. */
  ref: 'users' | 'outside' | string | null;
  declared: boolean;
}

export interface TablePlan {
  name: string;
  table: SQLiteTable;
  columns: ColumnPlan[];
  /** The integer primary key `id` that gets a new value on import, or a text `id` that gets a new UUID. */
  id: 'integer' | 'text' | null;
  /** The not-null reference through which a row belongs to the engagement (none for `engagements`). */
  parent: ColumnPlan | null;
}

export const ROOT_TABLE = 'engagements';

function allTables(): SQLiteTable[] {
  return (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
}

function declaredReferences(table: SQLiteTable): Map<string, string> {
  const refs = new Map<string, string>();
  for (const fk of getTableConfig(table).foreignKeys) {
    const r = fk.reference();
    if (r.columns.length !== 1 || r.foreignColumns[0]?.name !== 'id')
      throw new Error(`archive: ${getTableConfig(table).name} has a foreign key the archive does not understand`);
    refs.set(r.columns[0]!.name, getTableConfig(r.foreignTable).name);
  }
  return refs;
}

/** The engagement's tables, parents before children. */
function ownedInOrder(tables: SQLiteTable[]): SQLiteTable[] {
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const owned = new Set([ROOT_TABLE]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, t] of byName) {
      if (owned.has(name)) continue;
      if ([...declaredReferences(t).values()].some((target) => owned.has(target))) {
        owned.add(name);
        grew = true;
      }
    }
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    if (visiting.has(name)) throw new Error(`archive: the foreign keys around ${name} form a cycle`);
    visiting.add(name);
    for (const target of declaredReferences(byName.get(name)!).values())
      if (target !== name && owned.has(target)) visit(target);
    visiting.delete(name);
    ordered.push(name);
  };
  for (const name of byName.keys()) if (owned.has(name)) visit(name);
  return ordered.map((n) => byName.get(n)!);
}

function planOf(table: SQLiteTable, owned: Set<string>): TablePlan {
  const name = getTableConfig(table).name;
  const declared = declaredReferences(table);
  const columns: ColumnPlan[] = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const soft = SOFT_REFERENCES.find((s) => s.table === name && s.column === column.name);
    const target = declared.get(column.name) ?? soft?.target ?? null;
    if (target && target !== 'users' && target !== 'outside' && !owned.has(target))
      throw new Error(`archive: ${name}.${column.name} refers to ${target}, which is not part of an engagement`);
    return { key, name: column.name, column, ref: target, declared: declared.has(column.name) };
  });
  const idColumn = columns.find((c) => c.name === 'id' && c.column.primary);
  const id = idColumn ? (idColumn.column.dataType === 'number' ? 'integer' : 'text') : null;
  const parent =
    name === ROOT_TABLE
      ? null
      : (columns.find((c) => c.name === 'engagement_id' && c.declared) ??
        columns.find((c) => c.declared && c.column.notNull && c.ref !== 'users' && c.ref !== name) ??
        null);
  if (name !== ROOT_TABLE && !parent)
    throw new Error(`archive: ${name} has no not-null reference that ties its rows to the engagement`);
  return { name, table, columns, id, parent };
}

let cached: TablePlan[] | null = null;

/** Every engagement table with what the archive needs to know about its columns, parents first. */
export function archivePlan(): TablePlan[] {
  if (cached) return cached;
  const ordered = ownedInOrder(allTables());
  const owned = new Set(ordered.map((t) => getTableConfig(t).name));
  cached = ordered.map((t) => planOf(t, owned));
  return cached;
}

export function tableNamesOutsidePlan(): string[] {
  const planned = new Set(archivePlan().map((p) => p.name));
  return allTables()
    .map((t) => getTableConfig(t).name)
    .filter((n) => !planned.has(n));
}
