import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import {
  controlMappings,
  controls,
  testAttributes,
  testProcedures,
  users,
  walkthroughs,
} from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import { matrixFieldsOf, type ControlDraft } from '../../domain/matrix-rows.js';
import type { TestProcedure } from '../../domain/test-plan.js';
import { mappedReferences } from '../criteria/index.js';

export type ControlRow = typeof controls.$inferSelect;
export type WalkthroughRow = typeof walkthroughs.$inferSelect;

export function listControls(db: Tx, engagementId: number): ControlRow[] {
  const rows = db.select().from(controls).where(eq(controls.engagementId, engagementId)).all();
  return rows.sort((a, b) => compareReferences(a.reference, b.reference));
}

export function getControl(db: Tx, engagementId: number, controlId: number): ControlRow | undefined {
  if (!Number.isSafeInteger(controlId)) return undefined;
  return db
    .select()
    .from(controls)
    .where(and(eq(controls.id, controlId), eq(controls.engagementId, engagementId)))
    .get();
}

export function controlWithReference(db: Tx, engagementId: number, reference: string): ControlRow | undefined {
  return db
    .select()
    .from(controls)
    .where(and(eq(controls.engagementId, engagementId), sql`lower(${controls.reference}) = lower(${reference.trim()})`))
    .get();
}

export function criteriaOf(db: Tx, controlIds: number[]): Map<number, string[]> {
  return mappedReferences(db, controlMappings, controlIds);
}

/** Procedures of every control of the engagement, in order, in one query. */
export function proceduresByControl(db: Tx, engagementId: number, controlId?: number): Map<number, TestProcedure[]> {
  const rows = db
    .select({ controlId: testProcedures.controlId, kind: testProcedures.kind, text: testProcedures.text })
    .from(testProcedures)
    .innerJoin(controls, eq(controls.id, testProcedures.controlId))
    .where(and(eq(controls.engagementId, engagementId), controlId ? eq(controls.id, controlId) : undefined))
    .orderBy(asc(testProcedures.controlId), asc(testProcedures.position))
    .all();
  const out = new Map<number, TestProcedure[]>();
  for (const r of rows) out.set(r.controlId, [...(out.get(r.controlId) ?? []), { kind: r.kind, text: r.text }]);
  return out;
}

export function attributesByControl(db: Tx, engagementId: number, controlId?: number): Map<number, string[]> {
  const rows = db
    .select({ controlId: testAttributes.controlId, text: testAttributes.text })
    .from(testAttributes)
    .innerJoin(controls, eq(controls.id, testAttributes.controlId))
    .where(and(eq(controls.engagementId, engagementId), controlId ? eq(controls.id, controlId) : undefined))
    .orderBy(asc(testAttributes.controlId), asc(testAttributes.letter))
    .all();
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.controlId, [...(out.get(r.controlId) ?? []), r.text]);
  return out;
}

export interface WalkthroughView extends WalkthroughRow {
  performedByName: string;
}

export function walkthroughsByControl(db: Tx, engagementId: number, controlId?: number): Map<number, WalkthroughView> {
  const rows = db
    .select({ w: walkthroughs, name: users.name })
    .from(walkthroughs)
    .innerJoin(controls, eq(controls.id, walkthroughs.controlId))
    .innerJoin(users, eq(users.id, walkthroughs.performedBy))
    .where(and(eq(controls.engagementId, engagementId), controlId ? eq(controls.id, controlId) : undefined))
    .all();
  return new Map(rows.map((r) => [r.w.controlId, { ...r.w, performedByName: r.name }]));
}

export function draftOf(
  control: ControlRow,
  criteria: string[],
  procedures: TestProcedure[],
  attributes: string[],
): ControlDraft {
  return { ...matrixFieldsOf(control), criteria, procedures, attributes };
}

export interface StoredControl {
  control: ControlRow;
  draft: ControlDraft;
}

/** Every control of the engagement as a matrix row would describe it: five queries whatever the size. */
export function loadMatrix(db: Tx, engagementId: number): StoredControl[] {
  const rows = listControls(db, engagementId);
  const criteria = criteriaOf(
    db,
    rows.map((r) => r.id),
  );
  const procedures = proceduresByControl(db, engagementId);
  const attributes = attributesByControl(db, engagementId);
  return rows.map((control) => ({
    control,
    draft: draftOf(
      control,
      criteria.get(control.id) ?? [],
      procedures.get(control.id) ?? [],
      attributes.get(control.id) ?? [],
    ),
  }));
}

export function loadControl(db: Tx, engagementId: number, controlId: number): StoredControl | undefined {
  const control = getControl(db, engagementId, controlId);
  if (!control) return undefined;
  const criteria = criteriaOf(db, [control.id]).get(control.id) ?? [];
  const procedures = proceduresByControl(db, engagementId, control.id).get(control.id) ?? [];
  const attributes = attributesByControl(db, engagementId, control.id).get(control.id) ?? [];
  return { control, draft: draftOf(control, criteria, procedures, attributes) };
}
