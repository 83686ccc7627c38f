import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { controlMappings, controls } from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import type { ControlType, Frequency, Nature, OccurrenceCalendar, Risk } from '../../domain/types.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { replaceMappings, type EngagementScope } from '../criteria/index.js';
import { controlWithReference, criteriaOf, getControl, type ControlRow } from './queries.js';

export interface ControlFields {
  reference: string;
  description: string;
  owner: string;
  frequency: Frequency;
  calendar: OccurrenceCalendar;
  nature: Nature;
  controlType: ControlType;
  isKey: boolean;
  risk: Risk;
  implementedFrom: string;
  changedOn: string | null;
  descriptionBeforeChange: string;
  descriptionAfterChange: string;
}

type Snapshot = ControlFields & { criteria: string[] };

export const CONTROL_AUDIT_FIELDS: (keyof Snapshot)[] = [
  'reference',
  'description',
  'owner',
  'frequency',
  'calendar',
  'nature',
  'controlType',
  'isKey',
  'risk',
  'implementedFrom',
  'changedOn',
  'descriptionBeforeChange',
  'descriptionAfterChange',
  'criteria',
];

/** A rule about the matrix as a whole (a reference already used) that the form shows beside the field. */
export class ControlRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function assertReferenceFree(tx: Tx, engagementId: number, reference: string, exceptId?: number): void {
  const other = controlWithReference(tx, engagementId, reference);
  if (other && other.id !== exceptId) throw new ControlRuleError('reference', `${other.reference} is already the reference of another control in this engagement.`);
}

/** A control's calendar may be left out: it then runs on business days (the column's default). */
export function insertControl(tx: Tx, engagementId: number, fields: Omit<ControlFields, 'calendar'> & Partial<Pick<ControlFields, 'calendar'>>): ControlRow {
  const now = new Date().toISOString();
  return tx.insert(controls).values({ engagementId, ...fields, createdAt: now, updatedAt: now }).returning().get();
}

export function updateControlRow(tx: Tx, controlId: number, fields: Partial<ControlFields>): ControlRow {
  return tx.update(controls).set({ ...fields, updatedAt: new Date().toISOString() }).where(eq(controls.id, controlId)).returning().get();
}

export function createControl(db: Db, actor: CurrentUser, engagementId: number, scope: EngagementScope, fields: ControlFields, criteria: string[]): ControlRow {
  return db.transaction((tx) => {
    assertReferenceFree(tx, engagementId, fields.reference);
    const row = insertControl(tx, engagementId, fields);
    replaceMappings(tx, controlMappings, row.id, criteria, scope);
    appendAudit(tx, actor.id, { engagementId, entity: 'control', entityId: row.id, action: 'create', changes: diff<Snapshot>(null, { ...row, criteria }, CONTROL_AUDIT_FIELDS) });
    return row;
  });
}

/** `basedOn`: the control's version the form showed; a save based on an older one is refused (StaleVersionError). */
export function updateControl(db: Db, actor: CurrentUser, engagementId: number, controlId: number, scope: EngagementScope, fields: ControlFields, criteria: string[], basedOn: number): ControlRow {
  return db.transaction((tx) => {
    const before = getControl(tx, engagementId, controlId);
    if (!before) throw new ControlRuleError('_form', 'This control was deleted by someone else.');
    assertBasedOn(before.version, basedOn);
    assertReferenceFree(tx, engagementId, fields.reference, controlId);
    const beforeCriteria = criteriaOf(tx, [controlId]).get(controlId) ?? [];
    const after = updateControlRow(tx, controlId, fields);
    replaceMappings(tx, controlMappings, controlId, criteria, scope);
    const changes = diff<Snapshot>({ ...before, criteria: beforeCriteria }, { ...after, criteria: [...criteria].sort(compareReferences) }, CONTROL_AUDIT_FIELDS);
    if (Object.keys(changes).length > 0) appendAudit(tx, actor.id, { engagementId, entity: 'control', entityId: controlId, action: 'update', changes });
    return after;
  });
}

/** Removes the control with its mappings, plan and walkthrough (cascade); the trail keeps what it was. */
export function deleteControl(db: Db, actor: CurrentUser, engagementId: number, controlId: number): ControlRow | null {
  return db.transaction((tx) => {
    const row = getControl(tx, engagementId, controlId);
    if (!row) return null;
    const criteria = criteriaOf(tx, [controlId]).get(controlId) ?? [];
    tx.delete(controls).where(and(eq(controls.id, controlId), eq(controls.engagementId, engagementId))).run();
    appendAudit(tx, actor.id, { engagementId, entity: 'control', entityId: controlId, action: 'delete', changes: diff<Snapshot>({ ...row, criteria }, null, CONTROL_AUDIT_FIELDS) });
    return row;
  });
}
