// The proposed opinion from the criteria's roll-up (`opinion.ts`), the partner's judgements on pervasiveness and the
// description's presentation (domain.md, "From controls to the opinion"). The app proposes; the partner decides.

import type { Framework } from './criteria.js';
import type { ControlRef, CriterionRollUp, FailureCause, ReportType } from './roll-up-types.js';
import { vocabularyOf } from './vocabulary.js';

export const REPORT_TYPES = ['type1', 'type2'] as const;

export const OPINION_TYPES = ['unqualified', 'qualified', 'adverse', 'disclaimer'] as const;
export type OpinionType = (typeof OPINION_TYPES)[number];

/** 0 unqualified < 1 qualified < 2 adverse < 3 disclaimer. */
export function opinionSeverity(type: OpinionType): number {
  return OPINION_TYPES.indexOf(type);
}

/** The partner's judgements, recorded with reasons elsewhere; a flag with no matching matter has no effect. */
export interface Pervasiveness {
  controlFailure: boolean;
  scopeLimitation: boolean;
}

/** Element (a): whether the description fairly presents the system, as the engagement recorded it. */
export type DescriptionPresentation = { fairlyPresented: true } | { fairlyPresented: false; matters: string };

export interface ProposedOpinionInput {
  rollUp: readonly CriterionRollUp[];
  pervasive: Pervasiveness;
  /** Only words the reasons: the roll-up was already made for the report type. */
  reportType: ReportType;
  /** Null while not recorded: an open matter, so nothing is proposed as final. */
  description: DescriptionPresentation | null;
  /** Whose words the open matters use (default SOC 2). */
  framework?: Framework;
}

export interface ProposedOpinion {
  /** Null while not `ready`: nothing is proposed as final while a matter is open (domain.md). */
  type: OpinionType | null;
  /** What the concluded matters point to so far; for draft wording only, never shown as the proposal. */
  provisional: OpinionType;
  /** Every control concluded and every criterion addressed. */
  ready: boolean;
  /** What stands between the roll-up and a proposal, one sentence per kind of matter; empty when ready. */
  openMatters: string[];
  reasons: string[];
  /** Criteria not achieved or carrying a scope limitation, in roll-up order. */
  affected: string[];
  /** The matters that keep the description from presenting the system fairly (element (a)), when it does not. */
  descriptionMisstatement?: string;
  /** Type II: criteria whose controls did not operate in the period, disclosed rather than failed. */
  noTestingPerformed?: string[];
  /** Not achieved (uncompensated control failures). */
  failed: string[];
  /** With a recorded scope limitation, whatever their status. */
  limited: string[];
  /** Criteria with a control not yet concluded: their roll-up, and so the proposal, may still change. */
  awaiting?: string[];
  /** Criteria addressed by no control, no CSOC and no reason for not applicable: they cannot be called achieved. */
  unaddressed?: string[];
}

const worst = (types: OpinionType[]): OpinionType =>
  types.reduce<OpinionType>((a, b) => (opinionSeverity(b) > opinionSeverity(a) ? b : a), 'unqualified');

const ELEMENT_OF: Record<FailureCause, string> = {
  'not-suitably-designed': 'element (b), design',
  'not-operating-effectively': 'element (c), operating effectiveness',
};
const CAUSE_WORDS: Record<FailureCause, string> = {
  'not-suitably-designed': 'not suitably designed',
  'not-operating-effectively': 'did not operate effectively',
};

/** "CC7.1 not achieved: element (b), design: C-2 not suitably designed; …; no other control covers the same risk". */
function failureReason(row: CriterionRollUp): string {
  const causes = (['not-suitably-designed', 'not-operating-effectively'] as const).filter((cause) =>
    row.failedControls.some((c) => c.cause === cause),
  );
  const parts = causes.map(
    (cause) =>
      `${ELEMENT_OF[cause]}: ${row.failedControls
        .filter((c) => c.cause === cause)
        .map((c) => c.reference)
        .join(', ')} ${CAUSE_WORDS[cause]}`,
  );
  return `${row.id} not achieved (${parts.join('; ')}) and no other control covers the same risk`;
}

export function descriptionReason(description: DescriptionPresentation): string {
  return description.fairlyPresented
    ? ''
    : `Element (a), description: the description does not fairly present the system (${description.matters.trim()}).`;
}

/** The open matter while fair presentation is unrecorded, for the proposal and the approval; null once recorded. */
export function descriptionOpenMatter(description: DescriptionPresentation | null): string | null {
  return description === null
    ? "The description's fair presentation is not concluded: record whether the description fairly presents the system."
    : null;
}

function limitationReasons(row: CriterionRollUp): string[] {
  return row.scopeLimitations.map((d) => `${row.id}: sufficient appropriate evidence could not be obtained (${d})`);
}

interface Causes {
  failed: number;
  limited: number;
  misstated: boolean;
}

