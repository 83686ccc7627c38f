import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conclusionSeverity, extendedSampleSize, proposedConclusion } from '../../src/domain/evaluation.js';
import { CONCLUSIONS, FREQUENCIES, NATURES, type Conclusion } from '../../src/domain/types.js';
import {
  conclusionProblem,
  evaluateFigures,
  evaluateWorkpaper,
  figuresOfCounts,
  gridFigures,
  type MarkCount,
  isDeviation,
  isTested,
  missingBeforePrepared,
  proposalAsConclusion,
  requiredSampleSize,
  type CellResult,
  type ItemMarks,
  type SampleFacts,
} from '../../src/domain/workpaper.js';

const facts = (o: Partial<SampleFacts> = {}): SampleFacts => ({
  frequency: 'event-driven',
  nature: 'manual',
  sizing: 'table',
  confidence: 0.95,
  tolerableRate: null,
  plannedSize: 25,
  populationSize: 1000,
  extensionDrawn: false,
  ...o,
});

/** `n` items of `attributes` passes, with exceptions on the items listed (attribute A). */
function grid(n: number, exceptions: number[] = [], attributes = 3): ItemMarks[] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: attributes }, (_, a): CellResult => (a === 0 && exceptions.includes(i) ? 'exception' : 'pass')));
}

describe('counting the grid', () => {
  it('counts deviations per item: exceptions on two attributes of one item are one deviation', () => {
    const marks: ItemMarks[] = [
      ['exception', 'exception', 'pass'],
      ['pass', 'pass', 'pass'],
      ['pass', 'exception', 'na'],
    ];
    expect(gridFigures(marks)).toEqual({ itemsInSample: 3, itemsTested: 3, deviations: 2, blankCells: 0, notApplicableItems: 0 });
  });

  it('treats an exception as settling its item, blanks elsewhere notwithstanding', () => {
    expect(isTested(['exception', null, null])).toBe(true);
    expect(isDeviation(['exception', null, null])).toBe(true);
    expect(isTested(['pass', null, 'pass'])).toBe(false);
  });

  it('does not count an item with every attribute not applicable as tested', () => {
    expect(isTested(['na', 'na'])).toBe(false);
    expect(gridFigures([['na', 'na'], ['pass', 'na']])).toMatchObject({ itemsTested: 1, notApplicableItems: 1, blankCells: 0 });
  });

  it('counts deviating items exactly, whatever else the grid holds', () => {
    const cell = fc.constantFrom<CellResult | null>('pass', 'exception', 'na', null);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 40 }), (items) => {
        const f = gridFigures(items);
        expect(f.deviations).toBe(items.filter((m) => m.includes('exception')).length);
        expect(f.itemsTested).toBeGreaterThanOrEqual(f.deviations);
        expect(f.blankCells).toBe(items.flat().filter((m) => m === null).length);
      }),
    );
  });
});

/** The grid grouped as the database groups it: per item, how many exceptions, N/A and marked cells. */
function countsOf(items: readonly ItemMarks[], attributes: number): MarkCount[] {
  const groups = new Map<string, MarkCount>();
  for (const marks of items) {
    const c = { attributes, exceptions: marks.filter((m) => m === 'exception').length, notApplicable: marks.filter((m) => m === 'na').length, marked: marks.filter((m) => m !== null).length };
    const key = JSON.stringify(c);
    const group = groups.get(key) ?? { ...c, items: 0 };
    group.items++;
    groups.set(key, group);
  }
  return [...groups.values()];
}

describe('the figures of a grid from counts of its items (how a grid of thousands is evaluated)', () => {
  it('are the figures of the items themselves, and so is the evaluation', () => {
    const cell = fc.constantFrom<CellResult | null>('pass', 'exception', 'na', null);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 60 }))), fc.boolean(), ([attributes, items], extensionDrawn) => {
        const counts = countsOf(items, attributes);
        expect(figuresOfCounts(counts)).toEqual(gridFigures(items));
        expect(evaluateFigures(facts({ extensionDrawn }), figuresOfCounts(counts))).toEqual(evaluateWorkpaper(facts({ extensionDrawn }), items));
      }),
    );
  });

  it('refuse counts that cannot be one item’s marks', () => {
    expect(() => figuresOfCounts([{ attributes: 2, exceptions: 2, notApplicable: 1, marked: 2, items: 1 }])).toThrow(/do not add up/);
  });
});

