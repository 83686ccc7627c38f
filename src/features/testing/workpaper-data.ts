// Everything recorded on one workpaper, read in a fixed handful of queries, with the figures worked out from it.
import type { Tx } from '../../db/connection.js';
import type { ProposedConclusion } from '../../domain/evaluation.js';
import {
  defaultItemNoun,
  properNounsIn,
  resultSentence,
  type ResultWordingInput,
} from '../../domain/result-wording.js';
import {
  caMissingBeforePrepared,
  conclusionProblem,
  evaluateFigures,
  figuresOfCounts,
  isSofterThanFigures,
  missingBeforePrepared,
  type CellResult,
  type Evaluation,
  type MarkCount,
} from '../../domain/workpaper.js';
import { extensionMethodOf } from '../../domain/methodology.js';
import { methodologyOf } from '../methodology/index.js';
import { overrideProblems } from '../../domain/overrides.js';
import {
  anomalyItems,
  anomalyPermitted,
  countedDeviations,
  proposalWithAnomalies,
  type ExceptionCellAnomaly,
} from '../../domain/anomaly.js';
import type { SampledItem } from '../sampling/index.js';
import { caStateOf } from '../populations/index.js';
import { relianceProposal, type RelianceProposal } from '../../domain/itgc-reliance.js';
import { linkedItgcsOf } from '../controls/index.js';
import type { Page } from '../../core/http/paging.js';
import {
  exceptionCells,
  gridItemsByIds,
  gridItemsOf,
  gridItemsPage,
  itemsWithBlankCells,
  markCounts,
  resultsOfItems,
  sampleShape,
  testedItemsOfItems,
  type SampleShape,
} from './grid-queries.js';
import {
  anomaliesOf,
  evidenceOf,
  exceptionOf,
  exceptionsOf,
  overridesOf,
  resultOf,
  resultsOf,
  sampledItemKey,
  testedItemsOf,
  workpaperOfPopulation,
  type EvidenceRow,
  type ExceptionRow,
  type AnomalyRow,
  type OverrideRow,
  type TestedItemRow,
  type TestResultRow,
  type WorkpaperRow,
} from './queries.js';
import type { WorkpaperScope } from './scope.js';

export interface GridCell {
  sampleItemId: number;
  attribute: string;
  result: CellResult | null;
  naReason: string;
  version: number;
  updatedBy: number | null;
  updatedAt: string | null;
  /** For an exception cell: its record has been written. */
  hasRecord: boolean;
}

export interface GridItem {
  item: SampledItem;
  cells: GridCell[];
  /** Notes, evidence reference and tickmarks, once written. */
  tested: TestedItemRow | null;
  /** The last mark on the item: who tested it and when. */
  lastMark: { by: number; at: string } | null;
  evidenceCount: number;
}

function lastMarkOf(cells: GridCell[]): GridItem['lastMark'] {
  let last: GridItem['lastMark'] = null;
  for (const c of cells)
    if (c.updatedBy !== null && c.updatedAt !== null && (!last || c.updatedAt > last.at))
      last = { by: c.updatedBy, at: c.updatedAt };
  return last;
}

export interface WorkpaperData {
  scope: WorkpaperScope;
  workpaper: WorkpaperRow | null;
  /** The items of the view it was read with (see GridView). */
  items: GridItem[];
  /** Items drawn in the whole sample: extensions, replacements and the items they replaced included. */
  itemCount: number;
  /** How the items drawn came to be in the sample. */
  shape: SampleShape;
  /** Every override asked for on this workpaper, oldest first. */
  overrides: OverrideRow[];
  /** Every anomaly proposed on this workpaper's exceptions, oldest first. */
  anomalies: AnomalyRow[];
  /** The latest anomaly proposal of each exception record, by its id. */
  anomalyOf: Map<number, AnomalyRow>;
  /** Deviations (items) taken out of the count as approved ISAE anomalies; still reported. */
  anomalyItems: number;
  /** The reasons of the approved anomalies on exceptions marked now, for the reports. */
  anomalyReasons: string[];
  /** The page of the grid `items` are, when read by page. */
  page: Page | null;
  /** Records of cells currently marked as exceptions. */
  exceptions: ExceptionRow[];
  evidence: EvidenceRow[];
  evaluation: Evaluation | null;
  /** The rule's proposal; 'no-testing' for a window without occurrences; null before anything is tested. */
  proposed: ProposedConclusion | 'no-testing' | null;
  noOccurrences: boolean;
  itemNoun: string;
  /** The facts the result sentence is written from. */
  wording: ResultWordingInput;
  generatedResult: string;
  result: string;
  missing: string[];
  /** The ITGCs the control depends on that are not concluded effective, and what to do (domain/itgc-reliance). */
  reliance: Pick<RelianceProposal, 'gaps' | 'advice'>;
}

