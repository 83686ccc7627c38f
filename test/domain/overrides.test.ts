import { describe, expect, it } from 'vitest';
import { overrideDecisionProblem, overrideProblems, type OverrideFacts } from '../../src/domain/overrides.js';
import { SAMPLE_METHODS } from '../../src/db/schema/index.js';
import { SELECTION_METHODS, statisticalSizingProblem } from '../../src/domain/sampling-methods.js';

const override = (o: Partial<OverrideFacts> = {}): OverrideFacts => ({
  kind: 'conclusion',
  status: 'approved',
  conclusion: 'exceptions-effective',
  extendTo: null,
  proposed: 'not-effective',
  deviations: 2,
  itemsTested: 54,
  requestedBy: 1,
  decidedAt: '2026-01-12T10:00:00.000Z',
  ...o,
});
const now = { proposed: 'not-effective' as const, deviations: 2, itemsTested: 54 };

describe('overrideDecisionProblem', () => {
  it('lets someone other than the person asking decide a pending request, once', () => {
    expect(overrideDecisionProblem({ status: 'pending', requestedBy: 1 }, 2)).toBeNull();
    expect(overrideDecisionProblem({ status: 'pending', requestedBy: 1 }, 1)).toMatch(
      /another manager or the engagement partner/,
    );
    expect(overrideDecisionProblem({ status: 'approved', requestedBy: 1 }, 2)).toMatch(/already been decided/);
  });
});

describe('overrideProblems', () => {
  it('holds an approved softer conclusion while the figures it was approved on stand', () => {
    expect(
      overrideProblems({ conclusion: 'exceptions-effective', softer: true, now, overrides: [override()] }),
    ).toEqual([]);
    expect(
      overrideProblems({
        conclusion: 'exceptions-effective',
        softer: true,
        now: { ...now, deviations: 3 },
        overrides: [override()],
      }),
    ).toEqual([
      'The override approved on 2026-01-12 was for 2 deviations in 54 items tested; the figures now show 3 deviations in 54 items tested: ask for the override again or change the conclusion.',
    ]);
  });

  it('refuses a softer conclusion nobody approved, and anything still awaiting a decision', () => {
    expect(overrideProblems({ conclusion: 'exceptions-effective', softer: true, now, overrides: [] })).toEqual([
      'The conclusion is softer than the figures support and no manager has approved it as an override.',
    ]);
    expect(
      overrideProblems({
        conclusion: 'exceptions-effective',
        softer: true,
        now,
        overrides: [override({ status: 'declined' })],
      }),
    ).toHaveLength(1);
    expect(
      overrideProblems({
        conclusion: 'not-effective',
        softer: false,
        now,
        overrides: [override({ kind: 'extension', status: 'pending', extendTo: 54, conclusion: null })],
      }),
    ).toEqual([
      'The request for a further extension to 54 items awaits the approval of a manager or the engagement partner.',
    ]);
    expect(
      overrideProblems({
        conclusion: 'not-effective',
        softer: false,
        now,
        overrides: [override({ status: 'superseded' })],
      }),
    ).toEqual([]);
  });
});

describe('statisticalSizingProblem', () => {
  it('refuses statistical sizing for haphazard and judgmental selections only', () => {
    expect(statisticalSizingProblem('haphazard', 'statistical')).toMatch(
      /^A haphazard selection is not a statistical sample/,
    );
    expect(statisticalSizingProblem('judgmental', 'statistical')).toMatch(
      /^A judgmental selection is not a statistical sample/,
    );
    expect(statisticalSizingProblem('judgmental', 'table')).toBeNull();
    for (const method of ['random', 'systematic', 'period-spread', 'interim-split', 'all'] as const)
      expect(statisticalSizingProblem(method, 'statistical')).toBeNull();
  });

  it('knows every method the database stores', () => {
    expect([...SELECTION_METHODS]).toEqual([...SAMPLE_METHODS]);
  });
});
