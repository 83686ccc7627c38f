import { RuleError } from '../../core/errors.js';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { controlMappings, controls } from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import type { ControlFields } from '../../domain/control-fields.js';
import { recordWrite } from '../../core/audit/record.js';
import type { Changes } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { replaceMappings, type EngagementScope } from '../criteria/index.js';
import type { ControlInsertFields } from './fields.js';
import { controlWithReference, criteriaOf, getControl, type ControlRow } from './queries.js';

export type { ControlFields } from '../../domain/control-fields.js';

/** The criteria a control is mapped to, as the trail shows them beside its columns (rows of their own). */
export function criteriaChange(before: string[], after: string[]): Changes {
  return JSON.stringify(before) === JSON.stringify(after)
    ? {}
    : { criteria: [before.length ? before : null, after.length ? after : null] };
}

function assertReferenceFree(tx: Tx, engagementId: number, reference: string, exceptId?: number): void {
  const other = controlWithReference(tx, engagementId, reference);
  if (other && other.id !== exceptId)
    throw new RuleError(`${other.reference} is already the reference of another control in this engagement.`, {
      field: 'reference',
    });
}

/** A field with a column default may be left out (a calendar: business days; no change during the period). */
export function insertControl(tx: Tx, engagementId: number, fields: ControlInsertFields): ControlRow {
  const now = new Date().toISOString();
  return tx
    .insert(controls)
    .values({ engagementId, ...fields, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function updateControlRow(tx: Tx, controlId: number, fields: Partial<ControlFields>): ControlRow {
  return tx
    .update(controls)
    .set({ ...fields, updatedAt: new Date().toISOString() })
    .where(eq(controls.id, controlId))
    .returning()
    .get();
}

export function createControl(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  scope: EngagementScope,
  fields: ControlFields,
  criteria: string[],
): ControlRow {
  return db.transaction((tx) => {
    assertReferenceFree(tx, engagementId, fields.reference);
    const row = insertControl(tx, engagementId, fields);
    replaceMappings(tx, controlMappings, row.id, criteria, scope);
    recordWrite(tx, actor.id, {
      table: controls,
      entity: 'control',
      entityId: row.id,
      engagementId,
      before: null,
      after: row,
      also: criteriaChange([], [...criteria].sort(compareReferences)),
    });
    return row;
  });
}

/** `basedOn`: the control's version the form showed; a save based on an older one is refused (StaleVersionError). */
export function updateControl(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  controlId: number,
  scope: EngagementScope,
  fields: ControlFields,
  criteria: string[],
  basedOn: number,
): ControlRow {
  return db.transaction((tx) => {
    const before = getControl(tx, engagementId, controlId);
    if (!before) throw new RuleError('This control was deleted by someone else.', { field: '_form' });
    assertBasedOn(before.version, basedOn);
    assertReferenceFree(tx, engagementId, fields.reference, controlId);
    const beforeCriteria = criteriaOf(tx, [controlId]).get(controlId) ?? [];
    const after = updateControlRow(tx, controlId, fields);
    replaceMappings(tx, controlMappings, controlId, criteria, scope);
    recordWrite(tx, actor.id, {
      table: controls,
      entity: 'control',
      entityId: controlId,
      engagementId,
      before,
      after,
      also: criteriaChange(beforeCriteria, [...criteria].sort(compareReferences)),
    });
    return after;
  });
}

/** Removes the control with its mappings, plan and walkthrough (cascade); the trail keeps what it was. */
export function deleteControl(db: Db, actor: CurrentUser, engagementId: number, controlId: number): ControlRow | null {
  return db.transaction((tx) => {
    const row = getControl(tx, engagementId, controlId);
    if (!row) return null;
    const criteria = criteriaOf(tx, [controlId]).get(controlId) ?? [];
    // Recorded before the delete, so the plan, walkthrough and mappings it cascades to are still there to read.
    recordWrite(tx, actor.id, {
      table: controls,
      entity: 'control',
      entityId: controlId,
      engagementId,
      before: row,
      after: null,
      also: criteriaChange(criteria, []),
    });
    tx.delete(controls)
      .where(and(eq(controls.id, controlId), eq(controls.engagementId, engagementId)))
      .run();
    return row;
  });
}
