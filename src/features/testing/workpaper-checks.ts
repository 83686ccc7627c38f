// What a workpaper's figures say, and what it still lacks before "Prepared": worked out from what
// workpaper-data.ts has read, with the few queries the checks need of their own.
import type { Tx } from '../../db/connection.js';
import {
  anomalyItems,
  anomalyPermitted,
  countedDeviations,
  proposalWithAnomalies,
  type ExceptionCellAnomaly,
} from '../../domain/anomaly.js';
import type { ProposedConclusion } from '../../domain/evaluation.js';
import { extensionMethodOf } from '../../domain/methodology.js';
import { overrideProblems } from '../../domain/overrides.js';
import {
  conclusionProblem,
  evaluateFigures,
  figuresOfCounts,
  isSofterThanFigures,
  missingBeforePrepared,
  type Evaluation,
  type MarkCount,
} from '../../domain/workpaper.js';
import { methodologyOf } from '../methodology/index.js';
import { itemsWithBlankCells } from './grid-queries.js';
import type { AnomalyRow, ExceptionRow, OverrideRow, WorkpaperRow } from './queries.js';
import type { WorkpaperScope } from './scope.js';

/** The conclusion the figures propose, or none yet. */
type ProposedOrNone = ProposedConclusion | 'no-testing' | null;

/** The figures of the whole sample, from counts the database works out (a grid may hold thousands of items). */
export function evaluationOf(
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
  proposed: ProposedOrNone;
  evaluation: Evaluation | null;
  overrides: OverrideRow[];
}

export function preparedCheck(
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
  const facts = overrides.map((o) => ({ ...o, proposed: o.proposed as ProposedOrNone }));
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

export function approvedReasons(
  scope: WorkpaperScope,
  exceptions: readonly ExceptionRow[],
  anomalyOf: Map<number, AnomalyRow>,
): string[] {
  if (!anomalyPermitted(scope.framework)) return [];
  return exceptions.flatMap((e) => (anomalyOf.get(e.id)?.status === 'approved' ? [anomalyOf.get(e.id)!.reason] : []));
}

export interface ExceptionCell {
  sampleItemId: number;
  attribute: string;
  key: string;
  hasRecord: boolean;
}
