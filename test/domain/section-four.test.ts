import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_TESTING_SENTENCE } from '../../src/domain/result-wording.js';
import {
  CRITERION_NO_TESTING_SENTENCE,
  NO_CONTROLS_SENTENCE,
  NOT_COMPLETED_SENTENCE,
  sampleCount,
  sectionFour,
  testsPerformed,
  type ControlForReport,
  type TestedWindow,
} from '../../src/domain/section-four.js';

const window = (extra: Partial<TestedWindow> = {}): TestedWindow => ({
  label: 'Whole period',
  sample: { size: 25, populationSize: 1214, itemNoun: 'new hires' },
  conclusion: 'no-exceptions',
  resultSentence: 'No exceptions noted.',
  exceptions: [],
  ...extra,
});

const control = (reference: string, mappedTo: string[], extra: Partial<ControlForReport> = {}): ControlForReport => ({
  reference,
  description: `Activity of ${reference}.`,
  mappedTo,
  procedures: [
    { kind: 'inquiry', text: 'Inquired of the People Operations Lead regarding the process.' },
    {
      kind: 'inspection',
      text: 'Inspected the background check report for a sample of new hires to determine whether it was cleared before the start date.',
    },
  ],
  windows: [window()],
  ...extra,
});

const scope = ['CC1.4', 'CC6.1', 'CC7.1'].map((reference) => ({ reference, title: `Title of ${reference}` }));

describe('tests performed', () => {
  it('states the sample on the procedure that speaks of one, and lists inquiry as written', () => {
    const c = control('CC1.4-01', ['CC1.4']);
    expect(testsPerformed(c.procedures, c.windows)).toEqual([
      'Inquired of the People Operations Lead regarding the process.',
      'Inspected the background check report for a sample of 25 of 1,214 new hires to determine whether it was cleared before the start date.',
    ]);
  });

  it('adds the sample to the inspection that mentions a selection when none says "a sample of"', () => {
    const procedures = [
      { kind: 'inspection' as const, text: 'Inspected the scanner configuration.' },
      { kind: 'inspection' as const, text: 'Inspected the monthly review for the months selected.' },
      { kind: 'observation' as const, text: 'Observed the review meeting.' },
    ];
    expect(
      testsPerformed(procedures, [window({ sample: { size: 2, populationSize: 12, itemNoun: 'months' } })]),
    ).toEqual([
      'Inspected the scanner configuration.',
      'Inspected the monthly review for the months selected, for a sample of 2 of 12 months.',
      'Observed the review meeting.',
    ]);
  });

  it('says "all" when every item was tested, names each window of a changed control, and leaves unsampled plans alone', () => {
    expect(sampleCount({ size: 4, populationSize: 4, itemNoun: 'quarters' })).toBe('all 4 quarters');
    expect(sampleCount({ size: 25, populationSize: 1214, itemNoun: 'terminated users', replacements: 1 })).toBe(
      '25 of 1,214 terminated users (1 of them a replacement for an item that was not an occurrence of the control)',
    );
    expect(sampleCount({ size: 25, populationSize: 1214, itemNoun: 'changes', replacements: 2 })).toBe(
      '25 of 1,214 changes (2 of them replacements for items that were not occurrences of the control)',
    );
    expect(
      testsPerformed(
        [{ kind: 'inspection' as const, text: 'Inspected a sample of new hires for a signed offer.' }],
        [window({ sample: { size: 25, populationSize: 1214, itemNoun: 'new hires', replacements: 1 } })],
      ),
    ).toEqual([
      'Inspected a sample of 25 of 1,214 new hires for a signed offer (1 of them a replacement for an item that was not an occurrence of the control).',
    ]);
    const procedures = [{ kind: 'reperformance' as const, text: 'Reperformed the reconciliation.' }];
    const windows = [
      window({ label: 'Before the change', sample: { size: 10, populationSize: 120, itemNoun: 'changes' } }),
      window({ label: 'After the change', sample: { size: 15, populationSize: 130, itemNoun: 'changes' } }),
    ];
    expect(testsPerformed(procedures, windows)).toEqual([
      'Reperformed the reconciliation, for a sample of 10 of 120 changes (before the change) and 15 of 130 changes (after the change).',
    ]);
    expect(testsPerformed(procedures, [window({ sample: null })])).toEqual(['Reperformed the reconciliation.']);
  });
});

