// Gathers what the opinion rules need from the database: criteria in scope, each control's conclusion,
// compensating controls named on exceptions, recorded scope limitations and criteria marked not applicable.
import { and, eq, isNotNull } from 'drizzle-orm';
import { walkthroughConclusions } from './result-sentences.js';
import type { Tx } from '../../db/connection.js';
import {
  complementaryControlMappings,
  complementaryControls,
  controlMappings,
  controlObjectives,
  controls,
  exceptionRecords,
  scopeLimitations,
  workpapers,
} from '../../db/schema/index.js';
import { conclusionSeverity } from '../../domain/evaluation.js';
import {
  rollUp,
  type ControlOutcome,
  type CriterionRollUp,
  type DesignOutcome,
  type ReportType,
} from '../../domain/opinion.js';
import type { Conclusion } from '../../domain/types.js';
import { engagementScope, mappedReferences } from '../criteria/index.js';
import { exclusionsOf } from './exclusions.js';
import type { EngagementRow } from '../../core/engagement/queries.js';

/** A control tested over several windows concludes as its worst window; any open window leaves it open. */
export function combineWindows(conclusions: readonly (Conclusion | null)[]): Conclusion | null {
  if (conclusions.length === 0 || conclusions.includes(null)) return null;
  const rated = conclusions.filter((c): c is Conclusion => c !== 'no-testing');
  if (rated.length === 0) return 'no-testing';
  return rated.reduce((worst, c) => ((conclusionSeverity(c) ?? 0) > (conclusionSeverity(worst) ?? 0) ? c : worst));
}

export function controlOutcomes(db: Tx, engagementId: number): ControlOutcome[] {
  const rows = db
    .select({ id: controls.id, reference: controls.reference, isKey: controls.isKey })
    .from(controls)
    .where(eq(controls.engagementId, engagementId))
    .all();
  const mapped = mappedReferences(
    db,
    controlMappings,
    rows.map((r) => r.id),
  );
  const windows = db
    .select({ controlId: workpapers.controlId, conclusion: workpapers.conclusion })
    .from(workpapers)
    .where(eq(workpapers.engagementId, engagementId))
    .all();
  const byControl = new Map<number, (Conclusion | null)[]>();
  for (const w of windows) byControl.set(w.controlId, [...(byControl.get(w.controlId) ?? []), w.conclusion]);
  const covers = compensations(db, engagementId);
  const designs = designOutcomes(db, engagementId);
  return rows.map((r) => ({
    controlId: r.id,
    reference: r.reference,
    key: r.isKey,
    conclusion: combineWindows(byControl.get(r.id) ?? []),
    design: designs.get(r.id) ?? null,
    mappedTo: mapped.get(r.id) ?? [],
    coversRiskOf: covers.get(r.id) ?? [],
  }));
}

/** Control id → its walkthrough's conclusion on design (element (b)); a control with no walkthrough is absent. */
function designOutcomes(db: Tx, engagementId: number): Map<number, DesignOutcome> {
  return new Map(
    walkthroughConclusions(db, engagementId).map((r) => [
      r.controlId,
      r.conclusion === 'suitably-designed' ? 'suitable' : 'deficient',
    ]),
  );
}

/** Control id → references of the controls whose exceptions name it as the compensating control. */
function compensations(db: Tx, engagementId: number): Map<number, string[]> {
  const rows = db
    .select({ compensating: exceptionRecords.compensatingControlId, failed: controls.reference })
    .from(exceptionRecords)
    .innerJoin(workpapers, eq(workpapers.id, exceptionRecords.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .where(and(eq(exceptionRecords.engagementId, engagementId), isNotNull(exceptionRecords.compensatingControlId)))
    .all();
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.compensating!, [...new Set([...(out.get(r.compensating!) ?? []), r.failed])]);
  return out;
}

export function limitationsOf(db: Tx, engagementId: number) {
  return db.select().from(scopeLimitations).where(eq(scopeLimitations.engagementId, engagementId)).all();
}

/** Criterion ids and objective references that a carved-out subservice organization's controls (CSOCs) address. */
export function carvedOutReferences(db: Tx, engagementId: number): string[] {
  const rows = db
    .select({ criterionId: complementaryControlMappings.criterionId, objective: controlObjectives.reference })
    .from(complementaryControlMappings)
    .innerJoin(complementaryControls, eq(complementaryControls.id, complementaryControlMappings.complementaryControlId))
    .leftJoin(controlObjectives, eq(controlObjectives.id, complementaryControlMappings.objectiveId))
    .where(and(eq(complementaryControls.engagementId, engagementId), eq(complementaryControls.kind, 'csoc')))
    .all();
  return [...new Set(rows.map((r) => r.criterionId ?? r.objective).filter((r): r is string => r !== null))];
}

export interface EngagementRollUp {
  kind: 'criteria' | 'objectives';
  /** Type I reads design only; carried for every consumer of the roll-up (the opinion page, Sections I and IV). */
  reportType: ReportType;
  rows: CriterionRollUp[];
  outcomes: ControlOutcome[];
}

export function engagementRollUp(db: Tx, rootDir: string, engagement: EngagementRow): EngagementRollUp {
  const scope = engagementScope(db, rootDir, engagement);
  const outcomes = controlOutcomes(db, engagement.id);
  const inScope = new Set(scope.items.map((i) => i.reference));
  const reportType = engagement.reportType;
  const rows = rollUp({
    reportType,
    criteria: scope.items.map((i) => ({ id: i.reference, title: i.title })),
    controls: outcomes.map((o) => ({ ...o, mappedTo: o.mappedTo.filter((m) => inScope.has(m)) })),
    scopeLimitations: limitationsOf(db, engagement.id)
      .filter((l) => inScope.has(l.criterionRef))
      .map((l) => ({ criterionId: l.criterionRef, description: l.description })),
    carvedOut: carvedOutReferences(db, engagement.id),
    notApplicable: exclusionsOf(db, engagement.id)
      .filter((x) => inScope.has(x.criterionRef))
      .map((x) => ({ criterionId: x.criterionRef, reason: x.reason })),
  });
  return { kind: scope.kind, reportType, rows, outcomes };
}
