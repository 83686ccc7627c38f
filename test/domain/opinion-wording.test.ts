import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Framework } from '../../src/domain/criteria.js';
import { OPINION_TYPES } from '../../src/domain/opinion.js';
import {
  basisForQualifiedOpinion,
  formatDate,
  formatPeriod,
  joinList,
  opinionParagraph,
  type AffectedForWording,
  type ReportContext,
} from '../../src/domain/opinion-wording.js';

const FRAMEWORKS: Framework[] = ['soc1', 'soc2', 'isae3402', 'isae3000'];
const context = (framework: Framework): ReportContext => ({
  framework,
  serviceOrganization: 'Acme Payroll Ltd',
  systemName: 'Payroll Processing System',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
});
const text = (s: { heading: string; paragraphs: string[] }) => s.paragraphs.join('\n');

const cc71: AffectedForWording = {
  id: 'CC7.1',
  title: 'Detection and monitoring of configuration changes',
  failedControls: [
    { reference: 'CC7.1-02', resultSentence: 'Exception noted. For 2 of 40 alerts sampled, no ticket was raised' },
  ],
};
const cc81: AffectedForWording = {
  id: 'CC8.1',
  title: 'Change management',
  failedControls: [{ reference: 'CC8.1-01' }],
};
const co4: AffectedForWording = {
  id: 'CO4',
  title: 'Logical access to the payroll system is restricted to authorised users',
  failedControls: [
    {
      reference: 'CO4.1',
      resultSentence: 'For 2 of 40 terminated users sampled, access was removed after 9 and 14 days.',
    },
  ],
};

describe('dates and lists', () => {
  it('writes SOC (US) dates month first and ISAE dates day first', () => {
    expect(formatDate('soc2', '2025-01-01')).toBe('January 1, 2025');
    expect(formatDate('soc1', '2024-02-29')).toBe('February 29, 2024');
    expect(formatDate('isae3402', '2025-12-31')).toBe('31 December 2025');
    expect(formatPeriod('soc2', '2025-01-01', '2025-12-31')).toBe('January 1, 2025 to December 31, 2025');
    expect(formatPeriod('isae3000', '2025-01-01', '2025-12-31')).toBe('1 January 2025 to 31 December 2025');
  });

  it('refuses what is not a calendar date, and a period ending before it starts', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-1', '', '2025-01-01T00:00']) {
      expect(() => formatDate('soc2', bad)).toThrow(RangeError);
    }
    expect(() => formatPeriod('soc2', '2025-12-31', '2025-01-01')).toThrow(/before it starts/);
  });

  it('joins lists with a serial comma in US reports only', () => {
    expect(joinList('soc2', ['CC7.1'])).toBe('CC7.1');
    expect(joinList('soc2', ['CC7.1', 'CC8.1'])).toBe('CC7.1 and CC8.1');
    expect(joinList('soc2', ['CC6.1', 'CC7.1', 'CC8.1'])).toBe('CC6.1, CC7.1, and CC8.1');
    expect(joinList('isae3000', ['CC6.1', 'CC7.1', 'CC8.1'])).toBe('CC6.1, CC7.1 and CC8.1');
  });
});

