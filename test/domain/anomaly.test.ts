import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_STATUSES,
  anomalyDecisionProblem,
  anomalyItems,
  anomalyProposalProblem,
  anomalySentence,
  resultWithAnomalies,
  countedDeviations,
  proposalWithAnomalies,
  type AnomalyProposal,
  type ExceptionCellAnomaly,
} from '../../src/domain/anomaly.js';
import type { Framework } from '../../src/domain/criteria.js';

const proposal = (p: Partial<AnomalyProposal> = {}): AnomalyProposal => ({
  framework: 'isae3402',
  role: 'senior',
  reason: 'The reviewer was on leave; every other quarter was reviewed on time.',
  onException: true,
  current: null,
  ...p,
});

describe('anomalyProposalProblem', () => {
  it('lets a senior or above propose an anomaly with a reason on an ISAE engagement', () => {
    for (const framework of ['isae3402', 'isae3000'] as const)
      for (const role of ['senior', 'manager', 'partner'] as const)
        expect(anomalyProposalProblem(proposal({ framework, role }))).toBeNull();
  });

  it('refuses it under the AICPA standards, whoever asks', () => {
    for (const framework of ['soc1', 'soc2'] as const)
      expect(anomalyProposalProblem(proposal({ framework, role: 'partner' }))).toMatch(
        /only on an ISAE 3402 or ISAE 3000 engagement/,
      );
  });

  it('refuses staff, the quality reviewer and a viewer', () => {
    for (const role of ['staff', 'eqr', 'viewer'] as const)
      expect(anomalyProposalProblem(proposal({ role }))).toMatch(/Only a senior, a manager or the engagement partner/);
  });

  it('needs a written reason, a recorded exception, and no anomaly already approved', () => {
    expect(anomalyProposalProblem(proposal({ reason: '  ' }))).toMatch(/Write the reason/);
    expect(anomalyProposalProblem(proposal({ onException: false }))).toMatch(/Only a recorded exception/);
    expect(anomalyProposalProblem(proposal({ current: 'approved' }))).toMatch(/already treated as an anomaly/);
    expect(anomalyProposalProblem(proposal({ current: 'declined' }))).toBeNull();
    expect(anomalyProposalProblem(proposal({ current: 'proposed' }))).toBeNull();
  });
});

describe('anomalyDecisionProblem', () => {
  const asked = { framework: 'isae3402' as Framework, status: 'proposed' as const, proposedBy: 1 };
  it('lets a manager or the partner other than the proposer decide a pending proposal, once', () => {
    expect(anomalyDecisionProblem(asked, { id: 2, role: 'manager' })).toBeNull();
    expect(anomalyDecisionProblem(asked, { id: 2, role: 'partner' })).toBeNull();
    expect(anomalyDecisionProblem(asked, { id: 1, role: 'manager' })).toMatch(/You proposed this anomaly/);
    expect(anomalyDecisionProblem({ ...asked, status: 'approved' }, { id: 2, role: 'manager' })).toMatch(
      /already been decided/,
    );
  });

  it('refuses a senior, the quality reviewer, and any SOC engagement', () => {
    expect(anomalyDecisionProblem(asked, { id: 2, role: 'senior' })).toMatch(
      /Only a manager or the engagement partner/,
    );
    expect(anomalyDecisionProblem(asked, { id: 2, role: 'eqr' })).toMatch(/Only a manager or the engagement partner/);
    expect(anomalyDecisionProblem({ ...asked, framework: 'soc2' }, { id: 2, role: 'partner' })).toMatch(
      /AICPA standards/,
    );
  });
});

describe('the deviation count', () => {
  it('takes out items whose every exception is an approved anomaly, under ISAE only', () => {
    const cells: ExceptionCellAnomaly[] = [
      { item: 1, anomaly: 'approved' },
      { item: 2, anomaly: 'approved' },
      { item: 2, anomaly: 'proposed' },
      { item: 3, anomaly: null },
    ];
    expect(anomalyItems('isae3402', cells)).toBe(1);
    expect(countedDeviations('isae3402', 3, cells)).toBe(2);
    expect(countedDeviations('soc1', 3, cells)).toBe(3);
  });

  const framework = fc.constantFrom<Framework>('soc1', 'soc2', 'isae3402', 'isae3000');
  const cellsOf = (statuses: fc.Arbitrary<ExceptionCellAnomaly['anomaly']>) =>
    fc.array(fc.record({ item: fc.integer({ min: 1, max: 8 }), anomaly: statuses }), { maxLength: 20 });
  const distinctItems = (cells: readonly ExceptionCellAnomaly[]) => new Set(cells.map((c) => c.item)).size;

  it('under a SOC framework no anomaly ever changes the deviation count', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Framework>('soc1', 'soc2'),
        cellsOf(fc.constantFrom(null, ...ANOMALY_STATUSES)),
        (fw, cells) => {
          const deviations = distinctItems(cells);
          expect(countedDeviations(fw, deviations, cells)).toBe(deviations);
        },
      ),
    );
  });

  it('under ISAE an anomaly without an approval never changes it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Framework>('isae3402', 'isae3000'),
        cellsOf(fc.constantFrom(null, 'proposed', 'declined', 'withdrawn')),
        (fw, cells) => {
          const deviations = distinctItems(cells);
          expect(countedDeviations(fw, deviations, cells)).toBe(deviations);
        },
      ),
    );
  });

  it('never counts fewer deviations than items holding an exception that is not an approved anomaly', () => {
    fc.assert(
      fc.property(framework, cellsOf(fc.constantFrom(null, ...ANOMALY_STATUSES)), (fw, cells) => {
        const deviations = distinctItems(cells);
        const unapproved = new Set(cells.filter((c) => c.anomaly !== 'approved').map((c) => c.item)).size;
        const counted = countedDeviations(fw, deviations, cells);
        expect(counted).toBeGreaterThanOrEqual(unapproved);
        expect(counted).toBeLessThanOrEqual(deviations);
      }),
    );
  });
});

describe('proposalWithAnomalies', () => {
  it('reads a sample whose only deviations are anomalies as exceptions noted, operated effectively', () => {
    expect(proposalWithAnomalies('no-exceptions', 1)).toBe('exceptions-effective');
    expect(proposalWithAnomalies('no-exceptions', 0)).toBe('no-exceptions');
    expect(proposalWithAnomalies('not-effective', 1)).toBe('not-effective');
    expect(proposalWithAnomalies(null, 1)).toBeNull();
  });
});

describe('anomalySentence', () => {
  it('states the reason once, as one sentence', () => {
    expect(anomalySentence('The reviewer was on leave; the deputy reviewed it a week later. ')).toBe(
      'Treated as an anomaly: The reviewer was on leave; the deputy reviewed it a week later.',
    );
  });
});

describe('resultWithAnomalies', () => {
  it('keeps the result and adds one sentence per approved anomaly, nothing when there is none', () => {
    expect(resultWithAnomalies('For 1 of 4 quarters tested, the review was not performed.', [])).toBe(
      'For 1 of 4 quarters tested, the review was not performed.',
    );
    expect(
      resultWithAnomalies('For 1 of 4 quarters tested, the review was not performed.', [
        'The reviewer left mid-quarter',
      ]),
    ).toBe(
      'For 1 of 4 quarters tested, the review was not performed. Treated as an anomaly: The reviewer left mid-quarter.',
    );
  });
});
