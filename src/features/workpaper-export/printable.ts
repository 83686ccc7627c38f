// Everything the printed workpaper shows, read through the loaders the screens use (the workpaper, the C&A
// record, the review), so the paper says what the screens say.
import type { Tx } from '../../db/connection.js';
import { currentSignoffs, isStale, SIGNOFF_LABELS, workpaperState, WORKPAPER_STATE_LABELS } from '../../domain/review.js';
import { CONCLUSION_LABELS, PROPOSAL_LABELS } from '../../domain/workpaper.js';
import { CONTROL_LABELS } from '../controls/labels.js';
import { proceduresByControl } from '../controls/queries.js';
import type { EngagementRow } from '../engagements/queries.js';
import { EVIDENCE_TYPES } from '../evidence/sniff.js';
import { caOf, findControl } from '../populations/queries.js';
import { tieOut } from '../populations/tie-out.js';
import { listNotes, messagesOf, reviewFacts, signoffsOf } from '../review/queries.js';
import { SAMPLE_METHOD_LABELS, SIZING_LABELS } from '../sampling/labels.js';
import * as format from '../shared/format.js';
import { CELL_LABELS } from '../testing/cell-markup.js';
import { caStatus, tolerablePct } from '../testing/presenter.js';
import { userNames, type WorkpaperRow } from '../testing/queries.js';
import type { WorkpaperScope } from '../testing/scope.js';
import { loadWorkpaper, type WorkpaperData } from '../testing/workpaper-data.js';
import { listTickmarks } from '../tickmarks/service.js';

export interface Printing {
  by: string;
  at: string;
}

export const LABELS = {
  control: CONTROL_LABELS,
  conclusion: CONCLUSION_LABELS,
  proposal: PROPOSAL_LABELS,
  cell: CELL_LABELS,
  signoff: SIGNOFF_LABELS,
  state: WORKPAPER_STATE_LABELS,
  method: SAMPLE_METHOD_LABELS,
  sizing: SIZING_LABELS,
  evidence: EVIDENCE_TYPES as Record<string, { label: string }>,
  framework: format.FRAMEWORK_LABELS,
  reportType: format.REPORT_TYPE_LABELS,
};

function populationPart(db: Tx, data: WorkpaperData) {
  const { population } = data.scope;
  const ca = population.kind === 'transaction' ? caOf(db, population.id) : undefined;
  return { population, ca: ca ?? null, ties: ca ? tieOut(population, ca) : null, caStatus: caStatus(data, db), amountTotal: format.amount(population.amountTotal) };
}

/** The selection, with how many items each extension round added. */
function selectionPart(data: WorkpaperData) {
  const { sample } = data.scope;
  const rounds = new Map<number, number>();
  for (const { item } of data.items) rounds.set(item.extensionRound, (rounds.get(item.extensionRound) ?? 0) + 1);
  const extensions = [...rounds].filter(([round]) => round > 0).sort(([a], [b]) => a - b).map(([round, items]) => ({ round, items }));
  return { sample, extensions, tolerablePct: tolerablePct(data) };
}

function exceptionsPart(db: Tx, data: WorkpaperData, keys: Map<number, string>) {
  const attributes = new Map(data.scope.attributes.map((a) => [a.letter, a.text]));
  return data.exceptions
    .map((e) => ({
      record: e,
      itemKey: keys.get(e.sampleItemId) ?? '',
      attributeText: attributes.get(e.attribute) ?? '',
      compensatingControl: e.compensatingControlId === null ? null : (findControl(db, data.scope.engagementId, e.compensatingControlId)?.reference ?? null),
    }))
    .sort((a, b) => a.itemKey.localeCompare(b.itemKey) || a.record.attribute.localeCompare(b.record.attribute));
}

function evidencePart(data: WorkpaperData, keys: Map<number, string>) {
  return data.evidence.map((f) => ({ file: f, itemKey: f.sampleItemId === null ? null : (keys.get(f.sampleItemId) ?? null) }));
}

/** Preparation and each review sign-off, with whether the work changed after it (stale) or it was signed again. */
function signoffPart(db: Tx, engagement: EngagementRow, wp: WorkpaperRow | null) {
  if (!wp) return { state: 'not-started' as const, prepared: null, reviews: [], secondReviewRequired: engagement.secondReviewRequired };
  const rows = signoffsOf(db, [wp.id]);
  const current = currentSignoffs(rows);
  return {
    state: workpaperState(reviewFacts(db, wp, engagement.secondReviewRequired)),
    prepared: wp.preparedAt ? { by: wp.preparedBy, at: wp.preparedAt, stale: isStale(wp.preparedAt, wp.changedAt) } : null,
    reviews: rows.map((s) => ({ ...s, stale: isStale(s.signedAt, wp.changedAt), current: current[s.level] === s })),
    secondReviewRequired: engagement.secondReviewRequired,
  };
}

function notesPart(db: Tx, engagementId: number, wp: WorkpaperRow | null) {
  if (!wp) return [];
  const notes = listNotes(db, engagementId, { workpaperId: wp.id, status: 'all' }).reverse();
  const messages = messagesOf(db, notes.map((n) => n.note.id));
  return notes.map((n) => ({ ...n, messages: messages.filter((m) => m.noteId === n.note.id) }));
}

function peopleOf(data: WorkpaperData, ca: { completedBy: number | null } | null): (number | null)[] {
  const wp = data.workpaper;
  const { sample, population } = data.scope;
  return [
    wp?.preparedBy ?? null,
    wp?.conclusionBy ?? null,
    ca?.completedBy ?? null,
    sample?.createdBy ?? null,
    population.frozenBy,
    ...data.items.map((i) => i.lastMark?.by ?? null),
    ...data.evidence.map((e) => e.uploadedBy),
    ...data.exceptions.map((e) => e.createdBy),
  ];
}

export function printableWorkpaper(db: Tx, engagement: EngagementRow, scope: WorkpaperScope, printing: Printing) {
  const data = loadWorkpaper(db, scope);
  const keys = new Map(data.items.map((i) => [i.item.sampleItemId, i.item.key]));
  const population = populationPart(db, data);
  return {
    title: `Workpaper — ${scope.control.reference} — print`,
    engagement,
    ...data,
    procedures: proceduresByControl(db, engagement.id, scope.control.id).get(scope.control.id) ?? [],
    ...population,
    ...selectionPart(data),
    legend: listTickmarks(db, engagement.id),
    exceptionRecords: exceptionsPart(db, data, keys),
    evidenceFiles: evidencePart(data, keys),
    signoffs: signoffPart(db, engagement, data.workpaper),
    notes: notesPart(db, engagement.id, data.workpaper),
    names: userNames(db, peopleOf(data, population.ca)),
    printing,
    labels: LABELS,
    fmt: format,
  };
}

export type PrintableWorkpaper = ReturnType<typeof printableWorkpaper>;

/** "CC7.1-01 workpaper.pdf", with the window when the control has more than one; nothing a file system or header could trip on. */
export function pdfFileName(scope: WorkpaperScope): string {
  const safe = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9 ._()-]+/g, '-').replace(/\s+/g, ' ').replace(/^[\s.-]+|[\s.-]+$/g, '');
  const reference = safe(scope.control.reference).slice(0, 60) || 'Control';
  const window = scope.windows.length > 1 ? ` ${safe(scope.population.label).slice(0, 40)}` : '';
  return `${reference}${window.trimEnd()} workpaper.pdf`;
}
