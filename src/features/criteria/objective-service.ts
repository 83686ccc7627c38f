import { and, eq, sql } from 'drizzle-orm';
import { RuleError } from '../../core/errors.js';
import type { Db, Tx } from '../../db/connection.js';
import { controlMappings, controlObjectives, complementaryControlMappings } from '../../db/schema/index.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { listObjectives } from './scope.js';

export interface ObjectiveInput {
  reference: string;
  text: string;
}

const FIELDS: (keyof ObjectiveInput | 'position')[] = ['reference', 'text', 'position'];

function objectiveOf(tx: Tx, engagementId: number, id: number) {
  return tx
    .select()
    .from(controlObjectives)
    .where(and(eq(controlObjectives.id, id), eq(controlObjectives.engagementId, engagementId)))
    .get();
}

function assertReferenceFree(tx: Tx, engagementId: number, reference: string, exceptId?: number): void {
  const other = tx
    .select()
    .from(controlObjectives)
    .where(
      and(
        eq(controlObjectives.engagementId, engagementId),
        sql`lower(${controlObjectives.reference}) = lower(${reference})`,
      ),
    )
    .get();
  if (other && other.id !== exceptId)
    throw new RuleError(`${other.reference} is already the reference of another objective.`, { field: 'reference' });
}

export function addObjective(db: Db, actor: CurrentUser, engagementId: number, input: ObjectiveInput): void {
  db.transaction((tx) => {
    assertReferenceFree(tx, engagementId, input.reference);
    const last = listObjectives(tx, engagementId).at(-1);
    const row = tx
      .insert(controlObjectives)
      .values({ engagementId, ...input, position: (last?.position ?? 0) + 1 })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'control-objective',
      entityId: row.id,
      action: 'create',
      changes: diff(null, row, FIELDS),
    });
  });
}

export function editObjective(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  id: number,
  input: ObjectiveInput,
): boolean {
  return db.transaction((tx) => {
    const before = objectiveOf(tx, engagementId, id);
    if (!before) return false;
    assertReferenceFree(tx, engagementId, input.reference, id);
    const after = tx.update(controlObjectives).set(input).where(eq(controlObjectives.id, id)).returning().get();
    const changes = diff(before, after, FIELDS);
    if (Object.keys(changes).length)
      appendAudit(tx, actor.id, { engagementId, entity: 'control-objective', entityId: id, action: 'update', changes });
    return true;
  });
}

/** Swaps the objective with its neighbour; positions are renumbered 1..n so gaps never accumulate. */
export function moveObjective(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  id: number,
  direction: 'up' | 'down',
): void {
  db.transaction((tx) => {
    const list = listObjectives(tx, engagementId);
    const at = list.findIndex((o) => o.id === id);
    const to = direction === 'up' ? at - 1 : at + 1;
    if (at < 0 || to < 0 || to >= list.length) return;
    [list[at], list[to]] = [list[to]!, list[at]!];
    list.forEach((o, i) => {
      if (o.position !== i + 1)
        tx.update(controlObjectives)
          .set({ position: i + 1 })
          .where(eq(controlObjectives.id, o.id))
          .run();
    });
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'control-objective',
      entityId: id,
      action: 'move',
      changes: { position: [at + 1, to + 1] },
    });
  });
}

/** An objective that controls or complementary controls address stays until they are remapped. */
export function deleteObjective(db: Db, actor: CurrentUser, engagementId: number, id: number): void {
  db.transaction((tx) => {
    const row = objectiveOf(tx, engagementId, id);
    if (!row) return;
    const used = [controlMappings, complementaryControlMappings].reduce(
      (n, t) => n + tx.select({ id: t.id }).from(t).where(eq(t.objectiveId, id)).all().length,
      0,
    );
    if (used > 0)
      throw new RuleError(
        `${row.reference} is addressed by ${used} control${used === 1 ? '' : 's'}; map ${used === 1 ? 'it' : 'them'} elsewhere before deleting it.`,
        { field: 'objectives' },
      );
    tx.delete(controlObjectives).where(eq(controlObjectives.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'control-objective',
      entityId: id,
      action: 'delete',
      changes: diff(row, null, FIELDS),
    });
  });
}
