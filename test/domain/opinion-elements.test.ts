// The three elements of the opinion (description, design, operating effectiveness), Type I against Type II, and
// criteria whose controls did not operate in the period (domain.md, "From controls to the opinion").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  proposedOpinion,
  rollUp,
  type ControlOutcome,
  type DescriptionPresentation,
  type DesignOutcome,
  type ReportType,
  type RollUpInput,
} from '../../src/domain/opinion.js';
import { CONCLUSIONS, type Conclusion } from '../../src/domain/types.js';

const criteria = ['CC6.1', 'CC6.2', 'CC7.1'].map((id) => ({ id, title: `Title of ${id}` }));
const ids = criteria.map((c) => c.id);
const FAIR: DescriptionPresentation = { fairlyPresented: true };
const NOT_PERVASIVE = { controlFailure: false, scopeLimitation: false };

function control(
  controlId: number,
  conclusion: Conclusion | null,
  design: DesignOutcome | null,
  mappedTo: string[],
  extra: Partial<ControlOutcome> = {},
): ControlOutcome {
  return { controlId, reference: `C-${controlId}`, conclusion, design, mappedTo, ...extra };
}

const propose = (
  input: RollUpInput,
  description: DescriptionPresentation | null = FAIR,
  reportType: ReportType = input.reportType ?? 'type2',
) => proposedOpinion({ rollUp: rollUp(input), pervasive: NOT_PERVASIVE, reportType, description });
const row = (input: RollUpInput, id: string) => rollUp(input).find((r) => r.id === id)!;