describe('basis for qualified opinion', () => {
  it('SOC 2: names the criterion, the failed control and its result, against the trust services criteria', () => {
    const basis = basisForQualifiedOpinion({ ...context('soc2'), affected: [cc71] });
    expect(basis.heading).toBe('Basis for Qualified Opinion');
    const t = text(basis);
    expect(t).toContain('Acme Payroll Ltd states in its description of its Payroll Processing System');
    expect(t).toContain('Trust services criterion CC7.1, “Detection and monitoring of configuration changes”');
    expect(t).toContain(
      'Control CC7.1-02 did not operate effectively. Exception noted. For 2 of 40 alerts sampled, no ticket was raised.',
    );
    expect(t).toContain('throughout the period January 1, 2025 to December 31, 2025');
    expect(t).toContain(
      "Acme Payroll Ltd's service commitments and system requirements were achieved based on the trust services criterion CC7.1.",
    );
    expect(t).not.toMatch(/control objective/i);
  });

  it('SOC 2: several criteria are named together', () => {
    const t = text(basisForQualifiedOpinion({ ...context('soc2'), affected: [cc71, cc81] }));
    expect(t).toContain('based on the trust services criteria CC7.1 and CC8.1.');
    expect(t).toContain(
      'Trust services criterion CC8.1, “Change management”: Control CC8.1-01 did not operate effectively.',
    );
  });

  it('SOC 1: names the control objective, which was not achieved', () => {
    const t = text(basisForQualifiedOpinion({ ...context('soc1'), affected: [co4] }));
    expect(t).toContain(
      'Control objective CO4, “Logical access to the payroll system is restricted to authorised users”: Control CO4.1 did not operate effectively.',
    );
    expect(t).toContain(
      'As a result, control objective CO4 stated in the description was not achieved throughout the period January 1, 2025 to December 31, 2025.',
    );
    expect(t).toContain('the control objectives stated in the description are achieved');
    expect(t).not.toMatch(/trust services/i);
  });

  it('ISAE 3402: international dates, objectives in the plural', () => {
    const co5 = { ...co4, id: 'CO5', title: 'Payroll changes are authorised' };
    const t = text(basisForQualifiedOpinion({ ...context('isae3402'), affected: [co4, co5] }));
    expect(t).toContain(
      'control objectives CO4 and CO5 stated in the description were not achieved throughout the period from 1 January 2025 to 31 December 2025.',
    );
    expect(t).not.toContain('January 1');
  });

  it('ISAE 3000: trust services criteria with international dates', () => {
    const t = text(basisForQualifiedOpinion({ ...context('isae3000'), affected: [cc71] }));
    expect(t).toContain('trust services criterion CC7.1');
    expect(t).toContain('from 1 January 2025 to 31 December 2025');
  });

  it('states a scope limitation and what could not be determined', () => {
    const limited = {
      id: 'CC6.2',
      title: 'User registration',
      failedControls: [],
      scopeLimitations: ['access logs for Q3 were purged'],
    };
    const basis = basisForQualifiedOpinion({ ...context('soc2'), affected: [cc71, limited] });
    const t = text(basis);
    expect(t).toContain(
      'Trust services criterion CC6.2, “User registration”: we were unable to obtain sufficient appropriate evidence',
    );
    expect(t).toContain('Access logs for Q3 were purged.');
    expect(t).toContain('we were unable to determine whether the controls operated effectively');
    expect(t).toContain('based on the trust services criterion CC6.2.');
    // Only the failure's criterion is named in the failure's conclusion.
    expect(basis.paragraphs.find((p) => p.startsWith('As a result'))).not.toContain('CC6.2');
  });

  it('a scope limitation only: no claim that controls failed', () => {
    const limited = { ...co4, failedControls: [], scopeLimitations: ['The payroll register could not be provided'] };
    const t = text(basisForQualifiedOpinion({ ...context('soc1'), affected: [limited] }));
    expect(t).not.toContain('did not operate effectively');
    expect(t).toContain('reasonable assurance that control objective CO4 stated in the description was achieved.');
  });

  it('headings for an adverse opinion and a disclaimer', () => {
    expect(basisForQualifiedOpinion({ ...context('soc2'), affected: [cc71], type: 'adverse' }).heading).toBe(
      'Basis for Adverse Opinion',
    );
    expect(basisForQualifiedOpinion({ ...context('soc2'), affected: [cc71], type: 'disclaimer' }).heading).toBe(
      'Basis for Disclaimer of Opinion',
    );
  });

  it('refuses an empty basis, and an item with nothing to report', () => {
    expect(() => basisForQualifiedOpinion({ ...context('soc2'), affected: [] })).toThrow(RangeError);
    expect(() => basisForQualifiedOpinion({ ...context('soc2'), affected: [{ ...cc71, failedControls: [] }] })).toThrow(
      /CC7\.1/,
    );
  });
});

