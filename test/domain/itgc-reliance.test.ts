import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conclusionSeverity, type ProposedConclusion } from '../../src/domain/evaluation.js';
import { itgcState, relianceGaps, relianceProposal, type LinkedItgc } from '../../src/domain/itgc-reliance.js';
import { proposalAsConclusion } from '../../src/domain/workpaper.js';
import { CONCLUSIONS } from '../../src/domain/types.js';

const effective: LinkedItgc = { reference: 'ITGC-01', conclusions: ['no-exceptions'] };
const failed: LinkedItgc = { reference: 'ITGC-02', conclusions: ['no-exceptions', 'not-effective'] };
const untested: LinkedItgc = { reference: 'ITGC-03', conclusions: [] };

describe('itgcState', () => {
  it('is effective only when every window is concluded effective', () => {
    expect(itgcState(['no-exceptions', 'exceptions-effective'])).toBe('effective');
    expect(itgcState(['no-exceptions', null])).toBe('missing');
    expect(itgcState(['no-testing'])).toBe('missing');
    expect(itgcState([])).toBe('missing');
    expect(itgcState([null, 'not-effective'])).toBe('failed');
  });
});

describe('relianceProposal', () => {
  it('keeps the figures’ proposal when every linked ITGC is concluded effective, or none is linked', () => {
    expect(relianceProposal('no-exceptions', [effective])).toEqual({
      proposal: 'no-exceptions',
      gaps: [],
      advice: null,
    });
    expect(relianceProposal('no-exceptions', [])).toEqual({ proposal: 'no-exceptions', gaps: [], advice: null });
  });
  it('proposes no effective conclusion while an ITGC is missing or failed, naming each and asking for more testing', () => {
    const r = relianceProposal('no-exceptions', [effective, failed, untested]);
    expect(r.proposal).toBe('not-effective');
    expect(r.gaps).toEqual([
      'ITGC ITGC-02 is concluded not operating effectively.',
      'ITGC ITGC-03 is not yet concluded effective.',
    ]);
    expect(r.advice).toMatch(/More testing is needed/);
    expect(relianceProposal('exceptions-effective', [untested]).proposal).toBe('not-effective');
  });
  it('leaves "extend", "not effective" and nothing-tested as they are, with the gaps still said', () => {
    expect(relianceProposal('extend', [failed]).proposal).toBe('extend');
    expect(relianceProposal('not-effective', [failed]).proposal).toBe('not-effective');
    expect(relianceProposal(null, [untested])).toMatchObject({
      proposal: null,
      gaps: ['ITGC ITGC-03 is not yet concluded effective.'],
    });
  });
  it('never proposes anything better than the figures do, and relies only when every ITGC is effective', () => {
    const proposal = fc.constantFrom<ProposedConclusion>(
      'no-exceptions',
      'exceptions-effective',
      'not-effective',
      'extend',
    );
    const itgc = fc.record({
      reference: fc.string({ minLength: 1, maxLength: 8 }),
      conclusions: fc.array(fc.constantFrom(...CONCLUSIONS, null), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(proposal, fc.array(itgc, { maxLength: 4 }), (figures, itgcs) => {
        const { proposal: weighed, gaps } = relianceProposal(figures, itgcs);
        const severity = (p: ProposedConclusion) => conclusionSeverity(proposalAsConclusion(p))!;
        expect(severity(weighed!)).toBeGreaterThanOrEqual(severity(figures));
        const allEffective = itgcs.every((i) => itgcState(i.conclusions) === 'effective');
        expect(gaps.length === 0).toBe(allEffective);
        if (!allEffective) expect(['no-exceptions', 'exceptions-effective']).not.toContain(weighed);
        expect(relianceGaps(itgcs)).toEqual(gaps);
      }),
    );
  });
});