describe('element (b): design', () => {
  it('a deficient design no other control covers fails its criteria with the cause "not suitably designed"', () => {
    const input: RollUpInput = {
      criteria,
      controls: [
        control(1, 'no-exceptions', 'deficient', ['CC6.1']),
        control(2, 'no-exceptions', 'suitable', ['CC6.2', 'CC7.1']),
      ],
    };
    expect(row(input, 'CC6.1')).toMatchObject({
      status: 'not-achieved',
      failedControls: [{ controlId: 1, reference: 'C-1', cause: 'not-suitably-designed' }],
    });
    expect(row(input, 'CC6.2').status).toBe('achieved');
    const opinion = propose(input);
    expect(opinion).toMatchObject({ type: 'qualified', failed: ['CC6.1'] });
    expect(opinion.reasons.join('\n')).toMatch(
      /CC6\.1 not achieved \(element \(b\), design: C-1 not suitably designed\)/,
    );
  });

  it('a deficient design decides the cause even when the control also failed in operation, and concludes it', () => {
    const input: RollUpInput = { criteria: criteria.slice(0, 1), controls: [control(1, null, 'deficient', ['CC6.1'])] };
    expect(row(input, 'CC6.1')).toMatchObject({
      status: 'not-achieved',
      notConcluded: [],
      failedControls: [{ cause: 'not-suitably-designed' }],
    });
    expect(propose(input).ready).toBe(true);
    const both: RollUpInput = {
      criteria: criteria.slice(0, 1),
      controls: [control(1, 'not-effective', 'deficient', ['CC6.1'])],
    };
    expect(row(both, 'CC6.1').failedControls).toEqual([
      { controlId: 1, reference: 'C-1', cause: 'not-suitably-designed' },
    ]);
  });

  it('is compensated only by a control that is suitably designed and effective and says it covers the risk', () => {
    const covering = (conclusion: Conclusion | null, design: DesignOutcome | null) => ({
      criteria: criteria.slice(0, 1),
      controls: [
        control(1, 'no-exceptions', 'deficient', ['CC6.1']),
        control(2, conclusion, design, ['CC6.1'], { coversRiskOf: ['C-1'] }),
      ],
    });
    expect(row(covering('no-exceptions', 'suitable'), 'CC6.1')).toMatchObject({
      status: 'achieved',
      compensatedBy: [{ reference: 'C-1', cause: 'not-suitably-designed', by: [{ reference: 'C-2' }] }],
    });
    expect(row(covering('no-exceptions', 'deficient'), 'CC6.1').status).toBe('not-achieved');
    expect(row(covering('not-effective', 'suitable'), 'CC6.1').status).toBe('not-achieved');
    expect(row(covering('no-testing', 'suitable'), 'CC6.1').status).toBe('not-achieved');
    const silent = {
      criteria: criteria.slice(0, 1),
      controls: [
        control(1, 'no-exceptions', 'deficient', ['CC6.1']),
        control(2, 'no-exceptions', 'suitable', ['CC6.1']),
      ],
    };
    expect(row(silent, 'CC6.1').status).toBe('not-achieved');
  });

  it('property: a deficient, uncompensated design never yields "achieved" for any criterion it serves', () => {
    const arb = fc.array(
      fc.record({
        conclusion: fc.constantFrom<Conclusion | null>(...CONCLUSIONS, null),
        design: fc.constantFrom<DesignOutcome | null>('suitable', 'deficient', null),
        mappedTo: fc.subarray(ids),
        covers: fc.subarray([1, 2, 3, 4, 5, 6], { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(arb, fc.constantFrom<ReportType>('type1', 'type2'), (specs, reportType) => {
        const controls = specs.map((s, i) =>
          control(i + 1, s.conclusion, s.design, s.mappedTo, { coversRiskOf: s.covers.map((k) => `C-${k}`) }),
        );
        const rows = rollUp({ criteria, controls, reportType });
        for (const r of rows) {
          for (const c of controls.filter((k) => k.design === 'deficient' && k.mappedTo.includes(r.id))) {
            const compensated = r.compensatedBy.some((x) => x.controlId === c.controlId);
            if (!compensated) expect(r.status).not.toBe('achieved');
            if (!compensated)
              expect(r.failedControls).toContainEqual({
                controlId: c.controlId,
                reference: c.reference,
                cause: 'not-suitably-designed',
              });
          }
        }
      }),
    );
  });
});

describe('element (a): the description', () => {
  const clean: RollUpInput = {
    criteria: criteria.slice(0, 1),
    controls: [control(1, 'no-exceptions', 'suitable', ['CC6.1'])],
  };

  it('a misstatement qualifies the opinion on its own and names element (a) with the matters', () => {
    const opinion = propose(clean, { fairlyPresented: false, matters: 'The description omits the backup process.' });
    expect(opinion).toMatchObject({
      ready: true,
      type: 'qualified',
      failed: [],
      descriptionMisstatement: 'The description omits the backup process.',
    });
    expect(opinion.reasons.join('\n')).toMatch(
      /Element \(a\), description: the description does not fairly present the system \(The description omits the backup process\.\)/,
    );
  });

  it('unrecorded, it is an open matter: nothing is proposed as final', () => {
    const opinion = propose(clean, null);
    expect(opinion).toMatchObject({ ready: false, type: null, provisional: 'unqualified' });
    expect(opinion.openMatters).toEqual([
      "The description's fair presentation is not concluded: record whether the description fairly presents the system.",
    ]);
  });

  it('property: a description misstatement never yields "unqualified", whatever the controls', () => {
    const arb = fc.array(
      fc.record({
        conclusion: fc.constantFrom<Conclusion | null>(...CONCLUSIONS, null),
        design: fc.constantFrom<DesignOutcome | null>('suitable', 'deficient', null),
        mappedTo: fc.subarray(ids),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.constantFrom<ReportType>('type1', 'type2'),
        fc.record({ controlFailure: fc.boolean(), scopeLimitation: fc.boolean() }),
        (specs, reportType, pervasive) => {
          const rows = rollUp({
            criteria,
            controls: specs.map((s, i) => control(i + 1, s.conclusion, s.design, s.mappedTo)),
            reportType,
          });
          const opinion = proposedOpinion({
            rollUp: rows,
            pervasive,
            reportType,
            description: { fairlyPresented: false, matters: 'misstated' },
          });
          expect(opinion.provisional).not.toBe('unqualified');
          expect(opinion.type).not.toBe('unqualified');
        },
      ),
    );
  });
});

describe('Type I', () => {
  it('ignores operating conclusions: a not-effective or unconcluded operation neither fails nor holds a criterion open', () => {
    const input: RollUpInput = {
      reportType: 'type1',
      criteria: criteria.slice(0, 2),
      controls: [control(1, 'not-effective', 'suitable', ['CC6.1']), control(2, null, 'suitable', ['CC6.2'])],
    };
    expect(rollUp(input).map((r) => r.status)).toEqual(['achieved', 'achieved']);
    expect(propose(input)).toMatchObject({ ready: true, type: 'unqualified' });
  });

  it('waits for the walkthrough: a control without a design conclusion is not concluded', () => {
    const input: RollUpInput = {
      reportType: 'type1',
      criteria: criteria.slice(0, 1),
      controls: [control(1, 'no-exceptions', null, ['CC6.1'])],
    };
    expect(row(input, 'CC6.1')).toMatchObject({ status: 'not-concluded', notConcluded: [{ reference: 'C-1' }] });
    expect(propose(input).ready).toBe(false);
  });

  it('fails on design, and a compensating control needs only a suitable design', () => {
    const failing: RollUpInput = {
      reportType: 'type1',
      criteria: criteria.slice(0, 1),
      controls: [control(1, null, 'deficient', ['CC6.1'])],
    };
    expect(propose(failing)).toMatchObject({ type: 'qualified', failed: ['CC6.1'] });
    const covered: RollUpInput = {
      ...failing,
      controls: [...failing.controls, control(2, null, 'suitable', ['CC6.1'], { coversRiskOf: ['C-1'] })],
    };
    expect(row(covered, 'CC6.1').status).toBe('achieved');
  });

  it('has no "no testing performed" flag: nothing is tested for operation in a Type I report', () => {
    const input: RollUpInput = {
      reportType: 'type1',
      criteria: criteria.slice(0, 1),
      controls: [control(1, 'no-testing', 'suitable', ['CC6.1'])],
    };
    expect(row(input, 'CC6.1').noTestingPerformed).toBeUndefined();
  });

  it('words its reasons on design only', () => {
    const failing: RollUpInput = {
      reportType: 'type1',
      criteria: criteria.slice(0, 1),
      controls: [control(1, null, 'deficient', ['CC6.1'])],
    };
    const reasons = propose(failing).reasons.join('\n');
    expect(reasons).toMatch(/controls were not suitably designed\)/);
    expect(reasons).not.toMatch(/operat/);
  });
});

describe('no testing performed', () => {
  it('flags a criterion whose only controls did not operate; it stays achieved and the proposal lists it', () => {
    const input: RollUpInput = {
      criteria: criteria.slice(0, 2),
      controls: [
        control(1, 'no-testing', 'suitable', ['CC6.1']),
        control(2, 'no-testing', null, ['CC6.2']),
        control(3, 'no-exceptions', 'suitable', ['CC6.2']),
      ],
    };
    expect(row(input, 'CC6.1')).toMatchObject({ status: 'achieved', noTestingPerformed: true });
    expect(row(input, 'CC6.2').noTestingPerformed).toBeUndefined();
    const opinion = propose(input);
    expect(opinion).toMatchObject({ type: 'unqualified', noTestingPerformed: ['CC6.1'] });
    expect(opinion.reasons.join('\n')).toMatch(/No testing performed for CC6\.1/);
  });

  it('is not set on a criterion with no controls at all, nor while a control is unconcluded, nor when the design failed', () => {
    expect(row({ criteria: criteria.slice(0, 1), controls: [] }, 'CC6.1').noTestingPerformed).toBeUndefined();
    expect(
      row(
        {
          criteria: criteria.slice(0, 1),
          controls: [control(1, 'no-testing', null, ['CC6.1']), control(2, null, null, ['CC6.1'])],
        },
        'CC6.1',
      ).noTestingPerformed,
    ).toBeUndefined();
    expect(
      row({ criteria: criteria.slice(0, 1), controls: [control(1, 'no-testing', 'deficient', ['CC6.1'])] }, 'CC6.1'),
    ).toMatchObject({ status: 'not-achieved' });
  });
});