function toGridCell(
  sampleItemId: number,
  attribute: string,
  r: TestResultRow | undefined,
  hasRecord: boolean,
): GridCell {
  return {
    sampleItemId,
    attribute,
    result: r?.result ?? null,
    naReason: r?.naReason ?? '',
    version: r?.version ?? 0,
    updatedBy: r?.updatedBy ?? null,
    updatedAt: r?.updatedAt ?? null,
    hasRecord,
  };
}

/** One cell of the workpaper with its item's key, read on its own to answer a save; undefined when not on it. */
export function gridCellOf(
  db: Tx,
  scope: WorkpaperScope,
  sampleItemId: number,
  attribute: string,
): { cell: GridCell; itemKey: string } | undefined {
  if (!scope.sample || !scope.attributes.some((a) => a.letter === attribute)) return undefined;
  const item = sampledItemKey(db, sampleItemId);
  if (!item || item.sampleId !== scope.sample.id) return undefined;
  return {
    cell: toGridCell(
      sampleItemId,
      attribute,
      resultOf(db, sampleItemId, attribute),
      !!exceptionOf(db, sampleItemId, attribute),
    ),
    itemKey: item.key,
  };
}

/** Which of the sample's items a workpaper is read with: one page of the grid, the items named, every item (the
 * printed file), or none (the figures alone). The figures always cover the whole sample. */
export type GridView = { page: Page } | { items: readonly number[] } | 'all' | 'none';

/** Items of the grid on one page of the workpaper. */
export const GRID_PAGE_SIZE = 100;

function itemsInView(db: Tx, sampleId: number, view: GridView): SampledItem[] {
  if (view === 'none') return [];
  if (view === 'all') return gridItemsOf(db, sampleId);
  if ('page' in view) return gridItemsPage(db, sampleId, view.page.offset, view.page.size);
  return gridItemsByIds(db, sampleId, view.items);
}

function gridItems(
  db: Tx,
  scope: WorkpaperScope,
  workpaper: WorkpaperRow | null,
  records: Map<string, ExceptionRow>,
  evidence: EvidenceRow[],
  view: GridView,
): GridItem[] {
  if (!scope.sample) return [];
  const items = itemsInView(db, scope.sample.id, view);
  if (items.length === 0) return [];
  const ids = items.map((i) => i.sampleItemId);
  const all = view === 'all';
  const results = new Map(
    workpaper
      ? (all ? resultsOf(db, workpaper.id) : resultsOfItems(db, workpaper.id, ids)).map((r) => [
          `${r.sampleItemId}/${r.attribute}`,
          r,
        ])
      : [],
  );
  const tested = new Map(
    workpaper
      ? (all ? testedItemsOf(db, workpaper.id) : testedItemsOfItems(db, workpaper.id, ids)).map((t) => [
          t.sampleItemId,
          t,
        ])
      : [],
  );
  const evidenceCount = new Map<number, number>();
  for (const e of evidence)
    if (e.sampleItemId !== null && e.supersededById === null)
      evidenceCount.set(e.sampleItemId, (evidenceCount.get(e.sampleItemId) ?? 0) + 1);
  return items.map((item) => {
    const cells = scope.attributes.map(({ letter }) =>
      toGridCell(
        item.sampleItemId,
        letter,
        results.get(`${item.sampleItemId}/${letter}`),
        records.has(`${item.sampleItemId}/${letter}`),
      ),
    );
    return {
      item,
      cells,
      tested: tested.get(item.sampleItemId) ?? null,
      lastMark: lastMarkOf(cells),
      evidenceCount: evidenceCount.get(item.sampleItemId) ?? 0,
    };
  });
}

/** The grid's rows of `view` for a workpaper already read (the printed file reads its rows a chunk at a time). */
export function gridRows(db: Tx, data: WorkpaperData, view: GridView): GridItem[] {
  const records = new Map(
    (data.workpaper ? exceptionsOf(db, data.workpaper.id) : []).map((e) => [`${e.sampleItemId}/${e.attribute}`, e]),
  );
  return gridItems(db, data.scope, data.workpaper, records, data.evidence, view);
}