function typeReason(type: OpinionType, causes: Causes, ready: boolean, reportType: ReportType): string {
  const failure =
    reportType === 'type1'
      ? 'controls were not suitably designed'
      : 'controls were not suitably designed or did not operate effectively';
  if (type === 'unqualified' && !ready)
    return 'No criterion or objective concluded so far is not achieved; unqualified cannot be proposed until every matter is closed.';
  if (type === 'unqualified')
    return 'Every criterion or objective is achieved and the description fairly presents the system: unqualified (exceptions are still reported).';
  if (type === 'adverse') return `Control failures (${failure}) that the partner judged pervasive: adverse.`;
  if (type === 'disclaimer') return 'Evidence could not be obtained and the partner judged it pervasive: disclaimer.';
  const named = [
    causes.misstated ? 'the description does not fairly present the system' : '',
    causes.failed > 0 ? failure : '',
    causes.limited > 0 ? 'evidence could not be obtained' : '',
  ];
  return `Material but not pervasive (${named.filter(Boolean).join('; ')}): qualified ("except for").`;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The distinct controls not yet concluded, in roll-up order. */
function unconcludedControls(rows: readonly CriterionRollUp[]): ControlRef[] {
  const seen = new Map<number, ControlRef>();
  for (const c of rows.flatMap((r) => r.notConcluded)) if (!seen.has(c.controlId)) seen.set(c.controlId, c);
  return [...seen.values()];
}

/** The open matters that keep a proposal from being final, worded for the opinion page and the approval. */
export function openMattersOf(rows: readonly CriterionRollUp[], framework: Framework = 'soc2'): string[] {
  const open = unconcludedControls(rows).map((c) => c.reference);
  const unaddressed = rows.filter((r) => r.status === 'no-controls').map((r) => r.id);
  return [
    ...(open.length > 0
      ? [`${open.length} ${plural(open.length, 'control is', 'controls are')} not yet concluded: ${open.join(', ')}.`]
      : []),
    ...(unaddressed.length > 0
      ? [
          `${unaddressed.length} ${plural(unaddressed.length, 'criterion or objective is', 'criteria or objectives are')} not addressed by a tested control, a ${vocabularyOf(framework).subserviceOrganization}'s controls (carve-out) or a reason for not applicable: ${unaddressed.join(', ')}.`,
        ]
      : []),
  ];
}

/**
 * Failures propose qualified, adverse when pervasive; scope limitations qualified, disclaimer when pervasive;
 * the more severe wins (disclaimer > adverse > qualified > unqualified). Limitations count on every criterion
 * that has one, not only 'scope-limited' ones, so a further failure can never soften a disclaimer. While a
 * control is unconcluded or a criterion unaddressed the proposal is not ready: `type` is null and
 * `openMatters` says why; `provisional` is what the concluded matters point to, for drafting.
 */
export function proposedOpinion({
  rollUp: rows,
  pervasive,
  reportType,
  description,
  framework,
}: ProposedOpinionInput): ProposedOpinion {
  const failedRows = rows.filter((r) => r.status === 'not-achieved');
  const limitedRows = rows.filter((r) => r.scopeLimitations.length > 0);
  const misstated = description !== null && !description.fairlyPresented;
  const provisional = worst([
    failedRows.length === 0 ? 'unqualified' : pervasive.controlFailure ? 'adverse' : 'qualified',
    limitedRows.length === 0 ? 'unqualified' : pervasive.scopeLimitation ? 'disclaimer' : 'qualified',
    // A misstated description qualifies element (a) on its own; whether it is pervasive is the partner's call.
    misstated ? 'qualified' : 'unqualified',
  ]);
  const affectedKeys = new Set([...failedRows, ...limitedRows].map((r) => r.id));
  const awaiting = rows.filter((r) => r.notConcluded.length > 0).map((r) => r.id);
  const unaddressed = rows.filter((r) => r.status === 'no-controls').map((r) => r.id);
  const noTesting = rows.filter((r) => r.noTestingPerformed).map((r) => r.id);
  const openMatters = [
    ...[descriptionOpenMatter(description)].filter((m) => m !== null),
    ...openMattersOf(rows, framework),
  ];
  const ready = openMatters.length === 0;
  const reasons = [
    typeReason(provisional, { failed: failedRows.length, limited: limitedRows.length, misstated }, ready, reportType),
    ...(misstated ? [descriptionReason(description)] : []),
    ...failedRows.map(failureReason),
    ...limitedRows.flatMap(limitationReasons),
    ...(noTesting.length > 0
      ? [
          `No testing performed for ${noTesting.join(', ')}: the controls did not operate during the period; disclosed, not a failure.`,
        ]
      : []),
    ...openMatters,
  ];
  return {
    type: ready ? provisional : null,
    provisional,
    ready,
    openMatters,
    reasons,
    affected: rows.filter((r) => affectedKeys.has(r.id)).map((r) => r.id),
    failed: failedRows.map((r) => r.id),
    limited: limitedRows.map((r) => r.id),
    ...(misstated ? { descriptionMisstatement: description.matters.trim() } : {}),
    ...(noTesting.length > 0 ? { noTestingPerformed: noTesting } : {}),
    ...(awaiting.length > 0 ? { awaiting } : {}),
    ...(unaddressed.length > 0 ? { unaddressed } : {}),
  };
}