describe('opinion paragraph', () => {
  const opinion = (
    framework: Framework,
    type: (typeof OPINION_TYPES)[number],
    affectedIds: string[] = ['CC7.1'],
    extra = {},
  ) => opinionParagraph({ ...context(framework), type, affectedIds, ...extra });

  it('unqualified: in all material respects, with the three elements of a Type II opinion', () => {
    const o = opinion('soc2', 'unqualified', []);
    expect(o.heading).toBe('Opinion');
    expect(o.paragraphs[0]).toBe(
      "In our opinion, in all material respects, based on the criteria described in Acme Payroll Ltd's assertion,",
    );
    expect(o.paragraphs.slice(1).map((p) => p.slice(0, 3))).toEqual(['a. ', 'b. ', 'c. ']);
    expect(o.paragraphs[3]).toContain(
      'operated effectively throughout the period January 1, 2025 to December 31, 2025',
    );
    expect(text(o)).toContain('based on the applicable trust services criteria');
  });

  it('qualified: "except for the matter described in the Basis for Qualified Opinion paragraph"', () => {
    const o = opinion('soc2', 'qualified');
    expect(o.heading).toBe('Qualified Opinion');
    expect(o.paragraphs[0]).toMatch(
      /^In our opinion, except for the matter described in the Basis for Qualified Opinion paragraph, in all material respects, based on the criteria described in Acme Payroll Ltd's assertion,$/,
    );
    expect(opinion('soc2', 'qualified', ['CC7.1', 'CC8.1']).paragraphs[0]).toMatch(
      /^In our opinion, except for the matters described/,
    );
    expect(opinion('soc2', 'qualified', ['CC6.2'], { cause: 'scope-limitation' }).paragraphs[0]).toMatch(
      /^In our opinion, except for the possible effects of the matter described/,
    );
  });

  it('adverse: because of the significance of the matter, the controls did not operate effectively', () => {
    const o = opinion('soc2', 'adverse');
    expect(o.heading).toBe('Adverse Opinion');
    expect(o.paragraphs).toHaveLength(1);
    expect(o.paragraphs[0]).toMatch(
      /^In our opinion, because of the significance of the matter described in the Basis for Adverse Opinion paragraph, based on the criteria described in Acme Payroll Ltd's assertion, the controls/,
    );
    expect(o.paragraphs[0]).toContain(
      "stated in the description of Acme Payroll Ltd's Payroll Processing System did not operate effectively",
    );
    expect(o.paragraphs[0]).toContain('throughout the period January 1, 2025 to December 31, 2025');
    expect(opinion('soc1', 'adverse', []).paragraphs[0]).toContain('the significance of the matter described');
  });

  it("refers to the criteria in management's assertion (SOC) or the service organisation's statement (ISAE)", () => {
    for (const framework of ['soc1', 'soc2'] as const) {
      for (const type of ['unqualified', 'qualified', 'adverse'] as const)
        expect(opinion(framework, type).paragraphs[0]).toContain(
          "based on the criteria described in Acme Payroll Ltd's assertion",
        );
    }
    for (const framework of ['isae3402', 'isae3000'] as const) {
      for (const type of ['unqualified', 'qualified', 'adverse'] as const) {
        const lead = opinion(framework, type).paragraphs[0]!;
        expect(lead).toContain("based on the criteria described in Acme Payroll Ltd's statement");
        expect(lead).not.toContain('assertion');
      }
    }
    // A disclaimer expresses no opinion, so it is given on no criteria.
    expect(text(opinion('soc2', 'disclaimer'))).not.toContain('criteria described in');
  });

  it('disclaimer: we do not express an opinion', () => {
    const o = opinion('isae3402', 'disclaimer', ['CO4']);
    expect(o.heading).toBe('Disclaimer of Opinion');
    expect(o.paragraphs[0]).toContain(
      'we have not been able to obtain sufficient appropriate evidence to provide a basis for an opinion',
    );
    expect(o.paragraphs[0]).toContain('Accordingly, we do not express an opinion');
    expect(o.paragraphs[0]).toContain('the control objectives stated in the description were achieved');
  });

  it('SOC 1 speaks of control objectives and the controls tested', () => {
    const t = text(opinion('soc1', 'unqualified', []));
    expect(t).toContain(
      'the controls related to the control objectives stated in the description were suitably designed',
    );
    expect(t).toContain(
      'c. the controls that we tested, which were those necessary to provide reasonable assurance that the control objectives',
    );
    expect(t).not.toMatch(/trust services/);
  });

  it('ISAE: "(a) … ;", "(b) …; and", "(c) … ." with international dates', () => {
    const o = opinion('isae3402', 'qualified', ['CO4']);
    expect(o.paragraphs[0]).toMatch(
      /^In our opinion, except for the matter described in the Basis for Qualified Opinion paragraph, in all material respects, based on the criteria described in Acme Payroll Ltd's statement:$/,
    );
    expect(o.paragraphs[1]).toMatch(/^\(a\) The description fairly presents .*;$/);
    expect(o.paragraphs[2]).toMatch(/^\(b\) The controls .*; and$/);
    expect(o.paragraphs[3]).toMatch(
      /^\(c\) The controls that we tested, .* throughout the period from 1 January 2025 to 31 December 2025\.$/,
    );
  });

  it('makes the opinion conditional on complementary controls when there are any', () => {
    const soc2 = text(opinion('soc2', 'unqualified', [], { complementary: { userEntity: true, subservice: true } }));
    expect(soc2).toContain(
      'and if the subservice organization and user entities applied the complementary controls assumed in the design',
    );
    expect(soc2).toContain(
      'if complementary subservice organization controls and complementary user entity controls assumed in the design',
    );
    const soc1 = text(opinion('soc1', 'unqualified', [], { complementary: { userEntity: true } }));
    expect(soc1).toContain(
      "which, together with the complementary user entity controls assumed in the design of Acme Payroll Ltd's controls, if operating effectively, were",
    );
    expect(text(opinion('isae3402', 'unqualified', [], { complementary: { subservice: true } }))).toContain(
      'the subservice organisation applied',
    );
    expect(text(opinion('soc2', 'unqualified', []))).not.toContain('complementary');
  });

  it('reads cleanly for every framework, type and option', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FRAMEWORKS),
        fc.constantFrom(...OPINION_TYPES),
        fc.array(fc.constantFrom('CC6.1', 'CC7.1', 'CO4'), { maxLength: 3 }),
        fc.record({ userEntity: fc.boolean(), subservice: fc.boolean() }),
        fc.constantFrom('control-failure', 'scope-limitation'),
        (framework, type, affectedIds, complementary, cause) => {
          const t = text(opinionParagraph({ ...context(framework), type, affectedIds, complementary, cause }));
          expect(t).toMatch(/^In our opinion|^Because of the significance/);
          expect(t).not.toMatch(/undefined|null|NaN| {2}| ,|,,|\.\.|, \.|;\./);
          expect(t).toContain('Acme Payroll Ltd');
        },
      ),
    );
  });
});
