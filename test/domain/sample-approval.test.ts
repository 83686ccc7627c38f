import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canApproveLargeSample, MAX_SAMPLE_SIZE, sizeDecision } from '../../src/domain/sample-approval.js';
import type { EngagementRoleName } from '../../src/domain/roles.js';
import { missingBeforePrepared } from '../../src/domain/workpaper.js';

const ROLES: EngagementRoleName[] = ['staff', 'senior', 'manager', 'partner', 'eqr'];

describe('who approves a sample above the firm’s limit', () => {
  it('managers and the engagement partner, nobody else (the quality reviewer reviews, and approves no plan)', () => {
    expect(ROLES.filter(canApproveLargeSample)).toEqual(['manager', 'partner']);
  });

  it('within the limit nothing is needed; above it, approval unless the asker may give it; beyond 10,000, never', () => {
    expect(sizeDecision(1000, 1000, 'staff')).toEqual({ kind: 'within-limit' });
    expect(sizeDecision(1001, 1000, 'manager')).toEqual({
      kind: 'approved-by-asker',
      grounds: 'Above the firm’s limit of 1,000',
    });
    expect(sizeDecision(1001, 1000, 'senior')).toEqual({
      kind: 'needs-approval',
      grounds: 'Above the firm’s limit of 1,000',
      message:
        'A sample of 1,001 items is above the firm’s limit of 1,000: a manager or the engagement partner must approve it.',
    });
    expect(sizeDecision(10_001, 20_000, 'partner')).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('at most 10,000 items'),
    });
  });

  it('decides every size and role one way, the same as its parts say', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_SAMPLE_SIZE * 2 }),
        fc.integer({ min: 1, max: MAX_SAMPLE_SIZE }),
        fc.constantFrom(...ROLES),
        (size, limit, role) => {
          const d = sizeDecision(size, limit, role);
          if (size > MAX_SAMPLE_SIZE) expect(d.kind).toBe('refused');
          else if (size <= limit) expect(d.kind).toBe('within-limit');
          else expect(d.kind).toBe(canApproveLargeSample(role) ? 'approved-by-asker' : 'needs-approval');
        },
      ),
    );
  });
});

describe('what stops "prepared" on a long grid', () => {
  it('names the items it lists and counts the rest', () => {
    const missing = missingBeforePrepared({
      blankCells: [{ itemKey: 'K-1', attributes: ['A'] }],
      exceptionsWithoutRecord: [{ itemKey: 'K-2', attribute: 'B' }],
      conclusion: null,
      conclusionProblem: null,
      moreBlankItems: 1_250,
      moreExceptionsWithoutRecord: 1,
    });
    expect(missing).toEqual([
      'Item K-1: attribute A not marked.',
      '… and 1,250 more items with blank cells.',
      'Item K-2, attribute B: the exception record is not written.',
      '… and 1 more exception without its record.',
      'No conclusion is set.',
    ]);
  });
});
