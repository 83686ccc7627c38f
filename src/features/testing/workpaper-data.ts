// Everything recorded on one workpaper, read in a fixed handful of queries, with the figures worked out from it.
import type { Tx } from '../../db/connection.js';
import type { ProposedConclusion } from '../../domain/evaluation.js';
import {
  defaultItemNoun,
  properNounsIn,
  resultSentence,
  type ResultWordingInput,
} from '../../domain/result-wording.js';
import { caMissingBeforePrepared, type Evaluation } from '../../domain/workpaper.js';
import { anomalyItems, anomalyPermitted } from '../../domain/anomaly.js';
import { caStateOf } from '../populations/index.js';
import { relianceProposal, type RelianceProposal } from '../../domain/itgc-reliance.js';
import { linkedItgcsOf } from '../controls/index.js';
import type { Page } from '../../core/http/paging.js';
import { exceptionCells, markCounts, sampleShape, type SampleShape } from './grid-queries.js';
import {
  anomaliesOf,
  evidenceOf,
  exceptionsOf,
  overridesOf,
  workpaperOfPopulation,
  type EvidenceRow,
  type ExceptionRow,
  type AnomalyRow,
  type OverrideRow,
  type WorkpaperRow,
} from './queries.js';
import type { WorkpaperScope } from './scope.js';
import { type GridItem, type GridView, gridItems } from './workpaper-grid.js';
import { approvedReasons, evaluationOf, type ExceptionCell, preparedCheck } from './workpaper-checks.js';

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

/** The grid's rows of `view` for a workpaper already read (the printed file reads its rows a chunk at a time). */
export function gridRows(db: Tx, data: WorkpaperData, view: GridView): GridItem[] {
  const records = new Map(
    (data.workpaper ? exceptionsOf(db, data.workpaper.id) : []).map((e) => [`${e.sampleItemId}/${e.attribute}`, e]),
  );
  return gridItems(db, data.scope, data.workpaper, records, data.evidence, view);
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
