// Completeness and accuracy (C&A / IPE) of a client's listing: what it takes to call it complete, and how it
// gates the work (domain.md, "Populations": no sample from a list whose C&A is open, no "prepared" either).

/** The C&A record as the rules need it (null: nothing recorded yet). */
export interface CaRecord {
  sourceSystem: string;
  reportUsed: string;
  procedures: string;
  clientCount: number | null;
  clientTotal: string | null;
  /** Why the client's count or total differs from the import, when it does. */
  tieOutExplanation: string;
  completedAt: string | null;
  /** A senior's reason that this listing needs no C&A work; null while it is needed. */
  notNeededReason: string | null;
}

/** Whether the client's count and total agree with the import (null: the client's figure is not recorded). */
export interface TieOut {
  countTies: boolean | null;
  totalTies: boolean | null;
}

export interface CaFacts {
  /** Periodic populations are generated from the calendar: there is no client listing to agree. */
  kind: 'transaction' | 'periodic';
  record: CaRecord | null;
  ties: TieOut | null;
}

/** not-required: generated occurrences; not-needed: a senior said so, with a reason; open: neither complete nor waived. */
export type CaState = 'not-required' | 'complete' | 'not-needed' | 'open';

export function caState({ kind, record }: CaFacts): CaState {
  if (kind === 'periodic') return 'not-required';
  if (record?.completedAt) return 'complete';
  if (record?.notNeededReason) return 'not-needed';
  return 'open';
}

/** A tie-out that fails: the client's count or total recorded and different from the import. */
export function tieOutFails(ties: TieOut | null): boolean {
  return !!ties && (ties.countTies === false || ties.totalTies === false);
}

/** Everything that stops a C&A record being marked complete; empty when it may be. */
export function caCompletionProblems(record: CaRecord | null, ties: TieOut | null): string[] {
  const problems: string[] = [];
  const blank = (s: string | undefined) => !s || s.trim() === '';
  if (blank(record?.sourceSystem)) problems.push('Record the source system the list was extracted from.');
  if (blank(record?.reportUsed)) problems.push('Record the report or query used to extract it.');
  if (record?.clientCount === null || record?.clientCount === undefined)
    problems.push('Record the client’s record count, so the list can be tied to its source.');
  if (blank(record?.procedures)) problems.push('Record the procedures performed over completeness and accuracy.');
  if (tieOutFails(ties) && blank(record?.tieOutExplanation))
    problems.push(
      `The tie-out fails (${failedFigures(ties!)} from the import): explain the difference in writing first.`,
    );
  return problems;
}

function failedFigures(ties: TieOut): string {
  const failed = [
    ties.countTies === false ? 'the client’s record count' : null,
    ties.totalTies === false ? 'the client’s control total' : null,
  ].filter(Boolean);
  return `${failed.join(' and ')} ${failed.length > 1 ? 'differ' : 'differs'}`;
}

/**
 * Why no sample may be selected from this population yet, naming what is missing; null when selection may go
 * ahead (C&A complete, marked not needed, or not required at all).
 */
export function caSelectionProblem(facts: CaFacts): string | null {
  if (caState(facts) !== 'open') return null;
  const missing = caCompletionProblems(facts.record, facts.ties);
  const what =
    missing.length > 0
      ? ` Still missing: ${missing.join(' ')}`
      : ' The record is filled in: a senior marks it complete.';
  return `Completeness and accuracy of this population is not complete, so no sample can be selected from it yet. Mark it complete, or have a senior mark it not needed with a reason.${what}`;
}