/** The figures of the whole sample, from counts the database works out (a grid may hold thousands of items). */
function evaluationOf(
  db: Tx,
  scope: WorkpaperScope,
  counts: MarkCount[],
  extended: boolean,
  anomalyCells: readonly ExceptionCellAnomaly[],
): Evaluation | null {
  const { sample, control } = scope;
  const itemCount = counts.reduce((n, c) => n + c.items, 0);
  if (!sample || itemCount === 0 || scope.attributes.length === 0) return null;
  // The engagement's copy of the firm's extension policy: the rule, and after how many deviations.
  const methodology = methodologyOf(db, scope.engagementId);
  const facts = {
    frequency: control.frequency,
    nature: control.nature,
    sizing: sample.sizing,
    method: sample.method,
    confidence: sample.confidence / 100,
    tolerableRate: sample.tolerableRate === null ? null : Number(sample.tolerableRate),
    plannedSize: sample.plannedSize,
    proposedSize: sample.proposedSize,
    populationSize: sample.populationSize,
    extensionDrawn: extended,
    extension: extensionMethodOf(methodology),
    maxDeviationsToExtend: methodology.maxDeviationsToExtend,
  };
  const figures = figuresOfCounts(counts);
  // An approved ISAE anomaly leaves the deviation count; under SOC, or unapproved, it never does (domain/anomaly).
  const evaluation = evaluateFigures(facts, {
    ...figures,
    deviations: countedDeviations(scope.framework, figures.deviations, anomalyCells),
  });
  return {
    ...evaluation,
    proposal: proposalWithAnomalies(evaluation.proposal, anomalyItems(scope.framework, anomalyCells)),
  };
}

/** Items with blank cells and exceptions without their record listed by name before "prepared", the rest counted. */
const LISTED = 60;

interface PreparedInputs {
  counts: MarkCount[];
  cells: ExceptionCell[];
  workpaper: WorkpaperRow | null;
  proposed: WorkpaperData['proposed'];
  evaluation: Evaluation | null;
  overrides: OverrideRow[];
}

function preparedCheck(
  db: Tx,
  scope: WorkpaperScope,
  { counts, cells, workpaper, proposed, evaluation, overrides }: PreparedInputs,
): string[] {
  const letters = scope.attributes.map((a) => a.letter);
  const withBlanks = counts.reduce((n, c) => n + (!c.replaced && c.marked < c.attributes ? c.items : 0), 0);
  const blankItems = withBlanks > 0 && scope.sample ? itemsWithBlankCells(db, scope.sample.id, letters, LISTED) : [];
  const blankCells = blankItems.map((i) => ({
    itemKey: i.key,
    attributes: letters.filter((l) => !i.marked.includes(l)),
  }));
  const withoutRecord = cells.filter((c) => !c.hasRecord).map((c) => ({ itemKey: c.key, attribute: c.attribute }));
  const conclusion = workpaper?.conclusion ?? null;
  const problem = conclusion
    ? conclusionProblem({ proposed, chosen: conclusion, reason: workpaper!.conclusionReason })
    : null;
  const now = { proposed, deviations: evaluation?.deviations ?? 0, itemsTested: evaluation?.itemsTested ?? 0 };
  const softer = conclusion !== null && isSofterThanFigures({ proposed, chosen: conclusion });
  const facts = overrides.map((o) => ({ ...o, proposed: o.proposed as WorkpaperData['proposed'] }));
  return missingBeforePrepared({
    blankCells,
    exceptionsWithoutRecord: withoutRecord.slice(0, LISTED),
    conclusion,
    conclusionProblem: problem,
    moreBlankItems: Math.max(0, withBlanks - blankItems.length),
    moreExceptionsWithoutRecord: Math.max(0, withoutRecord.length - LISTED),
    replacementsNeeded: evaluation?.replacementsNeeded ?? 0,
    overrideProblems: overrideProblems({ conclusion, softer, now, overrides: facts }),
  });
}

function approvedReasons(
  scope: WorkpaperScope,
  exceptions: readonly ExceptionRow[],
  anomalyOf: Map<number, AnomalyRow>,
): string[] {
  if (!anomalyPermitted(scope.framework)) return [];
  return exceptions.flatMap((e) => (anomalyOf.get(e.id)?.status === 'approved' ? [anomalyOf.get(e.id)!.reason] : []));
}

interface ExceptionCell {
  sampleItemId: number;
  attribute: string;
  key: string;
  hasRecord: boolean;
}

/**
 * A workpaper as its pages and its rules need it: every figure over the whole sample, and the grid's items for
 * `view` only (a page of the grid, one item, all of them for the printed file, or none).
 */
