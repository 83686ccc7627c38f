import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { asc, desc, gt, sql } from 'drizzle-orm';
import { databaseOf, type Tx } from '../../db/connection.js';
import { auditEntries } from '../../db/schema/index.js';
import type { AuditEntity } from './entities.js';

export const GENESIS_HASH = '0'.repeat(64);

export type Changes = Record<string, [before: unknown, after: unknown]>;

export interface TrailEntry {
  engagementId: number | null;
  entity: AuditEntity;
  entityId: string | number;
  action: string;
  changes: Changes;
}

export interface HashedFields {
  at: string;
  userId: number | null;
  engagementId: number | null;
  entity: string;
  entityId: string;
  action: string;
  changes: string;
  prevHash: string;
}

export function entryHash(e: HashedFields): string {
  const content = JSON.stringify([
    e.prevHash,
    e.at,
    e.userId,
    e.engagementId,
    e.entity,
    e.entityId,
    e.action,
    e.changes,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

interface TrailStatements {
  lastHash: Database.Statement<[], string>;
  head: Database.Statement<[], { id: number; hash: string }>;
  insert: Database.Statement<[HashedFields & { hash: string }]>;
}
const compiled = new WeakMap<Database.Database, TrailStatements>();

/**
 * The trail is written by every save (the test grid saves on each key press): its two statements are compiled
 * once per connection instead of being rebuilt by drizzle each time, which cost ten times the writes. The
 * connection is found through drizzle's session; should a drizzle upgrade move it, appendAudit falls back to
 * the query builder (test/features/audit-trail/statements.test.ts notices).
 */
export function trailStatements(tx: Tx): TrailStatements | null {
  const client = databaseOf(tx);
  if (!client) return null;
  let statements = compiled.get(client);
  if (!statements) {
    statements = {
      lastHash: client.prepare<[], string>('SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1').pluck(),
      head: client.prepare<[], { id: number; hash: string }>(
        'SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1',
      ),
      insert: client.prepare<[HashedFields & { hash: string }]>(
        'INSERT INTO audit_entries (at, user_id, engagement_id, entity, entity_id, action, changes, prev_hash, hash) VALUES (@at, @userId, @engagementId, @entity, @entityId, @action, @changes, @prevHash, @hash)',
      ),
    };
    compiled.set(client, statements);
  }
  return statements;
}

/** Append one entry, chained to the last. Call inside the transaction that makes the change. */
export function appendAudit(tx: Tx, userId: number | null, entry: TrailEntry): void {
  const statements = trailStatements(tx);
  const last = statements
    ? { hash: statements.lastHash.get() }
    : tx.select({ hash: auditEntries.hash }).from(auditEntries).orderBy(desc(auditEntries.id)).limit(1).get();
  const fields: HashedFields = {
    at: new Date().toISOString(),
    userId,
    engagementId: entry.engagementId,
    entity: entry.entity,
    entityId: String(entry.entityId),
    action: entry.action,
    changes: JSON.stringify(entry.changes),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  if (statements) statements.insert.run({ ...fields, hash: entryHash(fields) });
  else
    tx.insert(auditEntries)
      .values({ ...fields, hash: entryHash(fields) })
      .run();
}

/** Field-by-field differences between two versions of a row, for the trail. */
export function diff<T extends object>(
  before: Partial<T> | null,
  after: Partial<T> | null,
  fields: (keyof T)[],
): Changes {
  const changes: Changes = {};
  for (const field of fields) {
    const a = before?.[field] ?? null;
    const b = after?.[field] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[String(field)] = [a, b];
  }
  return changes;
}

/** Heads of the chain signed outside the database (checkpoints.ts reads and checks them), in order. */
export interface Anchoring {
  heads: { id: number; hash: string; at: string }[];
  /** The checkpoints themselves do not hold up (a bad signature, going back): nothing can rest on them. */
  problem: { id: number; reason: string } | null;
  /** What the check cannot prove, as far as the checkpoints go. */
  limits: string[];
}

const NOT_ANCHORED: Anchoring = {
  heads: [],
  problem: null,
  limits: [
    'No checkpoints were checked: nothing outside the database anchors the chain, so removing the newest entries, or editing one and recomputing every later hash, would go unnoticed.',
  ],
};

export type VerifyResult =
  | {
      ok: true;
      entries: number;
      headHash: string;
      checkpoints: number;
      latestCheckpoint: { id: number; at: string } | null;
      limits: string[];
    }
  | { ok: false; entries: number; brokenAt: number; reason: string; limits: string[] };

function headMismatch(head: Anchoring['heads'][number], vouched: Anchoring['heads'][number] | undefined): string {
  return `its hash is not the one the checkpoint of ${head.at} signed for it: an entry from ${(vouched?.id ?? 0) + 1} to ${head.id} was changed and every later hash recomputed`;
}

/**
 * Walks the chain from the start and reports the first entry whose links or content do not hold. Ids must
 * run 1, 2, 3… (AUTOINCREMENT never reuses one and a rolled-back write rolls back its id too), and SQLite's
 * own counter must agree with the last id. The chain must hold every checkpoint's head at its id and reach at
 * least the latest one, so removing the newest entries, or rewriting one and every hash after it, is caught
 * for everything a checkpoint covers.
 */
export function verifyTrail(tx: Tx, anchoring: Anchoring = NOT_ANCHORED): VerifyResult {
  const { limits } = anchoring;
  if (anchoring.problem)
    return {
      ok: false,
      entries: 0,
      brokenAt: anchoring.problem.id,
      reason: `the checkpoints cannot be relied on: ${anchoring.problem.reason}`,
      limits,
    };
  const signed = new Map(anchoring.heads.map((h) => [h.id, h]));
  let vouched: Anchoring['heads'][number] | undefined = signed.get(0);
  let prev = GENESIS_HASH;
  let count = 0;
  let lastId = 0;
  for (;;) {
    const page = tx
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.id, lastId))
      .orderBy(asc(auditEntries.id))
      .limit(5000)
      .all();
    if (page.length === 0) break;
    for (const row of page) {
      count++;
      const broken = (reason: string) => ({ ok: false as const, entries: count, brokenAt: row.id, reason, limits });
      if (row.id !== lastId + 1) return broken(`entries ${lastId + 1}–${row.id - 1} are missing`);
      if (row.prevHash !== prev)
        return broken('does not link to the entry before it (an entry was removed or inserted)');
      if (entryHash(row) !== row.hash) return broken('its content does not match its hash (the entry was edited)');
      const head = signed.get(row.id);
      if (head && head.hash !== row.hash) return broken(headMismatch(head, vouched));
      if (head) vouched = head;
      prev = row.hash;
      lastId = row.id;
    }
  }
  const latest = anchoring.heads.at(-1) ?? null;
  if (latest && latest.id > lastId)
    return {
      ok: false,
      entries: count,
      brokenAt: lastId + 1,
      reason: `entries ${lastId + 1}–${latest.id} were removed: the checkpoint of ${latest.at} signed entry ${latest.id} as the head of the trail`,
      limits,
    };
  const issued =
    tx.get<{ seq: number } | undefined>(sql`SELECT seq FROM sqlite_sequence WHERE name = 'audit_entries'`)?.seq ?? 0;
  if (issued > lastId)
    return {
      ok: false,
      entries: count,
      brokenAt: lastId + 1,
      reason: `entries ${lastId + 1}–${issued} were written and later removed`,
      limits,
    };
  const unanchored =
    latest && lastId > latest.id
      ? [
          `The ${lastId - latest.id} newest entries (${latest.id + 1}–${lastId}) came after the latest checkpoint (${latest.at}): removing or rewriting them would not be noticed yet.`,
        ]
      : [];
  return {
    ok: true,
    entries: count,
    headHash: prev,
    checkpoints: anchoring.heads.length,
    latestCheckpoint: latest && { id: latest.id, at: latest.at },
    limits: [...unanchored, ...limits],
  };
}
