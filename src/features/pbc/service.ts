import { and, asc, eq, inArray } from 'drizzle-orm';
import { RuleError } from '../../core/errors.js';
import type { Db, Tx } from '../../db/connection.js';
import { controls, pbcRequestControls, pbcRequests } from '../../db/schema/index.js';
import { nextReference } from '../../domain/pbc.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { splitControls, type PbcInput } from './forms.js';

export type PbcRow = typeof pbcRequests.$inferSelect & { controls: string[] };
const FIELDS = ['reference', 'description', 'ownerName', 'ownerEmail', 'dueDate', 'status', 'answer'] as const;

export function listRequests(db: Tx, engagementId: number): PbcRow[] {
  const rows = db
    .select()
    .from(pbcRequests)
    .where(eq(pbcRequests.engagementId, engagementId))
    .orderBy(asc(pbcRequests.reference))
    .all();
  const links = rows.length
    ? db
        .select({ requestId: pbcRequestControls.requestId, reference: controls.reference })
        .from(pbcRequestControls)
        .innerJoin(controls, eq(controls.id, pbcRequestControls.controlId))
        .where(
          inArray(
            pbcRequestControls.requestId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(controls.reference))
        .all()
    : [];
  return rows.map((r) => ({ ...r, controls: links.filter((l) => l.requestId === r.id).map((l) => l.reference) }));
}

function controlIds(tx: Tx, engagementId: number, references: string[]): number[] {
  if (references.length === 0) return [];
  const found = tx
    .select({ id: controls.id, reference: controls.reference })
    .from(controls)
    .where(and(eq(controls.engagementId, engagementId), inArray(controls.reference, references)))
    .all();
  const missing = references.filter((r) => !found.some((f) => f.reference === r));
  if (missing.length)
    throw new RuleError(`No control ${missing.join(', ')} in this engagement.`, { field: 'controls' });
  return found.map((f) => f.id);
}

/**
 * Creates or updates one request with its controls; the reference is unique within the engagement. `basedOn`: the
 * request's version the form showed (a save based on an older one is refused); null for the spreadsheet import.
 */
export function saveRequest(
  tx: Tx,
  actor: CurrentUser,
  engagementId: number,
  input: PbcInput,
  id: number | null,
  basedOn: number | null,
): number {
  const before = id
    ? tx
        .select()
        .from(pbcRequests)
        .where(and(eq(pbcRequests.id, id), eq(pbcRequests.engagementId, engagementId)))
        .get()
    : undefined;
  if (id && !before) throw new RuleError('That request no longer exists.', { field: 'description' });
  if (before && basedOn !== null) assertBasedOn(before.version, basedOn);
  const existing = tx
    .select({ id: pbcRequests.id, reference: pbcRequests.reference })
    .from(pbcRequests)
    .where(eq(pbcRequests.engagementId, engagementId))
    .all();
  const reference =
    input.reference ||
    (id ? existing.find((e) => e.id === id)?.reference : undefined) ||
    nextReference(existing.map((e) => e.reference));
  if (existing.some((e) => e.reference.toLowerCase() === reference.toLowerCase() && e.id !== id))
    throw new RuleError(`Another request is already ${reference}.`, { field: 'reference' });
  const ids = controlIds(tx, engagementId, splitControls(input.controls));
  const values = {
    reference,
    description: input.description,
    ownerName: input.ownerName,
    ownerEmail: input.ownerEmail,
    dueDate: input.dueDate,
    status: input.status,
    answer: input.answer,
    updatedAt: new Date().toISOString(),
  };
  const row = before
    ? tx.update(pbcRequests).set(values).where(eq(pbcRequests.id, before.id)).returning().get()
    : tx
        .insert(pbcRequests)
        .values({ ...values, engagementId, createdBy: actor.id, createdAt: values.updatedAt })
        .returning()
        .get();
  tx.delete(pbcRequestControls).where(eq(pbcRequestControls.requestId, row.id)).run();
  if (ids.length)
    tx.insert(pbcRequestControls)
      .values(ids.map((controlId) => ({ requestId: row.id, controlId })))
      .run();
  const changes = diff(before ?? null, row, [...FIELDS]);
  changes.controls = [null, splitControls(input.controls)];
  appendAudit(tx, actor.id, {
    engagementId,
    entity: 'pbc-request',
    entityId: row.id,
    action: before ? 'update' : 'create',
    changes,
  });
  return row.id;
}

export function saveOne(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  input: PbcInput,
  id: number | null,
  basedOn: number,
): number {
  return db.transaction((tx) => saveRequest(tx, actor, engagementId, input, id, basedOn));
}

/** An import writes every row or none; the first error names its row. */
export function importRequests(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  rows: { row: number; input: PbcInput }[],
): number {
  return db.transaction((tx) => {
    const byReference = new Map(
      tx
        .select()
        .from(pbcRequests)
        .where(eq(pbcRequests.engagementId, engagementId))
        .all()
        .map((r) => [r.reference.toLowerCase(), r.id]),
    );
    for (const { row, input } of rows) {
      try {
        saveRequest(tx, actor, engagementId, input, byReference.get(input.reference.toLowerCase()) ?? null, null);
      } catch (err) {
        if (err instanceof RuleError) throw new RuleError(`Row ${row}: ${err.message}`, { field: 'file' });
        throw err;
      }
    }
    return rows.length;
  });
}
