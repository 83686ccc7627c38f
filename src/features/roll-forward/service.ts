// Next period's engagement from this one: the matrix, test plans, legend, team and request templates carry
// over; populations, selections, results, sign-offs and notes do not. Controls with an exception in the prior
// period start at the higher risk of failure.
import { eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import {
  complementaryControlMappings,
  complementaryControls,
  controlMappings,
  controlObjectives,
  controls,
  engagementMembers,
  exceptionRecords,
  pbcRequestControls,
  pbcRequests,
  subserviceOrgs,
  testAttributes,
  testProcedures,
  tickmarks,
  workpapers,
} from '../../db/schema/index.js';
import { addDaysIso, toEpochDay } from '../../domain/periods.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { getEngagement, insertEngagement, type EngagementRow } from '../../core/engagement/queries.js';
import { startingMethodology, type Methodology } from '../methodology/index.js';

export interface NextPeriod {
  periodStart: string;
  periodEnd: string;
  plannedReportDate: string | null;
}

type IdMap = Map<number, number>;

/** Dates in the new period keep their distance from the period start (a due date a week in stays a week in). */
function shift(date: string | null, from: EngagementRow, to: NextPeriod): string | null {
  if (!date) return null;
  return addDaysIso(to.periodStart, toEpochDay(date) - toEpochDay(from.periodStart));
}

function copyStructure(tx: Tx, source: EngagementRow, targetId: number): { orgs: IdMap; objectives: IdMap } {
  const orgs: IdMap = new Map();
  for (const { id, engagementId: _e, ...o } of tx
    .select()
    .from(subserviceOrgs)
    .where(eq(subserviceOrgs.engagementId, source.id))
    .all()) {
    orgs.set(
      id,
      tx
        .insert(subserviceOrgs)
        .values({ ...o, engagementId: targetId })
        .returning()
        .get().id,
    );
  }
  const objectives: IdMap = new Map();
  for (const { id, engagementId: _e, ...o } of tx
    .select()
    .from(controlObjectives)
    .where(eq(controlObjectives.engagementId, source.id))
    .all()) {
    objectives.set(
      id,
      tx
        .insert(controlObjectives)
        .values({ ...o, engagementId: targetId })
        .returning()
        .get().id,
    );
  }
  for (const { id: _i, engagementId: _e, ...m } of tx
    .select()
    .from(engagementMembers)
    .where(eq(engagementMembers.engagementId, source.id))
    .all()) {
    tx.insert(engagementMembers)
      .values({ ...m, engagementId: targetId, roleSince: new Date().toISOString() })
      .run();
  }
  for (const { id: _i, engagementId: _e, ...t } of tx
    .select()
    .from(tickmarks)
    .where(eq(tickmarks.engagementId, source.id))
    .all()) {
    tx.insert(tickmarks)
      .values({ ...t, engagementId: targetId })
      .run();
  }
  for (const { id, engagementId: _e, subserviceOrgId, ...c } of tx
    .select()
    .from(complementaryControls)
    .where(eq(complementaryControls.engagementId, source.id))
    .all()) {
    const copy = tx
      .insert(complementaryControls)
      .values({ ...c, engagementId: targetId, subserviceOrgId: subserviceOrgId ? orgs.get(subserviceOrgId)! : null })
      .returning()
      .get();
    for (const { id: _m, complementaryControlId: _c, objectiveId, ...m } of tx
      .select()
      .from(complementaryControlMappings)
      .where(eq(complementaryControlMappings.complementaryControlId, id))
      .all()) {
      tx.insert(complementaryControlMappings)
        .values({
          ...m,
          complementaryControlId: copy.id,
          objectiveId: objectiveId ? objectives.get(objectiveId)! : null,
        })
        .run();
    }
  }
  return { orgs, objectives };
}

/** Controls whose prior-period testing recorded an exception. */
export function controlsWithExceptions(tx: Tx, engagementId: number): Set<number> {
  const rows = tx
    .selectDistinct({ controlId: workpapers.controlId })
    .from(exceptionRecords)
    .innerJoin(workpapers, eq(workpapers.id, exceptionRecords.workpaperId))
    .where(eq(exceptionRecords.engagementId, engagementId))
    .all();
  return new Set(rows.map((r) => r.controlId));
}

function copyControls(tx: Tx, source: EngagementRow, targetId: number, next: NextPeriod, objectives: IdMap): IdMap {
  const excepted = controlsWithExceptions(tx, source.id);
  const map: IdMap = new Map();
  const now = new Date().toISOString();
  for (const { id, engagementId: _e, ...c } of tx
    .select()
    .from(controls)
    .where(eq(controls.engagementId, source.id))
    .all()) {
    const copy = tx
      .insert(controls)
      .values({
        ...c,
        engagementId: targetId,
        risk: excepted.has(id) ? 'higher' : c.risk,
        implementedFrom: next.periodStart,
        changedOn: null,
        descriptionBeforeChange: '',
        descriptionAfterChange: '',
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    map.set(id, copy.id);
  }
  const ids = [...map.keys()];
  if (ids.length === 0) return map;
  for (const { id: _i, controlId, objectiveId, ...m } of tx
    .select()
    .from(controlMappings)
    .where(inArray(controlMappings.controlId, ids))
    .all()) {
    tx.insert(controlMappings)
      .values({ ...m, controlId: map.get(controlId)!, objectiveId: objectiveId ? objectives.get(objectiveId)! : null })
      .run();
  }
  for (const { id: _i, controlId, ...p } of tx
    .select()
    .from(testProcedures)
    .where(inArray(testProcedures.controlId, ids))
    .all())
    tx.insert(testProcedures)
      .values({ ...p, controlId: map.get(controlId)! })
      .run();
  for (const { id: _i, controlId, ...a } of tx
    .select()
    .from(testAttributes)
    .where(inArray(testAttributes.controlId, ids))
    .all())
    tx.insert(testAttributes)
      .values({ ...a, controlId: map.get(controlId)! })
      .run();
  return map;
}

/** Request templates: same requests and owners, open again, due at the same point of the new period. */
function copyRequests(
  tx: Tx,
  actor: CurrentUser,
  source: EngagementRow,
  targetId: number,
  next: NextPeriod,
  controlMap: IdMap,
): void {
  const now = new Date().toISOString();
  for (const r of tx.select().from(pbcRequests).where(eq(pbcRequests.engagementId, source.id)).all()) {
    const copy = tx
      .insert(pbcRequests)
      .values({
        engagementId: targetId,
        reference: r.reference,
        description: r.description,
        ownerName: r.ownerName,
        ownerEmail: r.ownerEmail,
        dueDate: shift(r.dueDate, source, next),
        status: 'open',
        answer: '',
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    for (const link of tx.select().from(pbcRequestControls).where(eq(pbcRequestControls.requestId, r.id)).all()) {
      const controlId = controlMap.get(link.controlId);
      if (controlId) tx.insert(pbcRequestControls).values({ requestId: copy.id, controlId }).run();
    }
  }
}

/**
 * The next period's engagement. Its methodology is the firm's as it stands now (`defaults`: the firm's settings
 * before any were saved), not the prior period's copy: a new period is new work under the policy now in force.
 */
export function rollForward(
  db: Db,
  actor: CurrentUser,
  sourceId: number,
  next: NextPeriod,
  defaults: Methodology,
): EngagementRow {
  return db.transaction((tx) => {
    const source = getEngagement(tx, sourceId)!;
    const {
      id: _i,
      createdAt: _c,
      updatedAt: _u,
      lockedAt: _l,
      lockedBy: _b,
      archivedAt: _a,
      archivedBy: _ab,
      methodology: _m,
      ...fields
    } = source;
    const methodology = startingMethodology(tx, defaults);
    const target = insertEngagement(tx, {
      ...fields,
      ...next,
      status: 'planning',
      rolledFromId: source.id,
      methodology,
    });
    const { objectives } = copyStructure(tx, source, target.id);
    const controlMap = copyControls(tx, source, target.id, next, objectives);
    copyRequests(tx, actor, source, target.id, next, controlMap);
    appendAudit(tx, actor.id, {
      engagementId: target.id,
      entity: 'engagement',
      entityId: target.id,
      action: 'roll-forward',
      changes: {
        rolledFromId: [null, source.id],
        periodStart: [null, next.periodStart],
        periodEnd: [null, next.periodEnd],
        controls: [null, controlMap.size],
        methodology: [null, methodology],
      },
    });
    return target;
  });
}
