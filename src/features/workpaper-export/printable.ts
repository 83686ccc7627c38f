// Everything the printed workpaper shows, read through the loaders the screens use (the workpaper, the C&A
// record, the review), so the paper says what the screens say.
import type { Tx } from '../../db/connection.js';
import {
  currentSignoffs,
  isStale,
  SIGNOFF_LABELS,
  workpaperState,
  WORKPAPER_STATE_LABELS,
} from '../../domain/review.js';
import { CONCLUSION_LABELS, PROPOSAL_LABELS } from '../../domain/workpaper.js';
import { CONTROL_LABELS, proceduresByControl } from '../controls/index.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { EVIDENCE_TYPES } from '../../core/files/sniff.js';
import { caOf, findControl, tieOut } from '../populations/index.js';
import { listNotes, messagesOf, reviewFacts, signoffsOf } from '../review/index.js';
import { SAMPLE_METHOD_LABELS, SIZING_LABELS } from '../sampling/index.js';
import * as format from '../../core/format.js';
import {
  caStatus,
  CELL_LABELS,
  type GridItem,
  gridRows,
  itemsPerRound,
  loadWorkpaper,
  markers,
  tolerablePct,
  type WorkpaperData,
  type WorkpaperRow,
  type WorkpaperScope,
} from '../testing/index.js';
import { userNames } from '../../core/auth/user-names.js';
import { pageOf } from '../../core/http/paging.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { listTickmarks } from '../tickmarks/index.js';

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
};

function populationPart(db: Tx, data: WorkpaperData) {
  const { population } = data.scope;
  const ca = population.kind === 'transaction' ? caOf(db, population.id) : undefined;
  return {
    population,
    ca: ca ?? null,
    ties: ca ? tieOut(population, ca) : null,
    caStatus: caStatus(data, db),
    amountTotal: format.amount(population.amountTotal),
  };
}

/** The selection, with how many items each extension round added, and each round of replacements. */
function selectionPart(db: Tx, data: WorkpaperData) {
  const { sample } = data.scope;
  const rounds = sample ? itemsPerRound(db, sample.id).filter((r) => r.round > 0) : [];
  return {
    sample,
    extensions: rounds.filter((r) => !r.replacements),
    replacementRounds: rounds.filter((r) => r.replacements),
    tolerablePct: tolerablePct(data),
  };
}

/** Items of the grid read and rendered at a time, the event loop let go in between. */
const PRINT_CHUNK = 200;

/** Renders rows of the printed grid; given by the route, which has the views. */
export type RenderRows = (locals: {
  rows: GridItem[];
  scope: WorkpaperScope;
  names: Map<number, string>;
  labels: typeof LABELS;
}) => Promise<string>;

/**
 * The printed grid, every item, rendered and encoded a chunk at a time; and each item's key, for the parts that
 * name items. Encoded chunks, not one string: a page of megabytes is sent as it is, never joined and re-encoded.
 */
async function printedGrid(
  db: Tx,
  data: WorkpaperData,
  names: Map<number, string>,
  render: RenderRows,
): Promise<{ parts: Buffer[]; keys: Map<number, string> }> {
  const parts: Buffer[] = [];
  const keys = new Map<number, string>();
  for (let n = 1; (n - 1) * PRINT_CHUNK < data.itemCount; n++) {
    const rows = gridRows(db, data, { page: pageOf(String(n), data.itemCount, PRINT_CHUNK) });
    for (const row of rows) keys.set(row.item.sampleItemId, row.item.key);
    parts.push(Buffer.from(await render({ rows, scope: data.scope, names, labels: LABELS })));
    await yieldToEventLoop();
  }
  return { parts, keys };
}

function exceptionsPart(db: Tx, data: WorkpaperData, keys: Map<number, string>) {
  const attributes = new Map(data.scope.attributes.map((a) => [a.letter, a.text]));
  return data.exceptions
    .map((e) => ({
      record: e,
      itemKey: keys.get(e.sampleItemId) ?? '',
      attributeText: attributes.get(e.attribute) ?? '',
      compensatingControl:
        e.compensatingControlId === null
          ? null
          : (findControl(db, data.scope.engagementId, e.compensatingControlId)?.reference ?? null),
    }))
    .sort((a, b) => a.itemKey.localeCompare(b.itemKey) || a.record.attribute.localeCompare(b.record.attribute));
}

