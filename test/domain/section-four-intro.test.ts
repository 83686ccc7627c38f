import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportStandardOf, sectionFourIntroduction, TEST_TYPES } from '../../src/domain/section-four-intro.js';

const soc = {
  standard: 'aicpa' as const,
  reportType: 'type2' as const,
  serviceOrganization: 'Nimbus Ledger, Inc.',
  kind: 'criteria' as const,
};

describe('the Section IV introduction', () => {
  it('names the four types of tests and how information produced by the entity was tested (SOC, Type II)', () => {
    const text = sectionFourIntroduction(soc).join('\n');
    for (const kind of TEST_TYPES)
      expect(text).toMatch(new RegExp(`^${kind[0]!.toUpperCase()}${kind.slice(1)}: `, 'm'));
    expect(text).toContain('SSAE No. 18');
    expect(text).toContain('AICPA');
    expect(text).toContain('information produced by the service organization');
    expect(text).toMatch(/completeness and accuracy/);
    expect(text).toContain('operating effectiveness');
    expect(text).toContain('trust services criteria');
  });

  it('speaks ISAE, in British spelling, for an ISAE engagement', () => {
    const text = sectionFourIntroduction({
      ...soc,
      standard: 'isae',
      kind: 'objectives',
      serviceOrganization: 'Payroll Ltd',
    }).join('\n');
    expect(text).toContain('ISAE) 3402');
    expect(sectionFourIntroduction({ ...soc, standard: 'isae', isae: '3000' }).join(' ')).toContain('(ISAE) 3000');
    expect(text).toContain('service organisation');
    expect(text).not.toMatch(/organization|AICPA|SSAE/);
    expect(text).toContain('control objectives');
  });

  it('describes design only for a Type I engagement: no tests of operating effectiveness, no reperformance', () => {
    const text = sectionFourIntroduction({ ...soc, reportType: 'type1' }).join('\n');
    expect(text).toContain('we performed no tests of the operating effectiveness');
    expect(text).not.toMatch(/^Reperformance:/m);
    expect(text).not.toContain('throughout the period');
  });

  it('names the service organization in every variant and never mixes spellings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('aicpa' as const, 'isae' as const),
        fc.constantFrom('type1' as const, 'type2' as const),
        fc.constantFrom('criteria' as const, 'objectives' as const),
        (standard, reportType, kind) => {
          const text = sectionFourIntroduction({ standard, reportType, kind, serviceOrganization: 'Acme' }).join(' ');
          expect(text).toContain('controls specified by Acme');
          expect(text.includes('organisation')).toBe(standard === 'isae');
          expect(text.includes('organization')).toBe(standard === 'aicpa');
        },
      ),
    );
  });

  it('takes the standard from the framework', () => {
    expect(['soc1', 'soc2', 'isae3402', 'isae3000'].map(reportStandardOf)).toEqual(['aicpa', 'aicpa', 'isae', 'isae']);
  });
});
