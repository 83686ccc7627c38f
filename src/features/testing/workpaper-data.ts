// Everything recorded on one workpaper, read in a fixed handful of queries, with the figures worked out from it.
import type { Tx } from '../../db/connection.js';
import type { ProposedConclusion } from '../../domain/evaluation.js';
import { defaultItemNoun, resultSentence, type ResultWordingInput } from '../../domain/result-wording.js';
import { conclusionProblem, evaluateWorkpaper, missingBeforePrepared, type CellResult, type Evaluation } from '../../domain/workpaper.js';
import type { SampledItem } from '../sampling/queries.js';
import { evidenceOf, exceptionOf, exceptionsOf, gridItemsOf, resultOf, resultsOf, sampledItemKey, testedItemsOf, workpaperOfPopulation, type EvidenceRow, type ExceptionRow, type TestedItemRow, type TestResultRow, type WorkpaperRow } from './queries.js';
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
  for (const c of cells) if (c.updatedBy !== null && c.updatedAt !== null && (!last || c.updatedAt > last.at)) last = { by: c.updatedBy, at: c.updatedAt };
  return last;
}

export interface WorkpaperData {
  scope: WorkpaperScope;
  workpaper: WorkpaperRow | null;
  items: GridItem[];
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
}

function toGridCell(sampleItemId: number, attribute: string, r: TestResultRow | undefined, hasRecord: boolean): GridCell {
  return { sampleItemId, attribute, result: r?.result ?? null, naReason: r?.naReason ?? '', version: r?.version ?? 0, updatedBy: r?.updatedBy ?? null, updatedAt: r?.updatedAt ?? null, hasRecord };
}

/** One cell of the workpaper with its item's key, read on its own to answer a save; undefined when not on it. */
export function gridCellOf(db: Tx, scope: WorkpaperScope, sampleItemId: number, attribute: string): { cell: GridCell; itemKey: string } | undefined {
  if (!scope.sample || !scope.attributes.some((a) => a.letter === attribute)) return undefined;
  const item = sampledItemKey(db, sampleItemId);
  if (!item || item.sampleId !== scope.sample.id) return undefined;
  return { cell: toGridCell(sampleItemId, attribute, resultOf(db, sampleItemId, attribute), !!exceptionOf(db, sampleItemId, attribute)), itemKey: item.key };
}

function gridItems(db: Tx, scope: WorkpaperScope, workpaper: WorkpaperRow | null, records: Map<string, ExceptionRow>, evidence: EvidenceRow[]): GridItem[] {
  if (!scope.sample) return [];
  const results = new Map(workpaper ? resultsOf(db, workpaper.id).map((r) => [`${r.sampleItemId}/${r.attribute}`, r]) : []);
  const tested = new Map(workpaper ? testedItemsOf(db, workpaper.id).map((t) => [t.sampleItemId, t]) : []);
  const evidenceCount = new Map<number, number>();
  for (const e of evidence) if (e.sampleItemId !== null && e.supersededById === null) evidenceCount.set(e.sampleItemId, (evidenceCount.get(e.sampleItemId) ?? 0) + 1);
  return gridItemsOf(db, scope.sample.id).map((item) => {
    const cells = scope.attributes.map(({ letter }) => toGridCell(item.sampleItemId, letter, results.get(`${item.sampleItemId}/${letter}`), records.has(`${item.sampleItemId}/${letter}`)));
    return { item, cells, tested: tested.get(item.sampleItemId) ?? null, lastMark: lastMarkOf(cells), evidenceCount: evidenceCount.get(item.sampleItemId) ?? 0 };
  });
}

function evaluationOf(scope: WorkpaperScope, items: GridItem[]): Evaluation | null {
  const { sample, control } = scope;
  if (!sample || items.length === 0 || scope.attributes.length === 0) return null;
  const facts = {
    frequency: control.frequency,
    nature: control.nature,
    sizing: sample.sizing,
    confidence: sample.confidence / 100,
    tolerableRate: sample.tolerableRate === null ? null : Number(sample.tolerableRate),
    plannedSize: sample.plannedSize,
    populationSize: sample.populationSize,
    extensionDrawn: items.some((i) => i.item.extensionRound > 0),
  };
  return evaluateWorkpaper(facts, items.map((i) => i.cells.map((c) => c.result)));
}

function preparedCheck(items: GridItem[], workpaper: WorkpaperRow | null, proposed: WorkpaperData['proposed']): string[] {
  const blankCells = items.flatMap((i) => {
    const blank = i.cells.filter((c) => c.result === null).map((c) => c.attribute);
    return blank.length ? [{ itemKey: i.item.key, attributes: blank }] : [];
  });
  const exceptionsWithoutRecord = items.flatMap((i) => i.cells.filter((c) => c.result === 'exception' && !c.hasRecord).map((c) => ({ itemKey: i.item.key, attribute: c.attribute })));
  const conclusion = workpaper?.conclusion ?? null;
  const problem = conclusion ? conclusionProblem({ proposed, chosen: conclusion, reason: workpaper!.conclusionReason }) : null;
  return missingBeforePrepared({ blankCells, exceptionsWithoutRecord, conclusion, conclusionProblem: problem });
}

export function loadWorkpaper(db: Tx, scope: WorkpaperScope): WorkpaperData {
  const { population, control } = scope;
  const workpaper = workpaperOfPopulation(db, population.id) ?? null;
  const allRecords = workpaper ? exceptionsOf(db, workpaper.id) : [];
  const records = new Map(allRecords.map((e) => [`${e.sampleItemId}/${e.attribute}`, e]));
  const evidence = workpaper ? evidenceOf(db, workpaper.id) : [];
  const items = gridItems(db, scope, workpaper, records, evidence);
  const exceptionCells = items.flatMap((i) => i.cells.filter((c) => c.result === 'exception'));
  const exceptions = exceptionCells.flatMap((c) => records.get(`${c.sampleItemId}/${c.attribute}`) ?? []);
  const evaluation = evaluationOf(scope, items);
  const noOccurrences = !scope.sample && population.sampleableCount === 0 && (population.kind === 'periodic' || population.mapping !== null);
  const proposed = evaluation?.proposal ?? (noOccurrences ? 'no-testing' : null);
  const itemNoun = workpaper?.itemNoun || defaultItemNoun(control.frequency, population.kind);
  const wording: ResultWordingInput = {
    conclusion: workpaper?.conclusion ?? (noOccurrences ? 'no-testing' : null),
    itemsTested: evaluation?.itemsTested ?? 0,
    itemNoun,
    deviations: exceptionCells.map((c) => ({ item: c.sampleItemId, description: records.get(`${c.sampleItemId}/${c.attribute}`)?.description ?? '' })),
  };
  const generatedResult = resultSentence(wording);
  const result = workpaper?.resultEdited && workpaper.resultText ? workpaper.resultText : generatedResult;
  const missing = !scope.sample && !noOccurrences ? ['Nothing has been sampled for this window yet.'] : preparedCheck(items, workpaper, proposed);
  if (scope.sample && scope.attributes.length === 0) missing.unshift('The test plan has no attributes to test the items against.');
  return { scope, workpaper, items, exceptions, evidence, evaluation, proposed, noOccurrences, itemNoun, wording, generatedResult, result, missing };
}
