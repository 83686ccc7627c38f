import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conclusionSeverity } from '../../src/domain/evaluation.js';
import {
  OPINION_TYPES,
  opinionSeverity,
  proposedOpinion,
  rollUp,
  type ControlOutcome,
  type Pervasiveness,
  type RollUpInput,
} from '../../src/domain/opinion.js';
import { CONCLUSIONS, type Conclusion } from '../../src/domain/types.js';

const criteria = ['CC6.1', 'CC6.2', 'CC7.1', 'CC8.1'].map((id) => ({ id, title: `Title of ${id}` }));
const NOT_PERVASIVE: Pervasiveness = { controlFailure: false, scopeLimitation: false };
/** A Type II engagement whose description was concluded fairly presented: only the roll-up decides. */
const TYPE2_FAIR = { reportType: 'type2', description: { fairlyPresented: true } } as const;

function control(
  controlId: number,
  conclusion: Conclusion | null,
  mappedTo: string[],
  extra: Partial<ControlOutcome> = {},
): ControlOutcome {
  return { controlId, reference: `C-${controlId}`, conclusion, mappedTo, ...extra };
}

const propose = (input: RollUpInput, pervasive: Pervasiveness = NOT_PERVASIVE) =>
  proposedOpinion({ rollUp: rollUp(input), pervasive, ...TYPE2_FAIR });
const statuses = (input: RollUpInput) => Object.fromEntries(rollUp(input).map((r) => [r.id, r.status]));

// ---------------------------------------------------------------------------------------------------------
// Generators: up to 8 controls over the four criteria, with random mappings, conclusions and cover claims.

const ids = criteria.map((c) => c.id);
const pervasiveArb = fc.record({ controlFailure: fc.boolean(), scopeLimitation: fc.boolean() });

function engagementArb(conclusions: readonly (Conclusion | null)[], withLimitations = true) {
  const controlArb = fc.record({
    conclusion: fc.constantFrom(...conclusions),
    mappedTo: fc.subarray(ids),
    covers: fc.subarray([1, 2, 3, 4, 5, 6, 7, 8], { maxLength: 3 }),
    byId: fc.boolean(),
  });
  return fc
    .record({
      controls: fc.array(controlArb, { maxLength: 8 }),
      limited: withLimitations ? fc.subarray(ids, { maxLength: 2 }) : fc.constant([] as string[]),
    })
    .map(
      ({ controls, limited }): RollUpInput => ({
        criteria,
        controls: controls.map((c, i) =>
          control(i + 1, c.conclusion, c.mappedTo, {
            coversRiskOf: c.covers.map((k) => (c.byId ? String(k) : `c-${k}`)),
          }),
        ),
        scopeLimitations: limited.map((criterionId) => ({ criterionId, description: 'evidence was not retained' })),
      }),
    );
}

const ALL: readonly (Conclusion | null)[] = [...CONCLUSIONS, null];
const ORDERED: Conclusion[] = ['no-exceptions', 'exceptions-effective', 'not-effective'];

function withConclusion(input: RollUpInput, index: number, conclusion: Conclusion | null): RollUpInput {
  return { ...input, controls: input.controls.map((c, i) => (i === index ? { ...c, conclusion } : c)) };
}

