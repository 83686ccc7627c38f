// Turns a workpaper's data into what its templates show.
import type { FastifyRequest } from 'fastify';
import { canDecideAnomaly, canDecideOverride, canProposeAnomaly, canRecordTesting } from '../../domain/roles.js';
import { anomalyPermitted } from '../../domain/anomaly.js';
import { CONCLUSION_LABELS, PROPOSAL_LABELS, toleranceSize } from '../../domain/workpaper.js';
import { upperDeviationLimit } from '../../domain/sample-size.js';
import { engagementOf } from '../../core/engagement/access.js';
import { CONTROL_LABELS, proceduresByControl } from '../controls/index.js';
import { EVIDENCE_TYPES } from '../../core/files/sniff.js';
import { caState } from '../../domain/completeness-accuracy.js';
import { caFactsOf } from '../populations/index.js';
import { methodologyOf } from '../methodology/index.js';
import { userNames } from '../../core/auth/user-names.js';
import type { WorkpaperData } from './workpaper-data.js';
import type { GridCell } from './workpaper-grid.js';
import { CELL_LABELS, cellId, cellMarkup, type CellState } from './cell-markup.js';
import { currentUser } from '../../core/auth/current-user.js';

export function caStatus(data: WorkpaperData, db: FastifyRequest['server']['conn']['db']): string {
  const { population } = data.scope;
  const facts = caFactsOf(db, population);
  const ca = facts.record;
  const by = (id: number | null) => (id ? userNames(db, [id]).get(id) : undefined);
  switch (caState(facts)) {
    case 'not-required':
      return 'Occurrences generated from the calendar: no client listing to agree.';
    case 'complete':
      return `Complete (${ca!.completedAt!.slice(0, 10)}${by(ca!.completedBy) ? `, ${by(ca!.completedBy)}` : ''})${ca!.tieOutExplanation ? `; tie-out difference explained: ${ca!.tieOutExplanation}` : ''}`;
    case 'not-needed':
      return `Not needed, marked by ${by(ca!.notNeededBy) ?? 'a senior'} on ${ca!.notNeededAt!.slice(0, 10)}: ${ca!.notNeededReason}`;
    default:
      return ca
        ? 'Open: not yet marked complete (the workpaper cannot be marked prepared)'
        : 'Open: not started (the workpaper cannot be marked prepared)';
  }
}

/** The cell that takes the grid's single tab stop: the first blank one, else the first. */
function activeCellId(data: WorkpaperData): string | null {
  const cells = data.items.flatMap((i) => i.cells);
  const target = cells.find((c) => c.result === null) ?? cells[0];
  return target ? cellId(target) : null;
}

function peopleOn(data: WorkpaperData): (number | null)[] {
  const wp = data.workpaper;
  return [
    wp?.preparedBy ?? null,
    wp?.conclusionBy ?? null,
    data.scope.sample?.approvedBy ?? null,
    ...data.items.flatMap((i) => i.cells.map((c) => c.updatedBy)),
    ...data.evidence.map((e) => e.uploadedBy),
    ...data.exceptions.map((e) => e.createdBy),
    ...data.overrides.flatMap((o) => [o.requestedBy, o.decidedBy]),
  ];
}

/** The tolerable rate as shown: a stated rate as given, an implied one rounded up like the upper limit it is. */
export function tolerablePct(data: WorkpaperData): string {
  const { evaluation, scope } = data;
  if (!evaluation || !scope.sample) return '';
  if (evaluation.tolerableStated) return `${Number((evaluation.tolerableRate * 100).toFixed(2))}%`;
  return `${upperDeviationLimit({ confidence: scope.sample.confidence / 100, sampleSize: toleranceSize(scope.sample), deviations: 0 }).toFixed(1)}%`;
}

export function workpaperLocals(req: FastifyRequest, data: WorkpaperData, extra: Record<string, unknown> = {}) {
  const { db } = req.server.conn;
  const { membership } = engagementOf(req);
  const { scope, workpaper } = data;
  const canTest = !scope.readOnly && canRecordTesting(membership.role);
  return {
    title: `Workpaper — ${scope.control.reference}`,
    ...data,
    controlUrl: `/engagements/${scope.engagementId}/controls/${scope.control.id}`,
    procedures: proceduresByControl(db, scope.engagementId, scope.control.id).get(scope.control.id) ?? [],
    caStatus: caStatus(data, db),
    names: userNames(db, peopleOn(data)),
    activeCell: activeCellId(data),
    changedSincePrepared: !!workpaper?.preparedAt && workpaper.changedAt > workpaper.preparedAt,
    tolerablePct: tolerablePct(data),
    maxUploadMb: Math.round(req.server.config.maxUploadBytes / 1024 / 1024),
    errors: {},
    policy: { maxDeviationsToExtend: methodologyOf(db, scope.engagementId).maxDeviationsToExtend },
    userId: currentUser(req).id,
    can: {
      test: canTest,
      decide: !scope.readOnly && canDecideOverride(membership.role),
      proposeAnomaly: !scope.readOnly && anomalyPermitted(scope.framework) && canProposeAnomaly(membership.role),
      decideAnomaly: !scope.readOnly && anomalyPermitted(scope.framework) && canDecideAnomaly(membership.role),
    },
    anomalyPermitted: anomalyPermitted(scope.framework),
    labels: {
      control: CONTROL_LABELS,
      conclusion: CONCLUSION_LABELS,
      proposal: PROPOSAL_LABELS,
      cell: CELL_LABELS,
      evidence: EVIDENCE_TYPES,
    },
    cellId,
    cellMarkup,
    gridHref,
    ...extra,
  };
}

/** The grid's page holding an item, with the focus on one of its cells. */
export function gridHref(scope: { url: string }, sampleItemId: number, attribute: string): string {
  return `${scope.url}?item=${sampleItemId}#${cellId({ sampleItemId, attribute })}`;
}

/** Locals for one cell rendered on its own (the answer to a save). */
export function cellLocals(cell: GridCell, itemKey: string, state: CellState | null) {
  return { markup: cellMarkup(cell, itemKey, state, -1) };
}
