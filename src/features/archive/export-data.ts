// Reads everything that belongs to one engagement, table by table along the archive plan, and writes it with
// the database's own column names; users appear by e-mail, never by this instance's ids. Rows are streamed:
// an engagement with a population of millions is written without holding its rows in memory.
import type Database from 'better-sqlite3';
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { auditEntries, users } from '../../db/schema/index.js';
import type { HashedFields } from '../../core/audit/trail.js';
import { contentOfRow } from '../evidence/index.js';
import { archivePlan, ROOT_TABLE, type TablePlan } from './table-plan.js';

export const DATA_FORMAT = 'tickmark-engagement-data-v1';
export const TRAIL_FORMAT = 'tickmark-audit-trail-v1';

export interface ArchivedUser {
  email: string;
  name: string;
  firmRole: string;
}

export type ArchivedRow = Record<string, unknown>;

export interface EngagementData {
  format: typeof DATA_FORMAT;
  users: ArchivedUser[];
  /** Table name -> rows, parents before children, each row keyed by column name. */
  tables: Record<string, ArchivedRow[]>;
}

/** A trail entry as exported: the hashed fields as stored, with its id, hash and the user's e-mail. */
export interface ArchivedTrailEntry extends HashedFields {
  id: number;
  userEmail: string | null;
  hash: string;
}

export interface ArchivedTrail {
  format: typeof TRAIL_FORMAT;
  entries: ArchivedTrailEntry[];
  /** Other engagements' entries between the first and the last of these, hashes only: they let the chain be
   * followed across them without revealing what they say. */
  links: { id: number; prevHash: string; hash: string }[];
}

const CHUNK = 5000;

type Row = Record<string, unknown>;
/** Yielded between rows where the reading may pause and let other requests run. */
type Pause = null;
const PAUSE_EVERY = 10_000;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/**
 * The rows of one table that belong to the engagement, one at a time (a population may hold millions), in id
 * order. Sorting by id would make SQLite sort every row before returning the first; instead the rows' id range
 * is found from the parent's index (read a slice at a time) and the table is read along its ids within it.
 */
function* ownedRows(
  reader: Database.Database,
  plan: TablePlan,
  engagementId: number,
  parentIds: Map<string, number[]>,
  columns = '*',
): Generator<Row | Pause> {
  const from = `SELECT ${columns} FROM "${plan.name}"`;
  if (!plan.parent) {
    yield* reader.prepare<[number], Row>(`${from} WHERE "id" = ?`).iterate(engagementId);
    return;
  }
  const parent = `"${plan.parent.name}"`;
  // Tables without an integer id are read along their parent's key or index; the few with a text id are small.
  const order = plan.columns.some((c) => c.name === 'id') ? '"id"' : parent;
  const ids = parentIds.get(plan.parent.ref!) ?? [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    if (plan.id !== 'integer') {
      yield* reader
        .prepare<number[], Row>(`${from} WHERE ${parent} IN (${placeholders(chunk.length)}) ORDER BY ${order}`)
        .iterate(...chunk);
      continue;
    }
    let [low, high, n] = [Infinity, -Infinity, 0];
    for (const id of reader
      .prepare<number[], number>(`SELECT "id" FROM "${plan.name}" WHERE ${parent} IN (${placeholders(chunk.length)})`)
      .pluck()
      .iterate(...chunk)) {
      [low, high] = [Math.min(low, id), Math.max(high, id)];
      if (++n % PAUSE_EVERY === 0) yield null;
    }
    if (n === 0) continue;
    // The unary plus keeps SQLite off the parent's index, so it walks the ids instead of sorting.
    const range = reader.prepare<number[], Row>(
      `${from} WHERE "id" BETWEEN ? AND ? AND +${parent} IN (${placeholders(chunk.length)}) ORDER BY "id"`,
    );
    yield* range.iterate(low, high, ...chunk);
  }
}

/** The ids of every table others hang from, and the users the rows name: a narrow first pass. */
function* engagementScope(
  reader: Database.Database,
  plans: TablePlan[],
  engagementId: number,
  userIds: Set<number>,
): Generator<'', Map<string, number[]>> {
  const parents = new Set(plans.map((p) => p.parent?.ref));
  const ids = new Map<string, number[]>([[ROOT_TABLE, [engagementId]]]);
  for (const plan of plans) {
    const userColumns = plan.columns.filter((c) => c.ref === 'users').map((c) => c.name);
    const keepIds = plan.id === 'integer' && parents.has(plan.name);
    if (!keepIds && userColumns.length === 0) continue;
    const kept: number[] = [];
    let n = 0;
    for (const row of ownedRows(
      reader,
      plan,
      engagementId,
      ids,
      [...(keepIds ? ['id'] : []), ...userColumns].map((c) => `"${c}"`).join(', '),
    )) {
      if (row === null || ++n % PAUSE_EVERY === 0) yield '';
      if (row === null) continue;
      if (keepIds) kept.push(row.id as number);
      for (const c of userColumns) if (typeof row[c] === 'number') userIds.add(row[c]);
    }
    if (keepIds) ids.set(plan.name, kept);
  }
  return ids;
}