describe('proposed opinion: properties', () => {
  it('controls that all operated effectively (or had nothing to test) are never proposed anything but unqualified', () => {
    const effective = ['no-exceptions', 'exceptions-effective', 'no-testing', null] as const;
    fc.assert(
      fc.property(engagementArb(effective, false), pervasiveArb, (input, pervasive) => {
        const opinion = propose(input, pervasive);
        expect(opinion.provisional).toBe('unqualified');
        expect(opinion.affected).toEqual([]);
      }),
    );
  });

  it('is unqualified exactly when no criterion is not achieved and none carries a scope limitation', () => {
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, (input, pervasive) => {
        const rows = rollUp(input);
        const clean = rows.every((r) => r.status !== 'not-achieved' && r.scopeLimitations.length === 0);
        expect(proposedOpinion({ rollUp: rows, pervasive, ...TYPE2_FAIR }).provisional === 'unqualified').toBe(clean);
      }),
    );
  });

  it('one uncompensated failed control makes its criterion not achieved and the opinion modified', () => {
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, fc.constantFrom(...ids), (input, pervasive, target) => {
        // Nothing names controlId 99 / C-99 in coversRiskOf, so no control can compensate it.
        const failing = { ...input, controls: [...input.controls, control(99, 'not-effective', [target])] };
        expect(statuses(failing)[target]).toBe('not-achieved');
        expect(propose(failing, pervasive).provisional).not.toBe('unqualified');
      }),
    );
  });

  it('never improves when a control’s conclusion gets worse', () => {
    const harsher = fc
      .tuple(fc.constantFrom(0, 1), fc.integer({ min: 1, max: 2 }))
      .map(([from, step]) => [from, Math.min(2, from + step)] as const);
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, fc.nat(), harsher, (input, pervasive, pick, [from, to]) => {
        fc.pre(input.controls.length > 0);
        const index = pick % input.controls.length;
        expect(conclusionSeverity(ORDERED[to]!)).toBeGreaterThan(conclusionSeverity(ORDERED[from]!)!);
        const before = withConclusion(input, index, ORDERED[from]!);
        const after = withConclusion(input, index, ORDERED[to]!);
        const [b, a] = [propose(before, pervasive), propose(after, pervasive)];
        expect(opinionSeverity(a.provisional)).toBeGreaterThanOrEqual(opinionSeverity(b.provisional));
        expect(a.failed).toEqual(expect.arrayContaining(b.failed));
        expect(a.affected).toEqual(expect.arrayContaining(b.affected));
      }),
    );
  });

  it('never improves when any control, whatever its state (no testing, not concluded), becomes not effective', () => {
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, fc.nat(), (input, pervasive, pick) => {
        fc.pre(input.controls.length > 0);
        const after = withConclusion(input, pick % input.controls.length, 'not-effective');
        expect(opinionSeverity(propose(after, pervasive).provisional)).toBeGreaterThanOrEqual(
          opinionSeverity(propose(input, pervasive).provisional),
        );
      }),
    );
  });

  it('pervasiveness judgements only ever make the proposal more severe', () => {
    fc.assert(
      fc.property(
        engagementArb(ALL),
        pervasiveArb,
        fc.constantFrom('controlFailure', 'scopeLimitation'),
        (input, pervasive, flag) => {
          const off = propose(input, { ...pervasive, [flag]: false });
          const on = propose(input, { ...pervasive, [flag]: true });
          expect(opinionSeverity(on.provisional)).toBeGreaterThanOrEqual(opinionSeverity(off.provisional));
        },
      ),
    );
  });

  it('a further scope limitation never improves the proposal', () => {
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, fc.constantFrom(...ids), (input, pervasive, target) => {
        const more = {
          ...input,
          scopeLimitations: [...(input.scopeLimitations ?? []), { criterionId: target, description: 'x' }],
        };
        expect(opinionSeverity(propose(more, pervasive).provisional)).toBeGreaterThanOrEqual(
          opinionSeverity(propose(input, pervasive).provisional),
        );
      }),
    );
  });

  it('adverse needs a failure judged pervasive, a disclaimer a limitation judged pervasive; affected is exactly their criteria', () => {
    fc.assert(
      fc.property(engagementArb(ALL), pervasiveArb, (input, pervasive) => {
        const rows = rollUp(input);
        const opinion = proposedOpinion({ rollUp: rows, pervasive, ...TYPE2_FAIR });
        if (opinion.provisional === 'adverse') expect(opinion.failed.length > 0 && pervasive.controlFailure).toBe(true);
        if (opinion.provisional === 'disclaimer')
          expect(opinion.limited.length > 0 && pervasive.scopeLimitation).toBe(true);
        const expected = rows
          .filter((r) => r.status === 'not-achieved' || r.scopeLimitations.length > 0)
          .map((r) => r.id);
        expect(opinion.affected).toEqual(expected);
      }),
    );
  });
});

