import { describe, expect, it } from 'vitest';
import { coverage } from '../../src/domain/coverage.js';
import { controlDateProblems, testingWindows } from '../../src/domain/control-dates.js';
import { DEFAULT_TICKMARKS, tickmarkSymbolProblem } from '../../src/domain/tickmarks.js';

const items = [
  { reference: 'CC6.1', title: 'Logical access', group: 'CC6' },
  { reference: 'CC6.2', title: 'Users', group: 'CC6' },
  { reference: 'CC6.3', title: 'Least privilege', group: 'CC6' },
];

describe('coverage', () => {
  it('lists the controls of each criterion and the criteria with none', () => {
    const controls = [
      { reference: 'C-1', criteria: ['CC6.1', 'cc6.2'] },
      { reference: 'C-2', criteria: ['CC6.2', 'PI1.1'] },
      { reference: 'C-3', criteria: [] },
    ];
    const cuecs = [{ kind: 'cuec' as const, reference: 'CUEC-1', criteria: ['CC6.3'] }];
    const result = coverage(items, controls, cuecs);
    expect(result.lines.map((l) => [l.item.reference, l.controls.map((c) => c.reference), l.covered])).toEqual([
      ['CC6.1', ['C-1'], true],
      ['CC6.2', ['C-1', 'C-2'], true],
      ['CC6.3', [], false],
    ]);
    // A CUEC supports a criterion but is not tested: the criterion stays uncovered.
    expect(result.lines[2]!.complementary.map((c) => c.reference)).toEqual(['CUEC-1']);
    expect(result.uncovered.map((i) => i.reference)).toEqual(['CC6.3']);
    expect(result.outOfScope).toEqual([{ control: controls[1], references: ['PI1.1'] }]);
    expect(result.unmapped.map((c) => c.reference)).toEqual(['C-3']);
  });

  it('counts a criterion addressed only by a carve-out’s CSOCs, or marked not applicable, as addressed but not covered', () => {
    const controls = [{ reference: 'C-1', criteria: ['CC6.1'] }];
    const csoc = [{ kind: 'csoc' as const, reference: 'CSOC-1', criteria: ['cc6.2', 'CC6.1'] }];
    const result = coverage(items, controls, csoc, [{ criterionRef: 'cc6.3', reason: 'No such assets.' }]);
    expect(result.lines.map((l) => [l.item.reference, l.covered, l.carvedOut, l.notApplicableReason ?? null])).toEqual([
      ['CC6.1', true, false, null],
      ['CC6.2', false, true, null],
      ['CC6.3', false, false, 'No such assets.'],
    ]);
    expect(result.uncovered).toEqual([]);
  });

  it('lets no mark or CSOC hide a criterion that has neither', () => {
    const cuec = [{ kind: 'cuec' as const, reference: 'CUEC-1', criteria: ['CC6.2'] }];
    const result = coverage(items, [], cuec, [{ criterionRef: 'CC6.3', reason: 'n/a' }]);
    expect(result.uncovered.map((i) => i.reference)).toEqual(['CC6.1', 'CC6.2']);
  });
});

describe('control dates', () => {
  const period = { start: '2025-01-01', end: '2025-12-31' };
  it('tests a control over the whole period, or from its implementation', () => {
    expect(testingWindows(period, { implementedFrom: '2024-06-01', changedOn: null })).toEqual([period]);
    expect(testingWindows(period, { implementedFrom: '2025-04-01', changedOn: null })).toEqual([
      { start: '2025-04-01', end: '2025-12-31' },
    ]);
  });
  it('splits the testing at a change', () => {
    expect(testingWindows(period, { implementedFrom: '2025-01-01', changedOn: '2025-07-01' })).toEqual([
      { start: '2025-01-01', end: '2025-06-30' },
      { start: '2025-07-01', end: '2025-12-31' },
    ]);
  });
  it('refuses dates outside the period', () => {
    expect(
      controlDateProblems(period, { implementedFrom: '2026-01-01', changedOn: null }).implementedFrom,
    ).toBeTruthy();
    expect(
      controlDateProblems(period, { implementedFrom: '2025-01-01', changedOn: '2025-01-01' }).changedOn,
    ).toBeTruthy();
    expect(
      controlDateProblems(period, { implementedFrom: '2025-03-01', changedOn: '2025-02-01' }).changedOn,
    ).toBeTruthy();
    expect(
      controlDateProblems(period, { implementedFrom: '2025-01-01', changedOn: '2026-02-01' }).changedOn,
    ).toBeTruthy();
    expect(controlDateProblems(period, { implementedFrom: '2024-01-01', changedOn: '2025-12-31' })).toEqual({});
  });
});

describe('tickmark legend', () => {
  it('starts with the usual symbols, each once', () => {
    const symbols = DEFAULT_TICKMARKS.map((t) => t.symbol);
    expect(symbols).toEqual(expect.arrayContaining(['✓', 'X', 'T', 'I', 'R', 'O', '^', 'N/A']));
    expect(new Set(symbols).size).toBe(symbols.length);
  });
  it('refuses blank, long and repeated symbols', () => {
    expect(tickmarkSymbolProblem(' ', [])).toMatch(/required/);
    expect(tickmarkSymbolProblem('TOOLONG', [])).toMatch(/at most 6/);
    expect(tickmarkSymbolProblem('X', ['X'])).toMatch(/already/);
    expect(tickmarkSymbolProblem('x', ['X'])).toBeNull();
    expect(tickmarkSymbolProblem('✓✓', [])).toBeNull();
  });
});