function archivedUsers(db: Tx, userIds: Set<number>): (ArchivedUser & { id: number })[] {
  const all = [...userIds];
  const people: (ArchivedUser & { id: number })[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    people.push(
      ...db
        .select({ id: users.id, email: users.email, name: users.name, firmRole: users.firmRole })
        .from(users)
        .where(inArray(users.id, all.slice(i, i + CHUNK)))
        .all(),
    );
  }
  return people.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/** A stored row as the archive holds it: the columns' own values (booleans, JSON), users by e-mail. */
function archivedRow(plan: TablePlan, row: Row, emailOf: Map<number, string>): ArchivedRow {
  const out: ArchivedRow = {};
  for (const c of plan.columns) {
    const raw = row[c.name];
    const value = raw === null || raw === undefined ? null : c.column.mapFromDriverValue(raw);
    out[c.name] = c.ref === 'users' && value !== null ? (emailOf.get(value as number) ?? null) : value;
  }
  return out;
}

export interface DataWritten {
  rows: number;
  /** The SHA-256 of every evidence file the rows name, sorted. */
  evidence: string[];
}

/**
 * engagement.json as pieces of text, row by row: every row of every engagement table and the people they name.
 * Each row is one line of compact JSON, so memory stays bounded whatever the engagement holds. Run on a
 * connection whose read transaction is open, so that every piece comes from the same moment.
 */
export function* engagementJson(
  reader: Database.Database,
  db: Tx,
  engagementId: number,
  trailUserIds: number[] = [],
): Generator<string, DataWritten> {
  const plans = archivePlan();
  const userIds = new Set<number>(trailUserIds);
  const ids = yield* engagementScope(reader, plans, engagementId, userIds);
  const people = archivedUsers(db, userIds);
  const emailOf = new Map(people.map((u) => [u.id, u.email]));
  yield `{"format":${JSON.stringify(DATA_FORMAT)},\n"users":[`;
  yield people.map(({ email, name, firmRole }) => `\n${JSON.stringify({ email, name, firmRole })}`).join(',');
  yield '\n],\n"tables":{';
  const evidence = new Set<string>();
  let rows = 0;
  for (const [i, plan] of plans.entries()) {
    yield `${i > 0 ? ',' : ''}\n${JSON.stringify(plan.name)}:[`;
    let n = 0;
    for (const row of ownedRows(reader, plan, engagementId, ids)) {
      if (row === null) {
        yield '';
        continue;
      }
      const content = contentOfRow(plan.name, row);
      if (content) evidence.add(content.sha256);
      yield `${n++ > 0 ? ',' : ''}\n${JSON.stringify(archivedRow(plan, row, emailOf))}`;
    }
    rows += n;
    yield n > 0 ? '\n]' : ']';
  }
  yield '\n}}\n';
  return { rows, evidence: [...evidence].sort() };
}

/** The engagement's trail entries, with the hashes of the entries in between that belong to others. */
export function engagementTrail(tx: Tx, engagementId: number): { trail: ArchivedTrail; userIds: number[] } {
  const entries = tx
    .select()
    .from(auditEntries)
    .where(eq(auditEntries.engagementId, engagementId))
    .orderBy(asc(auditEntries.id))
    .all();
  const links: ArchivedTrail['links'] = [];
  if (entries.length > 0) {
    const [first, last] = [entries[0]!.id, entries.at(-1)!.id];
    const between = tx
      .select({
        id: auditEntries.id,
        prevHash: auditEntries.prevHash,
        hash: auditEntries.hash,
        engagementId: auditEntries.engagementId,
      })
      .from(auditEntries)
      .where(and(gt(auditEntries.id, first), lt(auditEntries.id, last)))
      .orderBy(asc(auditEntries.id))
      .all();
    for (const e of between)
      if (e.engagementId !== engagementId) links.push({ id: e.id, prevHash: e.prevHash, hash: e.hash });
  }
  const userIds = [...new Set(entries.map((e) => e.userId).filter((u): u is number => u !== null))];
  const emails =
    userIds.length === 0
      ? new Map<number, string>()
      : new Map(
          tx
            .select({ id: users.id, email: users.email })
            .from(users)
            .where(inArray(users.id, userIds))
            .all()
            .map((u) => [u.id, u.email]),
        );
  const trail: ArchivedTrail = {
    format: TRAIL_FORMAT,
    entries: entries.map((e) => ({ ...e, userEmail: e.userId === null ? null : (emails.get(e.userId) ?? null) })),
    links,
  };
  return { trail, userIds };
}