describe('proposed opinion: readiness', () => {
  const markArb = fc.record({ carvedOut: fc.subarray(ids), notApplicable: fc.subarray(ids) });
  const withMarks = (input: RollUpInput, marks: { carvedOut: string[]; notApplicable: string[] }): RollUpInput => ({
    ...input,
    carvedOut: marks.carvedOut,
    notApplicable: marks.notApplicable.map((criterionId) => ({ criterionId, reason: 'Not relevant to the system.' })),
  });

  it('no input with an unconcluded control or an unaddressed criterion is ever ready or proposes unqualified', () => {
    fc.assert(
      fc.property(engagementArb(ALL), markArb, pervasiveArb, (base, marks, pervasive) => {
        const input = withMarks(base, marks);
        const rows = rollUp(input);
        const open = rows.some((r) => r.notConcluded.length > 0 || r.status === 'no-controls');
        const opinion = proposedOpinion({ rollUp: rows, pervasive, ...TYPE2_FAIR });
        expect(opinion.ready).toBe(!open);
        if (open) {
          expect(opinion.type).toBeNull();
          expect(opinion.openMatters.length).toBeGreaterThan(0);
        } else {
          expect(opinion.type).toBe(opinion.provisional);
          expect(opinion.openMatters).toEqual([]);
        }
      }),
    );
  });

  it('an unaddressed criterion is named in the open matters; an unconcluded control by its reference', () => {
    fc.assert(
      fc.property(engagementArb(ALL), markArb, (base, marks) => {
        const input = withMarks(base, marks);
        const rows = rollUp(input);
        const matters = proposedOpinion({ rollUp: rows, pervasive: NOT_PERVASIVE, ...TYPE2_FAIR }).openMatters.join(
          ' ',
        );
        for (const r of rows.filter((row) => row.status === 'no-controls')) expect(matters).toContain(r.id);
        for (const c of input.controls.filter((k) => k.conclusion === null && k.mappedTo.length > 0))
          expect(matters).toMatch(new RegExp(`\\b${c.reference}\\b`));
      }),
    );
  });

  it('a criterion is unaddressed exactly when it has no control, no limitation, no CSOC cover and no reason for not applicable', () => {
    fc.assert(
      fc.property(engagementArb(ALL), markArb, (base, marks) => {
        const input = withMarks(base, marks);
        for (const row of rollUp(input)) {
          const mapped = input.controls.some((c) => c.mappedTo.includes(row.id));
          const expected =
            !mapped &&
            row.scopeLimitations.length === 0 &&
            !marks.carvedOut.includes(row.id) &&
            !marks.notApplicable.includes(row.id);
          expect(row.status === 'no-controls').toBe(expected);
        }
      }),
    );
  });
});