export function loadWorkpaper(db: Tx, scope: WorkpaperScope, view: GridView): WorkpaperData {
  const { population, control } = scope;
  const letters = scope.attributes.map((a) => a.letter);
  const workpaper = workpaperOfPopulation(db, population.id) ?? null;
  const allRecords = workpaper ? exceptionsOf(db, workpaper.id) : [];
  const records = new Map(allRecords.map((e) => [`${e.sampleItemId}/${e.attribute}`, e]));
  const evidence = workpaper ? evidenceOf(db, workpaper.id) : [];
  const shape: SampleShape = scope.sample
    ? sampleShape(db, scope.sample.id)
    : { count: 0, extended: false, extensionItems: 0, replacements: 0, standingReplacements: 0 };
  const overrides = workpaper ? overridesOf(db, workpaper.id) : [];
  const items = gridItems(db, scope, workpaper, records, evidence, view);
  const cells: ExceptionCell[] =
    scope.sample && workpaper
      ? exceptionCells(db, scope.sample.id, workpaper.id, letters).map((c) => ({
          ...c,
          hasRecord: records.has(`${c.sampleItemId}/${c.attribute}`),
        }))
      : [];
  const exceptions = cells.flatMap((c) => records.get(`${c.sampleItemId}/${c.attribute}`) ?? []);
  const counts =
    scope.sample && letters.length > 0
      ? markCounts(db, scope.sample.id, workpaper?.id ?? null, letters, shape.count)
      : [];
  const anomalies = workpaper ? anomaliesOf(db, workpaper.id) : [];
  const anomalyOf = new Map(anomalies.map((a) => [a.exceptionId, a]));
  const anomalyCells = cells.map((c) => ({
    item: c.sampleItemId,
    anomaly: anomalyOf.get(records.get(`${c.sampleItemId}/${c.attribute}`)?.id ?? -1)?.status ?? null,
  }));
  const figures = evaluationOf(db, scope, counts, shape.extended, anomalyCells);
  // The figures' proposal weighed against the ITGCs the control depends on, so the page, the conclusion rule
  // and "prepared" all see the same one.
  const reliance = relianceProposal(figures?.proposal ?? null, linkedItgcsOf(db, control.id));
  const evaluation = figures && { ...figures, proposal: reliance.proposal };
  const noOccurrences =
    !scope.sample &&
    population.sampleableCount === 0 &&
    (population.kind === 'periodic' || population.mapping !== null);
  const proposed = evaluation?.proposal ?? (noOccurrences ? 'no-testing' : null);
  const itemNoun = workpaper?.itemNoun || defaultItemNoun(control.frequency, population.kind);
  const wording: ResultWordingInput = {
    conclusion: workpaper?.conclusion ?? (noOccurrences ? 'no-testing' : null),
    itemsTested: evaluation?.itemsTested ?? 0,
    ...(scope.sample ? { populationSize: scope.sample.populationSize } : {}),
    properNouns: properNounsIn([control.description, control.owner, ...scope.attributes.map((a) => a.text)]),
    itemNoun,
    deviations: cells.map((c) => ({
      item: c.sampleItemId,
      description: records.get(`${c.sampleItemId}/${c.attribute}`)?.description ?? '',
    })),
  };
  const generatedResult = resultSentence(wording);
  const result = workpaper?.resultEdited && workpaper.resultText ? workpaper.resultText : generatedResult;
  const missing =
    !scope.sample && !noOccurrences
      ? ['Nothing has been sampled for this window yet.']
      : preparedCheck(db, scope, { counts, cells, workpaper, proposed, evaluation, overrides });
  if (scope.sample && scope.attributes.length === 0)
    missing.unshift('The test plan has no attributes to test the items against.');
  if (
    reliance.gaps.length > 0 &&
    workpaper?.conclusion &&
    proposed === 'not-effective' &&
    !workpaper.conclusionReason.trim() &&
    workpaper.conclusion !== 'not-effective'
  )
    missing.push(...reliance.gaps);
  if (anomalyPermitted(scope.framework))
    for (const [i, c] of anomalyCells.entries())
      if (c.anomaly === 'proposed')
        missing.push(
          `The anomaly proposed on ${cells[i]!.key}, attribute ${cells[i]!.attribute}, awaits the approval of a manager or the engagement partner.`,
        );
  missing.push(...caMissingBeforePrepared(caStateOf(db, population), population.sourceFile ?? population.label));
  const page = typeof view === 'object' && 'page' in view ? view.page : null;
  return {
    scope,
    workpaper,
    items,
    itemCount: shape.count,
    shape,
    overrides,
    anomalies,
    anomalyOf,
    anomalyItems: anomalyItems(scope.framework, anomalyCells),
    anomalyReasons: approvedReasons(scope, exceptions, anomalyOf),
    page,
    exceptions,
    evidence,
    evaluation,
    proposed,
    noOccurrences,
    itemNoun,
    wording,
    generatedResult,
    result,
    missing,
    reliance: { gaps: reliance.gaps, advice: reliance.advice },
  };
}
