import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  caCompletionProblems,
  caSelectionProblem,
  caState,
  tieOutFails,
  type CaRecord,
  type TieOut,
} from '../../src/domain/completeness-accuracy.js';
import { caMissingBeforePrepared } from '../../src/domain/workpaper.js';

const record = (o: Partial<CaRecord> = {}): CaRecord => ({
  sourceSystem: 'Jira Cloud',
  reportUsed: 'JQL: project = CHG AND status = Deployed',
  procedures: 'Agreed the count to the Jira screen.',
  clientCount: 1200,
  clientTotal: null,
  tieOutExplanation: '',
  completedAt: null,
  notNeededReason: null,
  ...o,
});
const ties = (countTies: boolean | null, totalTies: boolean | null = null): TieOut => ({ countTies, totalTies });

describe('the state of a population’s C&A', () => {
  it('generated occurrences need none, whatever is recorded', () => {
    expect(caState({ kind: 'periodic', record: null, ties: null })).toBe('not-required');
    expect(caSelectionProblem({ kind: 'periodic', record: null, ties: null })).toBeNull();
  });

  it('a client list is open until completed or marked not needed', () => {
    expect(caState({ kind: 'transaction', record: null, ties: null })).toBe('open');
    expect(caState({ kind: 'transaction', record: record(), ties: ties(true) })).toBe('open');
    expect(
      caState({ kind: 'transaction', record: record({ completedAt: '2026-01-07T10:00:00Z' }), ties: ties(true) }),
    ).toBe('complete');
    expect(
      caState({
        kind: 'transaction',
        record: record({ notNeededReason: 'The list is the system of record itself.' }),
        ties: null,
      }),
    ).toBe('not-needed');
  });
});

describe('what stops "complete"', () => {
  it('a record with its evidence and a tie-out that agrees may be completed', () => {
    expect(caCompletionProblems(record(), ties(true, true))).toEqual([]);
  });

  it('names every missing piece, the client’s count included', () => {
    const problems = caCompletionProblems(null, null);
    expect(problems).toHaveLength(4);
    expect(problems.join(' ')).toMatch(/source system.*report or query.*record count.*procedures/);
  });

  it('a failed tie-out blocks completion until it is explained in writing', () => {
    expect(caCompletionProblems(record(), ties(false))).toEqual([
      'The tie-out fails (the client’s record count differs from the import): explain the difference in writing first.',
    ]);
    expect(caCompletionProblems(record(), ties(true, false))[0]).toContain('the client’s control total differs');
    expect(caCompletionProblems(record({ tieOutExplanation: '   ' }), ties(false, false))[0]).toContain(
      '(the client’s record count and the client’s control total differ from the import)',
    );
    expect(
      caCompletionProblems(
        record({ tieOutExplanation: 'Two cancelled tickets are in Jira but not deployed; agreed to the deploy log.' }),
        ties(false),
      ),
    ).toEqual([]);
  });

  it('a total the client did not give is no failure', () => {
    expect(tieOutFails(ties(true, null))).toBe(false);
    expect(tieOutFails(ties(null, null))).toBe(false);
    expect(tieOutFails(null)).toBe(false);
  });

  it('whatever the record, an unexplained failed tie-out is never completable', () => {
    const text = fc.oneof(fc.constant(''), fc.string());
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.option(fc.nat()),
        fc.option(fc.boolean()),
        fc.option(fc.boolean()),
        (sourceSystem, reportUsed, procedures, clientCount, countTies, totalTies) => {
          const t = ties(countTies, totalTies);
          const problems = caCompletionProblems(record({ sourceSystem, reportUsed, procedures, clientCount }), t);
          if (countTies === false || totalTies === false)
            expect(problems.some((p) => p.includes('tie-out fails'))).toBe(true);
          if (problems.length === 0) expect(tieOutFails(t)).toBe(false);
        },
      ),
    );
  });
});

describe('the gates', () => {
  it('selection from an open list is refused with what is missing', () => {
    const problem = caSelectionProblem({
      kind: 'transaction',
      record: record({ clientCount: null }),
      ties: ties(null),
    });
    expect(problem).toContain('no sample can be selected');
    expect(problem).toContain('Record the client’s record count');
    expect(caSelectionProblem({ kind: 'transaction', record: record(), ties: ties(true) })).toContain(
      'a senior marks it complete',
    );
  });

  it('a completed or waived list lets selection go ahead', () => {
    expect(
      caSelectionProblem({
        kind: 'transaction',
        record: record({ completedAt: '2026-01-07T10:00:00Z' }),
        ties: ties(true),
      }),
    ).toBeNull();
    expect(
      caSelectionProblem({
        kind: 'transaction',
        record: record({ notNeededReason: 'System-generated, tested by ITGC.' }),
        ties: null,
      }),
    ).toBeNull();
  });

  it('"prepared" is refused only while the C&A is open, naming the population', () => {
    expect(caMissingBeforePrepared('open', 'changes.csv')).toEqual([
      'Completeness and accuracy of the population (changes.csv) is open: mark it complete, or have a senior mark it not needed with a reason.',
    ]);
    for (const state of ['complete', 'not-needed', 'not-required'] as const)
      expect(caMissingBeforePrepared(state, 'changes.csv')).toEqual([]);
  });
});