describe('sectionFour', () => {
  it('writes each row: control, activity, tests, result sentence and management response', () => {
    const exception = window({
      conclusion: 'not-effective',
      resultSentence: 'Exception noted. For 1 of 25 new hires sampled, the check was late.',
      exceptions: [{ description: 'The check was late', managementResponse: 'Management agrees.' }],
    });
    const report = sectionFour({
      kind: 'criteria',
      scope,
      controls: [control('CC1.4-01', ['CC1.4'], { windows: [exception] })],
      complementary: [],
    });
    expect(report.groupNoun).toBe('Criterion');
    expect(report.groups.map((g) => g.reference)).toEqual(['CC1.4', 'CC6.1', 'CC7.1']);
    const row = report.groups[0]!.rows[0]!;
    expect(row).toMatchObject({
      controlNumber: 'CC1.4-01',
      controlActivity: 'Activity of CC1.4-01.',
      results: ['Exception noted. For 1 of 25 new hires sampled, the check was late.'],
      managementResponses: ['Management agrees.'],
    });
  });

  it('reports no testing, unfinished testing and an untested control in plain words', () => {
    const controls = [
      control('CC6.1-01', ['CC6.1'], {
        windows: [window({ conclusion: 'no-testing', sample: null, resultSentence: '' })],
      }),
      control('CC6.1-02', ['CC6.1'], { windows: [window({ conclusion: null })] }),
      control('CC6.1-03', ['CC6.1'], { windows: [] }),
    ];
    const rows = sectionFour({ kind: 'criteria', scope, controls, complementary: [] }).groups[1]!.rows;
    expect(rows.map((r) => r.results)).toEqual([
      [NO_TESTING_SENTENCE],
      [NOT_COMPLETED_SENTENCE],
      [NOT_COMPLETED_SENTENCE],
    ]);
  });

  it('lists CUECs and CSOCs apart, CSOCs by subservice organization', () => {
    const complementary = [
      {
        kind: 'csoc' as const,
        reference: 'CSOC-02',
        description: 'Physical security.',
        criteria: ['CC6.4'],
        subserviceOrganization: 'Stratus',
      },
      {
        kind: 'cuec' as const,
        reference: 'CUEC-10',
        description: 'Approve users.',
        criteria: ['CC6.3', 'CC6.2'],
        subserviceOrganization: null,
      },
      {
        kind: 'cuec' as const,
        reference: 'CUEC-2',
        description: 'Use MFA.',
        criteria: ['CC6.1'],
        subserviceOrganization: null,
      },
      {
        kind: 'csoc' as const,
        reference: 'CSOC-01',
        description: 'Card data.',
        criteria: ['CC6.7'],
        subserviceOrganization: 'PayRelay',
      },
    ];
    const report = sectionFour({ kind: 'objectives', scope, controls: [], complementary });
    expect(report.groupNoun).toBe('Control objective');
    expect(report.cuecs.map((c) => [c.reference, c.criteria.join(',')])).toEqual([
      ['CUEC-2', 'CC6.1'],
      ['CUEC-10', 'CC6.2,CC6.3'],
    ]);
    expect(report.csocs.map((c) => c.reference)).toEqual(['CSOC-01', 'CSOC-02']);
  });

  const references = scope.map((s) => s.reference);
  const controlsArb = fc.uniqueArray(
    fc.record({
      n: fc.integer({ min: 1, max: 99 }),
      mappedTo: fc.array(fc.constantFrom(...references, 'CC9.9'), { maxLength: 5 }),
    }),
    { selector: (c) => c.n, maxLength: 12 },
  );

  it('shows every mapped control under each of its criteria in scope exactly once, groups in scope order', () => {
    fc.assert(
      fc.property(controlsArb, fc.shuffledSubarray(scope, { minLength: 1 }), (drafts, chosen) => {
        const controls = drafts.map((d) => control(`C-${d.n}`, d.mappedTo));
        const report = sectionFour({ kind: 'criteria', scope: chosen, controls, complementary: [] });
        const order = chosen.map((s) => s.reference);
        expect(report.groups.map((g) => g.reference)).toEqual(order);
        for (const g of report.groups) expect(g.coverage === 'controls').toBe(g.rows.length > 0);
        for (const c of controls) {
          for (const ref of order) {
            const times =
              report.groups.find((g) => g.reference === ref)?.rows.filter((r) => r.controlNumber === c.reference)
                .length ?? 0;
            expect(times).toBe(c.mappedTo.includes(ref) ? 1 : 0);
          }
        }
        const rows = report.groups.reduce((n, g) => n + g.rows.length, 0);
        expect(rows).toBe(controls.reduce((n, c) => n + new Set(c.mappedTo.filter((m) => order.includes(m))).size, 0));
      }),
    );
  });

  it('states every criterion in scope: carved out, not applicable with its reason, or not yet addressed', () => {
    const report = sectionFour({
      kind: 'criteria',
      scope,
      controls: [control('CC1.4-01', ['CC1.4'])],
      complementary: [],
      carvedOut: ['CC6.1'],
      notApplicable: [{ reference: 'CC7.1', reason: 'The system processes no personal data.' }],
    });
    expect(report.groups.map((g) => [g.reference, g.coverage, g.note])).toEqual([
      ['CC1.4', 'controls', null],
      [
        'CC6.1',
        'carved-out',
        "Addressed by the subservice organization's controls (carved out); see Complementary subservice organization controls.",
      ],
      ['CC7.1', 'not-applicable', 'Not applicable: The system processes no personal data.'],
    ]);
    const bare = sectionFour({
      kind: 'criteria',
      scope,
      controls: [],
      complementary: [],
      standard: 'isae',
      carvedOut: ['CC1.4'],
    });
    expect(bare.groups.map((g) => g.coverage)).toEqual(['carved-out', 'no-controls', 'no-controls']);
    expect(bare.groups[0]!.note).toContain("subservice organisation's controls");
    expect(bare.groups[1]!.note).toBe(NO_CONTROLS_SENTENCE);
  });

  it('gives a criterion whose every control did not operate the no-testing disclosure line', () => {
    const idle = window({ conclusion: 'no-testing', sample: null, resultSentence: '' });
    const report = sectionFour({
      kind: 'criteria',
      scope,
      controls: [
        control('CC1.4-01', ['CC1.4'], { windows: [idle] }),
        control('CC6.1-01', ['CC6.1'], { windows: [idle] }),
        control('CC6.1-02', ['CC6.1']),
      ],
      complementary: [],
    });
    expect(report.groups[0]!.note).toBe(CRITERION_NO_TESTING_SENTENCE);
    expect(report.groups[1]!.note).toBeNull();
  });

  it('describes the controls of a Type I engagement without tests or results', () => {
    const report = sectionFour({
      kind: 'criteria',
      reportType: 'type1',
      scope,
      controls: [control('CC1.4-01', ['CC1.4'])],
      complementary: [],
    });
    expect(report.reportType).toBe('type1');
    expect(report.groups[0]!.rows[0]).toEqual({
      controlNumber: 'CC1.4-01',
      controlActivity: 'Activity of CC1.4-01.',
      testsPerformed: [],
      results: [],
      managementResponses: [],
    });
  });
});

describe('the sample stated for whole-population tests and tests of one', () => {
  const procedures = [{ kind: 'inspection' as const, text: 'Inspected the monthly review.' }];
  it('says "tested" when every item was tested, not "a sample"', () => {
    expect(
      testsPerformed(procedures, [window({ sample: { size: 12, populationSize: 12, itemNoun: 'months' } })]),
    ).toEqual(['Inspected the monthly review, for all 12 months tested.']);
  });
  it('states no sample for a test of one: "for the one … tested"', () => {
    expect(testsPerformed(procedures, [window({ sample: { size: 1, populationSize: 1, itemNoun: 'years' } })])).toEqual(
      ['Inspected the monthly review, for the one year tested.'],
    );
    expect(
      testsPerformed(
        [{ kind: 'inspection' as const, text: 'Inspected a sample of new hires for a signed offer.' }],
        [window({ sample: { size: 1, populationSize: 1, itemNoun: 'new hires' } })],
      ),
    ).toEqual(['Inspected the one new hire for a signed offer.']);
    for (const text of testsPerformed(procedures, [
      window({ sample: { size: 1, populationSize: 1, itemNoun: 'years' } }),
    ]))
      expect(text).not.toMatch(/sample/);
  });
});