describe('evaluateWorkpaper', () => {
  it('follows an exception through the extension: 25 with one deviation → extend to 41 → exceptions noted, effective', () => {
    const first = evaluateWorkpaper(facts(), grid(25, [6]));
    expect(first).toMatchObject({ itemsTested: 25, deviations: 1, proposal: 'extend', requiredSize: 41, toDraw: 16, upperLimitPct: 17.7 });
    expect(first.tolerableRate).toBeCloseTo(0.1129, 4);
    expect(first.tolerableStated).toBe(false);
    const drawn = [...grid(25, [6]), ...Array.from({ length: 16 }, (): ItemMarks => [null, null, null])];
    expect(evaluateWorkpaper(facts({ extensionDrawn: true }), drawn)).toMatchObject({ proposal: 'extend', complete: false, toDraw: 0, itemsTested: 25 });
    expect(evaluateWorkpaper(facts({ extensionDrawn: true }), grid(41, [6]))).toMatchObject({ proposal: 'exceptions-effective', complete: true, upperLimitPct: 11.1 });
  });

  it('concludes "not effective" when the extension finds more, and offers a further extension', () => {
    const ev = evaluateWorkpaper(facts({ extensionDrawn: true }), grid(41, [6, 30]));
    expect(ev).toMatchObject({ proposal: 'not-effective', deviations: 2, requiredSize: 54, toDraw: 13 });
  });

  it('allows no extension for a monthly control: one missed month is not effective', () => {
    const ev = evaluateWorkpaper(facts({ frequency: 'monthly', plannedSize: 3, populationSize: 12 }), grid(3, [1]));
    expect(ev).toMatchObject({ proposal: 'not-effective', requiredSize: null, toDraw: 0 });
  });

  it('measures a statistical sample against its stated tolerable rate', () => {
    const ev = evaluateWorkpaper(facts({ sizing: 'statistical', tolerableRate: 0.1, plannedSize: 29 }), grid(29));
    expect(ev).toMatchObject({ proposal: 'no-exceptions', tolerableRate: 0.1, tolerableStated: true, upperLimitPct: 9.9 });
  });

  it('proposes nothing before an item is tested', () => {
    expect(evaluateWorkpaper(facts(), [[null, null]])).toMatchObject({ proposal: null, upperLimitPct: null, complete: false });
  });

  it('proposes the extension sizes of the exact rule for planned sizes 20–60 and 1–3 deviations at 90% and 95%', () => {
    for (const confidence of [0.9, 0.95]) {
      for (let plannedSize = 20; plannedSize <= 60; plannedSize++) {
        for (let deviations = 1; deviations <= 3; deviations++) {
          const ev = evaluateWorkpaper(facts({ confidence, plannedSize }), grid(plannedSize, Array.from({ length: deviations }, (_, i) => i)));
          const expected = extendedSampleSize({ confidence, plannedSize, deviations });
          expect({ confidence, plannedSize, deviations, size: ev.requiredSize }).toEqual({ confidence, plannedSize, deviations, size: expected });
          expect(ev.toDraw).toBe(expected - plannedSize);
        }
      }
    }
  });

  it('never proposes a better conclusion when a passed cell becomes an exception', () => {
    const rank = { 'no-exceptions': 0, 'exceptions-effective': 1, extend: 1.5, 'not-effective': 2 } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...FREQUENCIES),
        fc.constantFrom(...NATURES),
        fc.constantFrom(0.9, 0.95),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (frequency, nature, confidence, planned, extra, picks, extensionDrawn) => {
          const size = planned + (extensionDrawn ? extra : 0);
          const f = facts({ frequency, nature, confidence, plannedSize: planned, populationSize: size + 50, extensionDrawn });
          const exceptions: number[] = [];
          let previous = rank[evaluateWorkpaper(f, grid(size)).proposal!];
          for (const p of picks) {
            exceptions.push(p % size);
            const now = rank[evaluateWorkpaper(f, grid(size, exceptions)).proposal!];
            expect(now).toBeGreaterThanOrEqual(previous);
            previous = now;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('requiredSampleSize', () => {
  it('is the size at which the rule stops proposing an extension and supports the control', () => {
    fc.assert(
      fc.property(fc.constantFrom(0.9, 0.95), fc.integer({ min: 2, max: 40 }).map((t) => t / 100), fc.integer({ min: 1, max: 4 }), (confidence, tolerableRate, deviations) => {
        const n = requiredSampleSize(deviations, tolerableRate, confidence);
        fc.pre(n !== null && n < 3000);
        const input = { frequency: 'event-driven' as const, nature: 'manual' as const, sizing: 'statistical' as const, confidence, tolerableRate, plannedSize: 25, deviations, extended: true };
        expect(proposedConclusion({ ...input, tested: n! })).toBe('exceptions-effective');
        expect(proposedConclusion({ ...input, tested: n! - 1 })).not.toBe('exceptions-effective');
      }),
      { numRuns: 150 },
    );
  });
});

describe('conclusionProblem', () => {
  it('lets the auditor accept the proposal or go harsher without a rationale', () => {
    expect(conclusionProblem({ proposed: 'no-exceptions', chosen: 'no-exceptions', reason: '' })).toBeNull();
    expect(conclusionProblem({ proposed: 'no-exceptions', chosen: 'not-effective', reason: '' })).toBeNull();
    expect(conclusionProblem({ proposed: 'exceptions-effective', chosen: 'not-effective', reason: '' })).toBeNull();
  });

  it('asks for a written rationale to go softer', () => {
    expect(conclusionProblem({ proposed: 'not-effective', chosen: 'exceptions-effective', reason: '' })).toMatch(/softer .*Not operating effectively.*rationale/);
    expect(conclusionProblem({ proposed: 'not-effective', chosen: 'exceptions-effective', reason: 'Compensating control CC7.2-01 tested without exception.' })).toBeNull();
  });

  it('weighs an extension not yet drawn as "not effective"', () => {
    expect(proposalAsConclusion('extend')).toBe('not-effective');
    expect(conclusionProblem({ proposed: 'extend', chosen: 'not-effective', reason: '' })).toBeNull();
    expect(conclusionProblem({ proposed: 'extend', chosen: 'exceptions-effective', reason: '' })).not.toBeNull();
  });

  it('needs the reason for "no testing performed", and refuses an effective conclusion on nothing tested', () => {
    expect(conclusionProblem({ proposed: 'no-testing', chosen: 'no-testing', reason: '' })).toMatch(/why no testing/);
    expect(conclusionProblem({ proposed: 'no-testing', chosen: 'no-testing', reason: 'No new hires in the period.' })).toBeNull();
    expect(conclusionProblem({ proposed: null, chosen: 'no-exceptions', reason: 'x' })).toMatch(/Nothing has been tested/);
    expect(conclusionProblem({ proposed: null, chosen: 'not-effective', reason: 'The control was not performed.' })).toBeNull();
  });

  it('never asks a rationale for a conclusion at least as harsh as the proposal, and always for a softer one', () => {
    const graded = CONCLUSIONS.filter((c): c is Exclude<Conclusion, 'no-testing'> => c !== 'no-testing');
    fc.assert(
      fc.property(fc.constantFrom(...graded), fc.constantFrom(...graded), (proposed, chosen) => {
        const softer = conclusionSeverity(chosen)! < conclusionSeverity(proposed)!;
        expect(conclusionProblem({ proposed, chosen, reason: '' }) !== null).toBe(softer);
        expect(conclusionProblem({ proposed, chosen, reason: 'Reviewed with the manager.' })).toBeNull();
      }),
    );
  });
});

describe('missingBeforePrepared', () => {
  it('lists exactly what stops the preparer', () => {
    expect(
      missingBeforePrepared({
        blankCells: [{ itemKey: 'E2003', attributes: ['B', 'C'] }, { itemKey: 'E2010', attributes: ['A'] }],
        exceptionsWithoutRecord: [{ itemKey: 'E2204', attribute: 'B' }],
        conclusion: null,
        conclusionProblem: null,
      }),
    ).toEqual(['Item E2003: attributes B, C not marked.', 'Item E2010: attribute A not marked.', 'Item E2204, attribute B: the exception record is not written.', 'No conclusion is set.']);
  });

  it('is empty for a finished workpaper and repeats a conclusion that no longer stands', () => {
    expect(missingBeforePrepared({ blankCells: [], exceptionsWithoutRecord: [], conclusion: 'no-exceptions', conclusionProblem: null })).toEqual([]);
    expect(missingBeforePrepared({ blankCells: [], exceptionsWithoutRecord: [], conclusion: 'no-exceptions', conclusionProblem: 'softer' })).toEqual(['softer']);
  });
});
