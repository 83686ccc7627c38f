// A sample smaller than proposed (issue 13, item 4): a reason and a manager's approval before it is drawn, and an
// evaluation that keeps the tolerable rate the proposal implied.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extensionSize, impliedTolerableRate, proposedConclusion } from '../../src/domain/evaluation.js';
import {
  approvalGrounds,
  canApproveLargeSample,
  sizeDecision,
  smallerSampleProblem,
} from '../../src/domain/sample-approval.js';
import type { EngagementRoleName } from '../../src/domain/roles.js';
import { evaluateFigures, toleranceSize, type SampleFacts } from '../../src/domain/workpaper.js';

const ROLES: EngagementRoleName[] = ['staff', 'senior', 'manager', 'partner', 'eqr'];

describe('approval of a sample smaller than proposed', () => {
  it('names its grounds: smaller than proposed, above the limit, or both', () => {
    expect(approvalGrounds(15, 1000, 25)).toEqual(['smaller than the proposed 25 items']);
    expect(approvalGrounds(25, 1000, 25)).toEqual([]);
    expect(approvalGrounds(40, 1000, 25)).toEqual([]);
    expect(approvalGrounds(1500, 1000, 2000)).toEqual([
      'smaller than the proposed 2,000 items',
      'above the firm’s limit of 1,000',
    ]);
    expect(approvalGrounds(1500, 1000)).toEqual(['above the firm’s limit of 1,000']);
  });

  it('waits for a manager or the partner, unless they asked; the grounds are recorded in a sentence', () => {
    expect(sizeDecision(15, 1000, 'senior', 25)).toEqual({
      kind: 'needs-approval',
      grounds: 'Smaller than the proposed 25 items',
      message:
        'A sample of 15 items is smaller than the proposed 25 items: a manager or the engagement partner must approve it.',
    });
    expect(sizeDecision(15, 1000, 'manager', 25)).toEqual({
      kind: 'approved-by-asker',
      grounds: 'Smaller than the proposed 25 items',
    });
    expect(sizeDecision(1500, 1000, 'staff', 2000)).toMatchObject({
      kind: 'needs-approval',
      grounds: 'Smaller than the proposed 2,000 items and above the firm’s limit of 1,000',
    });
    expect(sizeDecision(25, 1000, 'staff', 25)).toEqual({ kind: 'within-limit' });
    // An extension has no proposal to fall short of.
    expect(sizeDecision(41, 1000, 'staff')).toEqual({ kind: 'within-limit' });
  });

  it('never lets a selection below the proposal through unapproved, whoever asks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(...ROLES),
        (size, proposed, limit, role) => {
          const d = sizeDecision(size, limit, role, proposed);
          if (size < proposed || size > limit)
            expect(d.kind).toBe(canApproveLargeSample(role) ? 'approved-by-asker' : 'needs-approval');
          else expect(d.kind).toBe('within-limit');
        },
      ),
    );
  });

  it('asks for the reason first', () => {
    expect(smallerSampleProblem(15, 25, null)).toBe(
      'Say why the sample is smaller than the proposed 25 items: a manager or the engagement partner approves it before anything is drawn.',
    );
    expect(smallerSampleProblem(15, 25, '  ')).not.toBeNull();
    expect(smallerSampleProblem(15, 25, 'Agreed with the manager.')).toBeNull();
    expect(smallerSampleProblem(25, 25, null)).toBeNull();
    expect(smallerSampleProblem(15, null, null)).toBeNull();
  });
});

const facts = (o: Partial<SampleFacts> = {}): SampleFacts => ({
  frequency: 'daily',
  nature: 'manual',
  sizing: 'table',
  method: 'random',
  confidence: 0.95,
  tolerableRate: null,
  plannedSize: 25,
  populationSize: 250,
  extensionDrawn: false,
  ...o,
});

const figures = (tested: number, deviations: number) => ({
  itemsInSample: tested,
  itemsTested: tested,
  deviations,
  blankCells: 0,
  notApplicableItems: 0,
  replacedItems: 0,
});

describe('evaluating a sample smaller than proposed', () => {
  it('keeps the tolerable rate the proposal implied: 1 deviation in 15 of a proposed 25 asks for 41, as 25 would', () => {
    const smaller = evaluateFigures(facts({ plannedSize: 15, proposedSize: 25 }), figures(15, 1));
    expect(smaller.tolerableRate).toBe(impliedTolerableRate({ confidence: 0.95, plannedSize: 25 }));
    expect(smaller.tolerableStated).toBe(false);
    expect(smaller.proposal).toBe('extend');
    expect(smaller.requiredSize).toBe(41);
    expect(smaller.toDraw).toBe(26);
    // Evaluated as if 15 had been the plan, the rate would be looser and the extension smaller.
    const asPlanned = evaluateFigures(facts({ plannedSize: 15 }), figures(15, 1));
    expect(asPlanned.requiredSize).toBeLessThan(41);
  });

  it('an extension that would satisfy the smaller plan does not satisfy the proposal’s', () => {
    const atSmallerPlansSize = extensionSize({ confidence: 0.95, plannedSize: 15, deviations: 1 })!;
    const input = {
      frequency: 'daily',
      nature: 'manual',
      sizing: 'table',
      confidence: 0.95,
      plannedSize: 15,
      tested: atSmallerPlansSize,
      deviations: 1,
      extended: true,
    } as const;
    expect(proposedConclusion(input)).toBe('exceptions-effective');
    expect(proposedConclusion({ ...input, proposedSize: 25 })).toBe('not-effective');
  });

  it('for any size and proposal, the implied rate is the tighter of the proposal’s and the sample’s, and without a proposal the planned size’s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), (plannedSize, proposedSize) => {
        const withProposal = evaluateFigures(facts({ plannedSize, proposedSize }), figures(plannedSize, 0));
        expect(withProposal.tolerableRate).toBe(
          impliedTolerableRate({ confidence: 0.95, plannedSize: Math.max(plannedSize, proposedSize) }),
        );
        expect(withProposal.tolerableRate).toBeLessThanOrEqual(
          impliedTolerableRate({ confidence: 0.95, plannedSize: proposedSize }),
        );
        expect(toleranceSize({ plannedSize, proposedSize: null })).toBe(plannedSize);
        const statistical = evaluateFigures(
          facts({ plannedSize, proposedSize, sizing: 'statistical', tolerableRate: 0.05, populationSize: 1000 }),
          figures(plannedSize, 0),
        );
        expect(statistical.tolerableRate).toBe(0.05);
      }),
      { numRuns: 200 },
    );
  });
});