describe('proposed opinion: the table', () => {
  const failing: RollUpInput = {
    criteria,
    controls: [control(1, 'not-effective', ['CC7.1']), control(2, 'no-exceptions', ids)],
  };
  const limited: RollUpInput = {
    criteria,
    controls: [control(2, 'no-exceptions', ids)],
    scopeLimitations: [{ criterionId: 'CC6.2', description: 'logs purged' }],
  };
  const both: RollUpInput = { ...failing, scopeLimitations: limited.scopeLimitations };
  const cases: [string, RollUpInput, Pervasiveness, string][] = [
    ['all achieved', { criteria, controls: [control(1, 'exceptions-effective', ids)] }, NOT_PERVASIVE, 'unqualified'],
    [
      'all achieved, flags set without a matter',
      { criteria, controls: [control(1, 'no-exceptions', ids)] },
      { controlFailure: true, scopeLimitation: true },
      'unqualified',
    ],
    ['failure, not pervasive', failing, NOT_PERVASIVE, 'qualified'],
    ['failure, pervasive', failing, { controlFailure: true, scopeLimitation: false }, 'adverse'],
    ['failure, only the limitation flag set', failing, { controlFailure: false, scopeLimitation: true }, 'qualified'],
    ['scope limitation, not pervasive', limited, NOT_PERVASIVE, 'qualified'],
    ['scope limitation, pervasive', limited, { controlFailure: false, scopeLimitation: true }, 'disclaimer'],
    ['both, neither pervasive', both, NOT_PERVASIVE, 'qualified'],
    ['both, failure pervasive', both, { controlFailure: true, scopeLimitation: false }, 'adverse'],
    ['both, limitation pervasive', both, { controlFailure: false, scopeLimitation: true }, 'disclaimer'],
    [
      'both, both pervasive: disclaimer over adverse',
      both,
      { controlFailure: true, scopeLimitation: true },
      'disclaimer',
    ],
  ];
  it.each(cases)('%s', (_name, input, pervasive, type) => {
    expect(propose(input, pervasive).type).toBe(type);
  });

  it('names the affected criteria and the failed control in its reasons', () => {
    const opinion = propose(both);
    expect(opinion).toMatchObject({ affected: ['CC6.2', 'CC7.1'], failed: ['CC7.1'], limited: ['CC6.2'] });
    expect(opinion.reasons.join('\n')).toMatch(
      /CC7\.1 not achieved \(element \(c\), operating effectiveness: C-1 did not operate effectively\)/,
    );
    expect(opinion.reasons.join('\n')).toMatch(/CC6\.2: .*logs purged/);
    expect(opinion.awaiting).toBeUndefined();
    expect(opinion.unaddressed).toBeUndefined();
  });

  it('orders the types unqualified < qualified < adverse < disclaimer', () => {
    expect(OPINION_TYPES.map(opinionSeverity)).toEqual([0, 1, 2, 3]);
    expect(opinionSeverity('disclaimer')).toBeGreaterThan(opinionSeverity('adverse'));
  });
});

