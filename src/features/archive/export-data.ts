// Reads everything that belongs to one engagement, table by table along the archive plan, and writes it with
// the database's own column names; users appear by e-mail, never by this instance's ids.
import { and, asc, eq, gt, inArray, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../../db/connection.js';
import { auditEntries, users } from '../../db/schema/index.js';
import type { HashedFields } from '../audit-trail/trail.js';
import { archivePlan, type TablePlan } from './table-plan.js';

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

function rowsOf(tx: Tx, plan: TablePlan, engagementId: number, parentIds: (table: string) => number[]): Record<string, unknown>[] {
  const byKey = (name: string) => plan.columns.find((c) => c.name === name)?.column as SQLiteColumn;
  const order = byKey('id') ?? plan.parent!.column;
  const select = (where: SQL) => tx.select().from(plan.table).where(where).orderBy(asc(order)).all() as Record<string, unknown>[];
  if (!plan.parent) return select(eq(byKey('id'), engagementId));
  const ids = parentIds(plan.parent.ref!);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) rows.push(...select(inArray(plan.parent.column, ids.slice(i, i + CHUNK))));
  return rows;
}

/** Every row of every engagement table, plus the people they name. Call inside one transaction for a consistent copy. */
export function engagementData(tx: Tx, engagementId: number, trailUserIds: number[] = []): EngagementData {
  const ids = new Map<string, number[]>();
  const userIds = new Set<number>(trailUserIds);
  const raw: [TablePlan, Record<string, unknown>[]][] = [];
  for (const plan of archivePlan()) {
    const rows = rowsOf(tx, plan, engagementId, (table) => ids.get(table) ?? []);
    if (plan.id === 'integer') ids.set(plan.name, rows.map((r) => r.id as number));
    for (const c of plan.columns) if (c.ref === 'users') for (const r of rows) if (typeof r[c.key] === 'number') userIds.add(r[c.key] as number);
    raw.push([plan, rows]);
  }
  const people = userIds.size === 0 ? [] : tx.select({ id: users.id, email: users.email, name: users.name, firmRole: users.firmRole }).from(users).where(inArray(users.id, [...userIds])).orderBy(asc(users.email)).all();
  const emailOf = new Map(people.map((u) => [u.id, u.email]));
  const tables: Record<string, ArchivedRow[]> = {};
  for (const [plan, rows] of raw) {
    tables[plan.name] = rows.map((r) => {
      const out: ArchivedRow = {};
      for (const c of plan.columns) out[c.name] = c.ref === 'users' && r[c.key] !== null ? (emailOf.get(r[c.key] as number) ?? null) : r[c.key];
      return out;
    });
  }
  return { format: DATA_FORMAT, users: people.map(({ email, name, firmRole }) => ({ email, name, firmRole })), tables };
}

/** The engagement's trail entries, with the hashes of the entries in between that belong to others. */
export function engagementTrail(tx: Tx, engagementId: number): { trail: ArchivedTrail; userIds: number[] } {
  const entries = tx.select().from(auditEntries).where(eq(auditEntries.engagementId, engagementId)).orderBy(asc(auditEntries.id)).all();
  const links: ArchivedTrail['links'] = [];
  if (entries.length > 0) {
    const [first, last] = [entries[0]!.id, entries.at(-1)!.id];
    const between = tx.select({ id: auditEntries.id, prevHash: auditEntries.prevHash, hash: auditEntries.hash, engagementId: auditEntries.engagementId }).from(auditEntries).where(and(gt(auditEntries.id, first), lt(auditEntries.id, last))).orderBy(asc(auditEntries.id)).all();
    for (const e of between) if (e.engagementId !== engagementId) links.push({ id: e.id, prevHash: e.prevHash, hash: e.hash });
  }
  const userIds = [...new Set(entries.map((e) => e.userId).filter((u): u is number => u !== null))];
  const emails = userIds.length === 0 ? new Map<number, string>() : new Map(tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, userIds)).all().map((u) => [u.id, u.email]));
  const trail: ArchivedTrail = { format: TRAIL_FORMAT, entries: entries.map((e) => ({ ...e, userEmail: e.userId === null ? null : (emails.get(e.userId) ?? null) })), links };
  return { trail, userIds };
}