function evidencePart(data: WorkpaperData, keys: Map<number, string>) {
  return data.evidence.map((f) => ({
    file: f,
    itemKey: f.sampleItemId === null ? null : (keys.get(f.sampleItemId) ?? null),
  }));
}

/** Preparation and each review sign-off, with whether the work changed after it (stale) or it was signed again. */
function signoffPart(db: Tx, engagement: EngagementRow, wp: WorkpaperRow | null) {
  if (!wp)
    return {
      state: 'not-started' as const,
      prepared: null,
      reviews: [],
      secondReviewRequired: engagement.secondReviewRequired,
    };
  const rows = signoffsOf(db, [wp.id]);
  const current = currentSignoffs(rows);
  return {
    state: workpaperState(reviewFacts(db, wp, engagement.secondReviewRequired)),
    prepared: wp.preparedAt
      ? { by: wp.preparedBy, at: wp.preparedAt, stale: isStale(wp.preparedAt, wp.changedAt) }
      : null,
    reviews: rows.map((s) => ({ ...s, stale: isStale(s.signedAt, wp.changedAt), current: current[s.level] === s })),
    secondReviewRequired: engagement.secondReviewRequired,
  };
}

function notesPart(db: Tx, engagementId: number, wp: WorkpaperRow | null) {
  if (!wp) return [];
  const notes = listNotes(db, engagementId, { workpaperId: wp.id, status: 'all' }).reverse();
  const messages = messagesOf(
    db,
    notes.map((n) => n.note.id),
  );
  return notes.map((n) => ({ ...n, messages: messages.filter((m) => m.noteId === n.note.id) }));
}

function peopleOf(
  db: Tx,
  data: WorkpaperData,
  ca: { completedBy: number | null; notNeededBy: number | null } | null,
): (number | null)[] {
  const wp = data.workpaper;
  const { sample, population } = data.scope;
  return [
    wp?.preparedBy ?? null,
    wp?.conclusionBy ?? null,
    ca?.completedBy ?? null,
    ca?.notNeededBy ?? null,
    sample?.createdBy ?? null,
    population.frozenBy,
    sample?.approvedBy ?? null,
    ...(wp ? markers(db, wp.id) : []),
    ...data.evidence.map((e) => e.uploadedBy),
    ...data.exceptions.map((e) => e.createdBy),
    ...data.overrides.flatMap((o) => [o.requestedBy, o.decidedBy]),
  ];
}

/**
 * Everything the printed file shows. Read from a snapshot (see withSnapshot) by the route: the grid is read and
 * rendered a chunk at a time, so a grid of ten thousand items does not hold up everyone else.
 */
export async function printableWorkpaper(
  db: Tx,
  engagement: EngagementRow,
  scope: WorkpaperScope,
  printing: Printing,
  renderRows: RenderRows,
) {
  const data = loadWorkpaper(db, scope, 'none');
  const population = populationPart(db, data);
  const names = userNames(db, peopleOf(db, data, population.ca));
  const grid = await printedGrid(db, data, names, renderRows);
  const keys = grid.keys;
  return {
    title: `Workpaper — ${scope.control.reference} — print`,
    engagement,
    ...data,
    procedures: proceduresByControl(db, engagement.id, scope.control.id).get(scope.control.id) ?? [],
    ...population,
    ...selectionPart(db, data),
    gridParts: grid.parts,
    legend: listTickmarks(db, engagement.id),
    exceptionRecords: exceptionsPart(db, data, keys),
    evidenceFiles: evidencePart(data, keys),
    signoffs: signoffPart(db, engagement, data.workpaper),
    notes: notesPart(db, engagement.id, data.workpaper),
    names,
    printing,
    labels: LABELS,
    fmt: format,
  };
}

export type PrintableWorkpaper = Awaited<ReturnType<typeof printableWorkpaper>>;

/** "CC7.1-01 workpaper.pdf", with the window when the control has more than one; nothing a file system or header could trip on. */
export function pdfFileName(scope: WorkpaperScope): string {
  const safe = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9 ._()-]+/g, '-')
      .replace(/\s+/g, ' ')
      .replace(/^[\s.-]+|[\s.-]+$/g, '');
  const reference = safe(scope.control.reference).slice(0, 60) || 'Control';
  const window = scope.windows.length > 1 ? ` ${safe(scope.population.label).slice(0, 40)}` : '';
  return `${reference}${window.trimEnd()} workpaper.pdf`;
}