describe('roll-up', () => {
  it('fails a criterion on a not-effective control and lists it; other criteria stay achieved', () => {
    const rows = rollUp({
      criteria,
      controls: [control(1, 'not-effective', ['CC7.1', 'CC8.1']), control(2, 'no-exceptions', ids)],
    });
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['CC6.1', 'achieved'],
      ['CC6.2', 'achieved'],
      ['CC7.1', 'not-achieved'],
      ['CC8.1', 'not-achieved'],
    ]);
    expect(rows[2]!.failedControls).toEqual([{ controlId: 1, reference: 'C-1', cause: 'not-operating-effectively' }]);
  });

  it('exceptions noted but effective, and no testing performed, do not fail a criterion', () => {
    const s = statuses({
      criteria,
      controls: [control(1, 'exceptions-effective', ['CC6.1']), control(2, 'no-testing', ['CC6.2', 'CC7.1', 'CC8.1'])],
    });
    expect(s).toEqual({ 'CC6.1': 'achieved', 'CC6.2': 'achieved', 'CC7.1': 'achieved', 'CC8.1': 'achieved' });
  });

  it('a non-key failed control still fails the criterion: only a recorded cover compensates', () => {
    const s = statuses({
      criteria,
      controls: [
        control(1, 'not-effective', ['CC6.1'], { key: false }),
        control(2, 'no-exceptions', ['CC6.1'], { key: true }),
      ],
    });
    expect(s['CC6.1']).toBe('not-achieved');
  });

  describe('compensation', () => {
    const failed = control(1, 'not-effective', ['CC6.1', 'CC6.2']);
    const cover = (conclusion: Conclusion | null, mappedTo = ['CC6.1'], coversRiskOf = ['C-1']) =>
      control(2, conclusion, mappedTo, { coversRiskOf });

    it('a tested effective control on the same criterion that covers the failed one keeps the criterion achieved', () => {
      for (const conclusion of ['no-exceptions', 'exceptions-effective'] as const) {
        const rows = rollUp({ criteria, controls: [failed, cover(conclusion)] });
        expect(rows[0]).toMatchObject({
          status: 'achieved',
          failedControls: [],
          compensatedBy: [{ controlId: 1, reference: 'C-1', by: [{ controlId: 2, reference: 'C-2' }] }],
        });
        // The cover is only mapped to CC6.1: the failure still fails CC6.2.
        expect(rows[1]!.status).toBe('not-achieved');
      }
    });

    it('names the covered control by reference (any case, spacing) or by its id', () => {
      for (const name of [' c-1 ', 'C-1', '1']) {
        expect(statuses({ criteria, controls: [failed, cover('no-exceptions', ['CC6.1'], [name])] })['CC6.1']).toBe(
          'achieved',
        );
      }
      expect(statuses({ criteria, controls: [failed, cover('no-exceptions', ['CC6.1'], ['C-3', '2'])] })['CC6.1']).toBe(
        'not-achieved',
      );
    });

    it('a cover that failed, had nothing to test, or is not concluded compensates nothing', () => {
      for (const conclusion of ['not-effective', 'no-testing', null] as const) {
        expect(statuses({ criteria, controls: [failed, cover(conclusion)] })['CC6.1']).toBe('not-achieved');
      }
    });

    it('a cover mapped to a different criterion does not count for this one', () => {
      expect(statuses({ criteria, controls: [failed, cover('no-exceptions', ['CC7.1'])] })['CC6.1']).toBe(
        'not-achieved',
      );
    });

    it('a control cannot cover itself', () => {
      expect(
        statuses({ criteria, controls: [control(1, 'not-effective', ['CC6.1'], { coversRiskOf: ['C-1'] })] })['CC6.1'],
      ).toBe('not-achieved');
    });

    it('each failed control needs its own cover', () => {
      const rows = rollUp({
        criteria,
        controls: [failed, control(3, 'not-effective', ['CC6.1']), cover('no-exceptions')],
      });
      expect(rows[0]).toMatchObject({ status: 'not-achieved', failedControls: [{ controlId: 3, reference: 'C-3' }] });
      expect(rows[0]!.compensatedBy.map((c) => c.reference)).toEqual(['C-1']);
    });
  });

  it('a control not yet concluded leaves the criterion not concluded, unless it has already failed', () => {
    const input: RollUpInput = {
      criteria,
      controls: [
        control(1, null, ['CC6.1', 'CC7.1']),
        control(2, 'no-exceptions', ids),
        control(3, 'not-effective', ['CC7.1']),
      ],
    };
    expect(statuses(input)).toMatchObject({ 'CC6.1': 'not-concluded', 'CC6.2': 'achieved', 'CC7.1': 'not-achieved' });
    const opinion = propose(input);
    expect(opinion).toMatchObject({
      type: null,
      provisional: 'qualified',
      ready: false,
      affected: ['CC7.1'],
      awaiting: ['CC6.1', 'CC7.1'],
    });
    expect(opinion.openMatters).toEqual(['1 control is not yet concluded: C-1.']);
  });

  it('proposes nothing while a control is unconcluded, naming each open control once', () => {
    const opinion = propose({
      criteria,
      controls: [control(1, null, ['CC6.1', 'CC6.2']), control(2, 'no-exceptions', ids), control(3, null, ['CC8.1'])],
    });
    expect(opinion).toMatchObject({
      type: null,
      provisional: 'unqualified',
      ready: false,
      awaiting: ['CC6.1', 'CC6.2', 'CC8.1'],
    });
    expect(opinion.openMatters).toEqual(['2 controls are not yet concluded: C-1, C-3.']);
    expect(opinion.reasons[0]).toMatch(/concluded so far.*cannot be proposed/);
  });

  it('a criterion with no control mapped is "no-controls": unaddressed, it keeps the proposal from being ready and names the criterion', () => {
    const input: RollUpInput = { criteria, controls: [control(1, 'no-exceptions', ['CC6.1', 'CC6.2', 'CC7.1'])] };
    expect(statuses(input)['CC8.1']).toBe('no-controls');
    const opinion = propose(input);
    expect(opinion).toMatchObject({ type: null, ready: false, unaddressed: ['CC8.1'] });
    expect(opinion.openMatters).toEqual([
      expect.stringMatching(/^1 criterion or objective is not addressed .*: CC8\.1\.$/),
    ]);
  });

  it('a criterion without controls is addressed by a carved-out subservice organization’s controls or a reason for not applicable', () => {
    const input: RollUpInput = {
      criteria,
      controls: [control(1, 'no-exceptions', ['CC6.1', 'CC6.2'])],
      carvedOut: ['cc7.1'],
      notApplicable: [{ criterionId: 'CC8.1', reason: 'No changes to the system in the period.' }],
    };
    expect(statuses(input)).toMatchObject({ 'CC7.1': 'carved-out', 'CC8.1': 'not-applicable' });
    expect(rollUp(input)[3]).toMatchObject({ notApplicableReason: 'No changes to the system in the period.' });
    expect(propose(input)).toMatchObject({ type: 'unqualified', ready: true, openMatters: [] });
  });

  it('controls mapped to a criterion decide it even when it is also carved out or marked not applicable', () => {
    const input: RollUpInput = {
      criteria,
      controls: [control(1, 'no-exceptions', ids.slice(0, 3)), control(2, 'not-effective', ['CC8.1'])],
      carvedOut: ['CC8.1'],
      notApplicable: [{ criterionId: 'CC8.1', reason: 'x' }],
    };
    expect(statuses(input)['CC8.1']).toBe('not-achieved');
    expect(statuses({ ...input, controls: [control(1, null, ids)] })['CC8.1']).toBe('not-concluded');
  });

  it('refuses a mark of not applicable without a reason', () => {
    expect(() => rollUp({ criteria, controls: [], notApplicable: [{ criterionId: 'CC8.1', reason: '  ' }] })).toThrow(
      /CC8\.1.*without a reason/,
    );
  });

  it('a scope limitation makes the criterion scope-limited; a failure takes precedence but both are listed', () => {
    const rows = rollUp({
      criteria,
      controls: [control(1, 'not-effective', ['CC7.1']), control(2, 'no-exceptions', ids)],
      scopeLimitations: [
        { criterionId: 'cc6.1', description: 'sample evidence lost' },
        { criterionId: 'CC7.1', description: 'no population' },
        { criterionId: 'CC7.1', description: 'logs purged' },
      ],
    });
    expect(rows[0]).toMatchObject({ id: 'CC6.1', status: 'scope-limited', scopeLimitations: ['sample evidence lost'] });
    expect(rows[2]).toMatchObject({
      id: 'CC7.1',
      status: 'not-achieved',
      scopeLimitations: ['no population', 'logs purged'],
    });
  });

  it('a scope limitation on a criterion without controls is scope-limited rather than no-controls', () => {
    expect(
      statuses({ criteria, controls: [], scopeLimitations: [{ criterionId: 'CC8.1', description: 'x' }] })['CC8.1'],
    ).toBe('scope-limited');
  });

  it('matches mappings without regard to case or surrounding space, and keeps the given order and titles', () => {
    const rows = rollUp({
      criteria: [
        { id: 'CO2', title: 'Changes are authorised' },
        { id: 'CO1', title: 'Access' },
      ],
      controls: [control(1, 'not-effective', [' co1 '])],
    });
    expect(rows.map((r) => [r.id, r.title, r.status])).toEqual([
      ['CO2', 'Changes are authorised', 'no-controls'],
      ['CO1', 'Access', 'not-achieved'],
    ]);
  });

  it('refuses a scope limitation on a criterion out of scope, and a criterion listed twice', () => {
    expect(() =>
      rollUp({ criteria, controls: [], scopeLimitations: [{ criterionId: 'PI1.1', description: 'x' }] }),
    ).toThrow(/PI1\.1/);
    expect(() => rollUp({ criteria: [...criteria, { id: 'cc6.1', title: 'again' }], controls: [] })).toThrow(/twice/);
  });

  it('returns nothing for an engagement without criteria', () => {
    expect(rollUp({ criteria: [], controls: [control(1, 'not-effective', ['CC6.1'])] })).toEqual([]);
    expect(proposedOpinion({ rollUp: [], pervasive: NOT_PERVASIVE, ...TYPE2_FAIR })).toMatchObject({
      type: 'unqualified',
      ready: true,
    });
  });
});
