import { RuleError } from '../../core/errors.js';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { controls, testAttributes, testProcedures, walkthroughs } from '../../db/schema/index.js';
import {
  attributeLetter,
  writeAttributes,
  writeProcedures,
  type DesignConclusion,
  type TestPlan,
} from '../../domain/test-plan.js';
import { changesNothing, recordWrite } from '../../core/audit/record.js';
import { diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { attributesByControl, getControl, proceduresByControl } from './queries.js';

/** Replaces a control's procedures and attributes; letters follow the attributes' order. Raises the plan's
 * version, not the control's: the details and the plan are edited by different forms. */
export function writeTestPlan(tx: Tx, controlId: number, plan: TestPlan): void {
  tx.update(controls)
    .set({ planVersion: sql`${controls.planVersion} + 1`, version: sql`${controls.version}` })
    .where(eq(controls.id, controlId))
    .run();
  tx.delete(testProcedures).where(eq(testProcedures.controlId, controlId)).run();
  tx.delete(testAttributes).where(eq(testAttributes.controlId, controlId)).run();
  if (plan.procedures.length > 0) {
    tx.insert(testProcedures)
      .values(plan.procedures.map((p, i) => ({ controlId, position: i + 1, kind: p.kind, text: p.text })))
      .run();
  }
  if (plan.attributes.length > 0) {
    tx.insert(testAttributes)
      .values(plan.attributes.map((text, i) => ({ controlId, letter: attributeLetter(i), text })))
      .run();
  }
}

/** The plan as the trail records it: the same lines the matrix export writes. */
export function planLines(plan: TestPlan): { procedures: string[]; attributes: string[] } {
  return {
    procedures: plan.procedures.length ? writeProcedures(plan.procedures).split('\n') : [],
    attributes: plan.attributes.length ? writeAttributes(plan.attributes).split('\n') : [],
  };
}

export function storedPlan(tx: Tx, engagementId: number, controlId: number): TestPlan {
  return {
    procedures: proceduresByControl(tx, engagementId, controlId).get(controlId) ?? [],
    attributes: attributesByControl(tx, engagementId, controlId).get(controlId) ?? [],
  };
}

export function saveTestPlan(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  controlId: number,
  plan: TestPlan,
  basedOn: number,
): void {
  db.transaction((tx) => {
    const control = getControl(tx, engagementId, controlId);
    if (!control) throw new RuleError('This control was deleted by someone else.', { field: '_form' });
    assertBasedOn(control.planVersion, basedOn);
    const before = storedPlan(tx, engagementId, controlId);
    const changes = diff(planLines(before), planLines(plan), ['procedures', 'attributes']);
    // A save that changes nothing writes nothing: rewriting the same rows would be a change the trail cannot show.
    if (Object.keys(changes).length === 0) return;
    writeTestPlan(tx, controlId, plan);
    // The plan is rows replaced together: recorded as the lines the matrix export writes, beside the control's row.
    recordWrite(tx, actor.id, {
      table: controls,
      entity: 'test-plan',
      entityId: controlId,
      engagementId,
      before: control,
      after: getControl(tx, engagementId, controlId)!,
      action: 'update',
      also: changes,
    });
  });
}

export interface WalkthroughInput {
  performedOn: string;
  performedBy: number;
  traced: string;
  conclusion: DesignConclusion;
  deficiency: string;
}

export function saveWalkthrough(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  controlId: number,
  input: WalkthroughInput,
  basedOn: number,
): void {
  db.transaction((tx) => {
    if (!getControl(tx, engagementId, controlId))
      throw new RuleError('This control was deleted by someone else.', { field: '_form' });
    const before = tx.select().from(walkthroughs).where(eq(walkthroughs.controlId, controlId)).get() ?? null;
    assertBasedOn(before?.version, basedOn);
    const values = {
      ...input,
      deficiency: input.conclusion === 'suitably-designed' ? '' : input.deficiency,
      updatedAt: new Date().toISOString(),
    };
    if (changesNothing(walkthroughs, before, values)) return;
    const after = tx
      .insert(walkthroughs)
      .values({ controlId, ...values })
      .onConflictDoUpdate({ target: walkthroughs.controlId, set: values })
      .returning()
      .get();
    recordWrite(tx, actor.id, {
      table: walkthroughs,
      entity: 'walkthrough',
      entityId: controlId,
      engagementId,
      before,
      after,
    });
  });
}
