// Writing a checked archive into this instance: every row with a new id and every reference translated, the
// people resolved (import-people.ts), the original trail kept as imported history, and the import itself
// recorded in this instance's trail. One transaction. An unverified copy is marked as such on its engagement
// row, and its importer is its only reader, as viewer.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { databaseOf, type Tx } from '../../db/connection.js';
import { engagementMembers, importedAuditEntries } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { Manifest } from './archive-format.js';
import type { ArchiveTrust } from './archive-signature.js';
import type { ArchivedTrail, EngagementData } from './export-data.js';
import { checkImportedTeam, firmRolesHere, matchPeople, neededPeople, recordPeople } from './import-people.js';
import { archivePlan, ROOT_TABLE, type TablePlan } from './table-plan.js';

export interface ImportOutcome {
  engagementId: number;
  rows: number;
  /** Verified: accounts created inactive. Unverified: people recorded (never accounts). */
  createdUsers: string[];
}

type InsertRow = (plan: TablePlan, values: Record<string, unknown>) => Record<string, unknown>;

/**
 * Rows go in through statements prepared once per table and column set: drizzle would prepare a fresh statement
 * for each of the thousands of rows (about ten times slower). Values are converted by the columns themselves.
 */
function rowInserter(tx: Tx): InsertRow {
  const client = databaseOf(tx);
  if (!client)
    return (plan, values) => tx.insert(plan.table).values(values).returning().get() as Record<string, unknown>;
  const statements = new Map<string, Database.Statement>();
  return (plan, values) => {
    const columns = plan.columns.filter((c) => values[c.key] !== undefined);
    const key = `${plan.name}:${columns.map((c) => c.name).join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      statement = client.prepare(
        `INSERT INTO "${plan.name}" (${names}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`,
      );
      statements.set(key, statement);
    }
    return statement.get(
      ...columns.map((c) => (values[c.key] === null ? null : c.column.mapToDriverValue(values[c.key]))),
    ) as Record<string, unknown>;
  };
}

/** Inserts every table's rows, parents first; references that may point forward are set once all rows exist. */
function insertRows(
  tx: Tx,
  data: EngagementData,
  plans: TablePlan[],
  userIds: Map<string, number>,
): { newIds: Map<string, Map<number, number>>; rows: number } {
  const newIds = new Map<string, Map<number, number>>();
  const later: { plan: TablePlan; id: number; column: string; target: string; old: number }[] = [];
  let rows = 0;
  const order = new Map(plans.map((p, i) => [p.name, i]));
  const insert = rowInserter(tx);
  for (const plan of plans) {
    const map = new Map<number, number>();
    newIds.set(plan.name, map);
    for (const row of data.tables[plan.name] ?? []) {
      const values: Record<string, unknown> = {};
      const pending: { column: string; target: string; old: number }[] = [];
      for (const c of plan.columns) {
        const v = row[c.name];
        if (v === undefined) continue;
        if (c.name === 'id' && plan.id === 'integer') continue;
        if (c.name === 'id' && plan.id === 'text') values[c.key] = randomUUID();
        else if (v === null || !c.ref) values[c.key] = v;
        else if (c.ref === 'users') values[c.key] = userIds.get(v as string);
        else if (c.ref === 'outside') values[c.key] = null;
        else if (c.ref === plan.name || order.get(c.ref)! > order.get(plan.name)!) {
          values[c.key] = null;
          pending.push({ column: c.key, target: c.ref, old: v as number });
        } else values[c.key] = newIds.get(c.ref)!.get(v as number);
      }
      if (pending.length > 0 && plan.id !== 'integer')
        throw new Error(`archive: ${plan.name} refers forward but has no id to update the reference by`);
      const inserted = insert(plan, values);
      if (plan.id === 'integer') map.set(row.id as number, inserted.id as number);
      for (const p of pending) later.push({ ...p, plan, id: inserted.id as number });
      rows++;
    }
  }
  for (const l of later) {
    const idColumn = l.plan.columns.find((c) => c.name === 'id')!.column;
    tx.update(l.plan.table)
      .set({ [l.column]: newIds.get(l.target)!.get(l.old) })
      .where(eq(idColumn, l.id))
      .run();
  }
  return { newIds, rows };
}

function keepOriginalTrail(tx: Tx, engagementId: number, trail: ArchivedTrail, archiveSha256: string): void {
  for (const e of trail.entries) {
    tx.insert(importedAuditEntries)
      .values({
        engagementId,
        archiveSha256,
        originalId: e.id,
        at: e.at,
        originalUserId: e.userId,
        userEmail: e.userEmail,
        originalEngagementId: e.engagementId,
        entity: e.entity,
        entityId: e.entityId,
        action: e.action,
        changes: e.changes,
        prevHash: e.prevHash,
        hash: e.hash,
      })
      .run();
  }
}

/** The archive's rows with this instance's verdict on the engagement row: an unverified copy says why. */
function withVerdict(data: EngagementData, trust: ArchiveTrust): EngagementData {
  const root = { ...data.tables[ROOT_TABLE]![0]!, unverified_reason: trust.verified ? null : trust.reason };
  return { ...data, tables: { ...data.tables, [ROOT_TABLE]: [root] } };
}

export function importData(
  tx: Tx,
  actor: CurrentUser,
  manifest: Manifest,
  manifestSha256: string,
  archived: EngagementData,
  trail: ArchivedTrail,
  trust: ArchiveTrust,
): ImportOutcome {
  const plans = archivePlan();
  const data = withVerdict(archived, trust);
  const needed = neededPeople(data);
  if (trust.verified) checkImportedTeam(data, firmRolesHere(tx, data, needed));
  const { idOf, added } = trust.verified ? matchPeople(tx, data, needed) : recordPeople(tx, data, needed);
  const { newIds, rows } = insertRows(tx, data, plans, idOf);
  const source = data.tables[ROOT_TABLE]![0]!;
  const engagementId = newIds.get(ROOT_TABLE)!.get(source.id as number)!;
  keepOriginalTrail(tx, engagementId, trail, manifestSha256);
  const evidence = (data.tables.evidence_files ?? []).length;
  appendAudit(tx, actor.id, {
    engagementId,
    entity: 'engagement',
    entityId: engagementId,
    action: 'import',
    changes: {
      archive: [null, manifestSha256],
      verified: [null, trust.verified],
      ...(trust.verified
        ? { signer: [null, `${trust.signer.label} (${trust.signer.fingerprint})`] }
        : { unverifiedReason: [null, trust.reason] }),
      exportedAt: [null, manifest.exportedAt],
      exportedBy: [null, manifest.exportedBy],
      sourceVersion: [null, `${manifest.appVersion} (${manifest.schema})`],
      sourceEngagementId: [null, manifest.engagement.id],
      rolledFromId: [archived.tables[ROOT_TABLE]![0]!.rolled_from_id ?? null, null],
      rows: [null, rows],
      evidenceFiles: [null, evidence],
      originalTrailEntries: [null, trail.entries.length],
      [trust.verified ? 'createdUsers' : 'recordedPeople']: [null, added],
    },
  });
  if (!trust.verified) addViewer(tx, actor, engagementId);
  return { engagementId, rows, createdUsers: added };
}

/** The importer of an unverified copy reads it, and does nothing else in it. */
function addViewer(tx: Tx, actor: CurrentUser, engagementId: number): void {
  const row = tx.insert(engagementMembers).values({ engagementId, userId: actor.id, role: 'viewer' }).returning().get();
  appendAudit(tx, actor.id, {
    engagementId,
    entity: 'team-member',
    entityId: row.id,
    action: 'create',
    changes: { userId: [null, actor.id], role: [null, 'viewer'] },
  });
}
