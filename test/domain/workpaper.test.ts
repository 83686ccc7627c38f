import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conclusionSeverity,
  extendedSampleSize,
  extensionSize,
  proposedConclusion,
  type ProposedConclusion,
} from '../../src/domain/evaluation.js';
import { SELECTION_METHODS } from '../../src/domain/sampling-methods.js';
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
  isSofterThanFigures,
  proposalAsConclusion,
  REPLACED,
  type CellResult,
  type GridItemMarks,
  type ItemMarks,
  type SampleFacts,
} from '../../src/domain/workpaper.js';

const facts = (o: Partial<SampleFacts> = {}): SampleFacts => ({
  frequency: 'event-driven',
  nature: 'manual',
  sizing: 'table',
  method: 'random',
  confidence: 0.95,
  tolerableRate: null,
  plannedSize: 25,
  populationSize: 1000,
  extensionDrawn: false,
  ...o,
});

/** `n` items of `attributes` passes, with exceptions on the items listed (attribute A). */
function grid(n: number, exceptions: number[] = [], attributes = 3): ItemMarks[] {
  return Array.from({ length: n }, (_, i) =>
    Array.from(
      { length: attributes },
      (_, a): CellResult => (a === 0 && exceptions.includes(i) ? 'exception' : 'pass'),
    ),
  );
}

describe('counting the grid', () => {
  it('counts deviations per item: exceptions on two attributes of one item are one deviation', () => {
    const marks: ItemMarks[] = [
      ['exception', 'exception', 'pass'],
      ['pass', 'pass', 'pass'],
      ['pass', 'exception', 'na'],
    ];
    expect(gridFigures(marks)).toEqual({
      itemsInSample: 3,
      itemsTested: 3,
      deviations: 2,
      blankCells: 0,
      notApplicableItems: 0,
      replacedItems: 0,
    });
  });

  it('treats an exception as settling its item, blanks elsewhere notwithstanding', () => {
    expect(isTested(['exception', null, null])).toBe(true);
    expect(isDeviation(['exception', null, null])).toBe(true);
    expect(isTested(['pass', null, 'pass'])).toBe(false);
  });

  it('does not count an item with every attribute not applicable as tested', () => {
    expect(isTested(['na', 'na'])).toBe(false);
    expect(
      gridFigures([
        ['na', 'na'],
        ['pass', 'na'],
      ]),
    ).toMatchObject({ itemsTested: 1, notApplicableItems: 1, blankCells: 0 });
  });

  it('keeps a replaced item out of every figure but its own count', () => {
    expect(gridFigures([['na', 'na'], REPLACED, ['pass', 'pass'], REPLACED])).toEqual({
      itemsInSample: 2,
      itemsTested: 1,
      deviations: 0,
      blankCells: 0,
      notApplicableItems: 1,
      replacedItems: 2,
    });
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
function countsOf(items: readonly GridItemMarks[], attributes: number): MarkCount[] {
  const groups = new Map<string, MarkCount>();
  const replaced = items.filter((m) => m === REPLACED).length;
  if (replaced > 0)
    groups.set('replaced', { attributes, exceptions: 0, notApplicable: 0, marked: 0, items: replaced, replaced: true });
  for (const marks of items) {
    if (marks === REPLACED) continue;
    const c = {
      attributes,
      exceptions: marks.filter((m) => m === 'exception').length,
      notApplicable: marks.filter((m) => m === 'na').length,
      marked: marks.filter((m) => m !== null).length,
    };
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
      fc.property(
        fc.integer({ min: 0, max: 5 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.oneof(fc.array(cell, { minLength: n, maxLength: n }), fc.constant(REPLACED)), {
              maxLength: 60,
            }),
          ),
        ),
        fc.boolean(),
        fc.constantFrom(...SELECTION_METHODS),
        ([attributes, items], extensionDrawn, method) => {
          const counts = countsOf(items, attributes);
          expect(figuresOfCounts(counts)).toEqual(gridFigures(items));
          expect(evaluateFigures(facts({ extensionDrawn, method }), figuresOfCounts(counts))).toEqual(
            evaluateWorkpaper(facts({ extensionDrawn, method }), items),
          );
        },
      ),
    );
  });

  it('refuse counts that cannot be one item’s marks', () => {
    expect(() => figuresOfCounts([{ attributes: 2, exceptions: 2, notApplicable: 1, marked: 2, items: 1 }])).toThrow(
      /do not add up/,
    );
  });
});

describe('evaluateWorkpaper', () => {
  it('follows an exception through the extension: 25 with one deviation → extend to 41 → exceptions noted, effective', () => {
    const first = evaluateWorkpaper(facts(), grid(25, [6]));
    expect(first).toMatchObject({
      itemsTested: 25,
      deviations: 1,
      proposal: 'extend',
      requiredSize: 41,
      toDraw: 16,
      upperLimitPct: 17.7,
    });
    expect(first.tolerableRate).toBeCloseTo(0.1129, 4);
    expect(first.tolerableStated).toBe(false);
    const drawn = [...grid(25, [6]), ...Array.from({ length: 16 }, (): ItemMarks => [null, null, null])];
    expect(evaluateWorkpaper(facts({ extensionDrawn: true }), drawn)).toMatchObject({
      proposal: 'extend',
      complete: false,
      toDraw: 0,
      itemsTested: 25,
    });
    expect(evaluateWorkpaper(facts({ extensionDrawn: true }), grid(41, [6]))).toMatchObject({
      proposal: 'exceptions-effective',
      complete: true,
      upperLimitPct: 11.1,
    });
  });

  it('concludes "not effective" when the extension finds more, and offers no further extension but as an override', () => {
    const ev = evaluateWorkpaper(facts({ extensionDrawn: true }), grid(41, [6, 30]));
    expect(ev).toMatchObject({
      proposal: 'not-effective',
      deviations: 2,
      requiredSize: null,
      toDraw: 0,
      extensionByOverride: 54,
    });
  });

  it('concludes "not effective" on two deviations in the planned 25, without proposing an extension', () => {
    expect(evaluateWorkpaper(facts(), grid(25, [3, 9]))).toMatchObject({
      proposal: 'not-effective',
      requiredSize: null,
      toDraw: 0,
      extensionByOverride: 54,
    });
    expect(evaluateWorkpaper(facts({ maxDeviationsToExtend: 2 }), grid(25, [3, 9]))).toMatchObject({
      proposal: 'extend',
      requiredSize: 54,
      toDraw: 29,
    });
  });

  it('reads "not effective" as soon as a half-tested extension can no longer cover the deviations found', () => {
    const drawn = [
      ...grid(25, [6]),
      ...grid(5, [2]),
      ...Array.from({ length: 11 }, (): ItemMarks => [null, null, null]),
    ];
    expect(evaluateWorkpaper(facts({ extensionDrawn: true }), drawn)).toMatchObject({
      proposal: 'not-effective',
      requiredSize: null,
      toDraw: 0,
      complete: false,
    });
    // With a policy of two, the 41 drawn cannot reach the 54 two deviations need: no second extension either.
    expect(evaluateWorkpaper(facts({ extensionDrawn: true, maxDeviationsToExtend: 2 }), drawn)).toMatchObject({
      proposal: 'not-effective',
      requiredSize: null,
      toDraw: 0,
    });
  });

  it('allows no extension for a monthly control: one missed month is not effective', () => {
    const ev = evaluateWorkpaper(facts({ frequency: 'monthly', plannedSize: 3, populationSize: 12 }), grid(3, [1]));
    expect(ev).toMatchObject({ proposal: 'not-effective', requiredSize: null, toDraw: 0 });
  });

  it('measures a statistical sample against its stated tolerable rate', () => {
    const ev = evaluateWorkpaper(facts({ sizing: 'statistical', tolerableRate: 0.1, plannedSize: 29 }), grid(29));
    expect(ev).toMatchObject({
      proposal: 'no-exceptions',
      tolerableRate: 0.1,
      tolerableStated: true,
      upperLimitPct: 9.9,
    });
  });

  it('proposes nothing before an item is tested', () => {
    expect(evaluateWorkpaper(facts(), [[null, null]])).toMatchObject({
      proposal: null,
      upperLimitPct: null,
      complete: false,
    });
  });

  it('proposes the extension sizes of the exact rule for planned sizes 20–60 and 1–3 deviations at 90% and 95%', () => {
    for (const confidence of [0.9, 0.95]) {
      for (let plannedSize = 20; plannedSize <= 60; plannedSize++) {
        for (let deviations = 1; deviations <= 3; deviations++) {
          const ev = evaluateWorkpaper(
            facts({ confidence, plannedSize, maxDeviationsToExtend: 3 }),
            grid(
              plannedSize,
              Array.from({ length: deviations }, (_, i) => i),
            ),
          );
          const expected = extendedSampleSize({ confidence, plannedSize, deviations });
          expect({ confidence, plannedSize, deviations, size: ev.requiredSize }).toEqual({
            confidence,
            plannedSize,
            deviations,
            size: expected,
          });
          expect(ev.toDraw).toBe(expected - plannedSize);
        }
      }
    }
  });

  it('never proposes a better conclusion when a passed cell becomes an exception', () => {
    const rank = {
      'no-exceptions': 0,
      'exceptions-effective': 1,
      replace: 1.25,
      extend: 1.5,
      'not-effective': 2,
    } as const;
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
          const f = facts({
            frequency,
            nature,
            confidence,
            plannedSize: planned,
            populationSize: size + 50,
            extensionDrawn,
          });
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

describe('extensionSize as the workpaper uses it', () => {
  it('is the size at which the rule stops proposing an extension and supports the control', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.9, 0.95),
        fc.integer({ min: 2, max: 40 }).map((t) => t / 100),
        fc.integer({ min: 1, max: 4 }),
        (confidence, tolerableRate, deviations) => {
          const n = extensionSize({ confidence, plannedSize: 25, deviations, tolerableRate });
          fc.pre(n !== null && n < 3000);
          const input = {
            frequency: 'event-driven' as const,
            nature: 'manual' as const,
            sizing: 'statistical' as const,
            confidence,
            tolerableRate,
            plannedSize: 25,
            deviations,
            extended: false,
            maxDeviationsToExtend: 4,
          };
          expect(proposedConclusion({ ...input, tested: n! })).toBe('exceptions-effective');
          expect(proposedConclusion({ ...input, tested: n! - 1 })).not.toBe('exceptions-effective');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives a statistical workpaper the extension the calculator gives for the same case', () => {
    const ev = evaluateWorkpaper(
      facts({ sizing: 'statistical', tolerableRate: 0.05, plannedSize: 59 }),
      grid(59, [10]),
    );
    expect(ev).toMatchObject({ proposal: 'extend', requiredSize: 93, toDraw: 34 });
    expect(ev.requiredSize).toBe(
      extensionSize({ confidence: 0.95, plannedSize: 59, deviations: 1, tolerableRate: 0.05 }),
    );
  });
});

const PROPOSAL_RANK: Record<ProposedConclusion, number> = {
  'no-exceptions': 0,
  'exceptions-effective': 1,
  replace: 1.25,
  extend: 1.5,
  'not-effective': 2,
};

/** A grid of `size` drawn items: `na` of them wholly N/A, `exceptions` deviating, `replaced` replaced, the rest passed. */
function shapedGrid(
  size: number,
  o: { exceptions?: number; na?: number; replaced?: number; blank?: number },
): GridItemMarks[] {
  const out: GridItemMarks[] = [];
  for (let i = 0; i < (o.replaced ?? 0); i++) out.push(REPLACED);
  for (let i = 0; i < (o.na ?? 0); i++) out.push(['na', 'na', 'na']);
  for (let i = 0; i < (o.exceptions ?? 0); i++) out.push(['exception', 'pass', 'pass']);
  for (let i = 0; i < (o.blank ?? 0); i++) out.push([null, null, null]);
  while (out.length < size) out.push(['pass', 'pass', 'pass']);
  return out;
}

describe('items that are not occurrences of the control', () => {
  it('counts a wholly N/A item as needing a replacement, and proposes nothing favourable until it is replaced', () => {
    const ev = evaluateWorkpaper(facts(), shapedGrid(25, { na: 2 }));
    expect(ev).toMatchObject({
      itemsInSample: 25,
      itemsTested: 23,
      notApplicableItems: 2,
      replacementsNeeded: 2,
      proposal: 'replace',
    });
    // Replaced: the two stay on the grid as replaced, two new items count in their place.
    const after = evaluateWorkpaper(facts(), shapedGrid(27, { replaced: 2 }));
    expect(after).toMatchObject({
      itemsInSample: 25,
      itemsTested: 25,
      replacedItems: 2,
      replacementsNeeded: 0,
      proposal: 'no-exceptions',
    });
  });

  it('needs no replacement the population cannot give, and keeps "extend" and "not effective" as they are', () => {
    expect(evaluateWorkpaper(facts({ populationSize: 25 }), shapedGrid(25, { na: 2 }))).toMatchObject({
      replacementsNeeded: 0,
      proposal: 'no-exceptions',
    });
    expect(evaluateWorkpaper(facts({ populationSize: 26 }), shapedGrid(25, { na: 2 }))).toMatchObject({
      replacementsNeeded: 1,
      proposal: 'replace',
    });
    expect(evaluateWorkpaper(facts(), shapedGrid(25, { na: 1, exceptions: 1 }))).toMatchObject({
      replacementsNeeded: 1,
      proposal: 'extend',
      requiredSize: 41,
      toDraw: 16,
    });
    expect(evaluateWorkpaper(facts(), shapedGrid(25, { na: 1, exceptions: 2 }))).toMatchObject({
      replacementsNeeded: 1,
      proposal: 'not-effective',
    });
  });

  it('never counts a replacement as an extension: the one extension stays available', () => {
    const ev = evaluateWorkpaper(facts(), shapedGrid(26, { replaced: 1, exceptions: 1 }));
    expect(ev).toMatchObject({ itemsInSample: 25, proposal: 'extend', requiredSize: 41, toDraw: 16 });
  });

  it('keeps the sample at its planned size however many items are replaced (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.nat({ max: 59 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 200 }),
        (planned, naPicks, spare) => {
          // Draw `planned`, mark some wholly N/A, replace them (each replacement may be N/A again), repeat.
          const populationSize = planned + spare;
          let grid: GridItemMarks[] = Array.from({ length: planned }, () => ['pass', 'pass']);
          const f = facts({ plannedSize: planned, populationSize });
          for (const pick of naPicks) {
            const live = grid.flatMap((m, i) => (m === REPLACED ? [] : [i]));
            const target = live[pick % live.length]!;
            grid[target] = ['na', 'na'];
            const needed = evaluateWorkpaper(f, grid).replacementsNeeded;
            const naItems = grid
              .flatMap((m, i) => (m !== REPLACED && m.every((c) => c === 'na') ? [i] : []))
              .slice(0, needed);
            grid = grid.map((m, i) => (naItems.includes(i) ? REPLACED : m));
            grid.push(...naItems.map((): ItemMarks => ['pass', 'pass']));
            const ev = evaluateWorkpaper(f, grid);
            expect(ev.itemsInSample).toBe(planned);
            expect(ev.itemsInSample + ev.replacedItems).toBeLessThanOrEqual(Math.max(populationSize, planned));
            if (ev.replacementsNeeded === 0 && ev.notApplicableItems === 0) expect(ev.itemsTested).toBe(planned);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('statistics only where the selection is random', () => {
  it('gives no upper limit for haphazard, judgmental and all-items samples, which conclude by the table rule', () => {
    for (const method of ['haphazard', 'judgmental'] as const) {
      const ev = evaluateWorkpaper(facts({ method }), grid(25, [4]));
      expect(ev).toMatchObject({
        basis: 'not-statistical',
        upperLimitPct: null,
        tolerableStated: false,
        proposal: 'extend',
        requiredSize: 41,
      });
      expect(evaluateWorkpaper(facts({ method }), grid(25))).toMatchObject({
        upperLimitPct: null,
        proposal: 'no-exceptions',
      });
    }
    const all = evaluateWorkpaper(facts({ method: 'all', plannedSize: 12, populationSize: 12 }), grid(12));
    expect(all).toMatchObject({ basis: 'whole-population', upperLimitPct: null, proposal: 'no-exceptions' });
    // A random sample as large as its population is a 100% test too.
    expect(evaluateWorkpaper(facts({ plannedSize: 20, populationSize: 20 }), grid(20))).toMatchObject({
      basis: 'whole-population',
      upperLimitPct: null,
    });
  });

  it('keeps the upper limit for random, systematic, period-spread and interim-split samples', () => {
    for (const method of ['random', 'systematic', 'period-spread', 'interim-split'] as const) {
      expect(evaluateWorkpaper(facts({ method }), grid(25))).toMatchObject({
        basis: 'statistical',
        upperLimitPct: 11.3,
      });
    }
  });

  it('measures a non-random sample recorded as statistical by the table rule, never by a stated rate', () => {
    const ev = evaluateWorkpaper(
      facts({ method: 'judgmental', sizing: 'statistical', tolerableRate: 0.05, plannedSize: 59 }),
      grid(59, [1]),
    );
    expect(ev).toMatchObject({ tolerableStated: false, upperLimitPct: null, requiredSize: 94 });
  });
});

describe('no second extension, whatever the grid (property)', () => {
  it('once an extension is drawn, never asks for more items; the conclusion never improves with more deviations', () => {
    const cell = fc.constantFrom<CellResult | null>('pass', 'pass', 'pass', 'exception', 'na', null);
    fc.assert(
      fc.property(
        fc.constantFrom(...FREQUENCIES),
        fc.constantFrom(...SELECTION_METHODS),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.array(cell, { minLength: 2, maxLength: 2 }), fc.constant(REPLACED)), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 0, max: 3 }),
        (frequency, method, planned, items, maxDeviationsToExtend) => {
          const f = facts({
            frequency,
            method,
            plannedSize: planned,
            populationSize: items.length + 40,
            extensionDrawn: true,
            maxDeviationsToExtend,
          });
          const ev = evaluateWorkpaper(f, items);
          expect(ev.toDraw).toBe(0);
          if (ev.requiredSize !== null) expect(ev.requiredSize).toBeLessThanOrEqual(ev.itemsInSample);
          if (ev.complete) expect(ev.proposal).not.toBe('extend');
          // One more deviation (a passed item turned exception) never improves the proposal.
          const passed = items.findIndex((m) => m !== REPLACED && m.every((c) => c === 'pass'));
          if (passed >= 0 && ev.proposal) {
            const worse = items.map((m, i): GridItemMarks => (i === passed ? ['exception', 'pass'] : m));
            expect(PROPOSAL_RANK[evaluateWorkpaper(f, worse).proposal!]).toBeGreaterThanOrEqual(
              PROPOSAL_RANK[ev.proposal],
            );
          }
        },
      ),
      { numRuns: 400 },
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
    expect(conclusionProblem({ proposed: 'not-effective', chosen: 'exceptions-effective', reason: '' })).toMatch(
      /softer .*Not operating effectively.*rationale/,
    );
    expect(
      conclusionProblem({
        proposed: 'not-effective',
        chosen: 'exceptions-effective',
        reason: 'Compensating control CC7.2-01 tested without exception.',
      }),
    ).toBeNull();
  });

  it('weighs an extension not yet drawn, or items still to replace, as "not effective"', () => {
    expect(proposalAsConclusion('extend')).toBe('not-effective');
    expect(proposalAsConclusion('replace')).toBe('not-effective');
    expect(isSofterThanFigures({ proposed: 'replace', chosen: 'no-exceptions' })).toBe(true);
    expect(conclusionProblem({ proposed: 'extend', chosen: 'not-effective', reason: '' })).toBeNull();
    expect(conclusionProblem({ proposed: 'extend', chosen: 'exceptions-effective', reason: '' })).not.toBeNull();
  });

  it('needs the reason for "no testing performed", and refuses an effective conclusion on nothing tested', () => {
    expect(conclusionProblem({ proposed: 'no-testing', chosen: 'no-testing', reason: '' })).toMatch(/why no testing/);
    expect(
      conclusionProblem({ proposed: 'no-testing', chosen: 'no-testing', reason: 'No new hires in the period.' }),
    ).toBeNull();
    expect(conclusionProblem({ proposed: null, chosen: 'no-exceptions', reason: 'x' })).toMatch(
      /Nothing has been tested/,
    );
    expect(
      conclusionProblem({ proposed: null, chosen: 'not-effective', reason: 'The control was not performed.' }),
    ).toBeNull();
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

describe('isSofterThanFigures', () => {
  it('marks a conclusion softer than the proposal, and "no testing" against tested figures, as an override', () => {
    expect(isSofterThanFigures({ proposed: 'not-effective', chosen: 'exceptions-effective' })).toBe(true);
    expect(isSofterThanFigures({ proposed: 'extend', chosen: 'exceptions-effective' })).toBe(true);
    expect(isSofterThanFigures({ proposed: 'exceptions-effective', chosen: 'no-testing' })).toBe(true);
    expect(isSofterThanFigures({ proposed: 'exceptions-effective', chosen: 'not-effective' })).toBe(false);
    expect(isSofterThanFigures({ proposed: 'no-exceptions', chosen: 'no-exceptions' })).toBe(false);
    expect(isSofterThanFigures({ proposed: 'no-testing', chosen: 'no-testing' })).toBe(false);
    expect(isSofterThanFigures({ proposed: null, chosen: 'not-effective' })).toBe(false);
  });
});

describe('missingBeforePrepared', () => {
  it('refuses "prepared" with the count of items still to replace, and lists what the overrides need', () => {
    const base = {
      blankCells: [],
      exceptionsWithoutRecord: [],
      conclusion: 'no-exceptions' as const,
      conclusionProblem: null,
    };
    expect(missingBeforePrepared({ ...base, replacementsNeeded: 2 })).toEqual([
      '2 items are not applicable on every attribute, so not an occurrence of the control: draw their 2 replacements and test them.',
    ]);
    expect(missingBeforePrepared({ ...base, replacementsNeeded: 1 })).toEqual([
      '1 item is not applicable on every attribute, so not an occurrence of the control: draw its replacement and test it.',
    ]);
    expect(missingBeforePrepared({ ...base, overrideProblems: ['awaits approval'] })).toEqual(['awaits approval']);
  });

  it('lists exactly what stops the preparer', () => {
    expect(
      missingBeforePrepared({
        blankCells: [
          { itemKey: 'E2003', attributes: ['B', 'C'] },
          { itemKey: 'E2010', attributes: ['A'] },
        ],
        exceptionsWithoutRecord: [{ itemKey: 'E2204', attribute: 'B' }],
        conclusion: null,
        conclusionProblem: null,
      }),
    ).toEqual([
      'Item E2003: attributes B, C not marked.',
      'Item E2010: attribute A not marked.',
      'Item E2204, attribute B: the exception record is not written.',
      'No conclusion is set.',
    ]);
  });

  it('is empty for a finished workpaper and repeats a conclusion that no longer stands', () => {
    expect(
      missingBeforePrepared({
        blankCells: [],
        exceptionsWithoutRecord: [],
        conclusion: 'no-exceptions',
        conclusionProblem: null,
      }),
    ).toEqual([]);
    expect(
      missingBeforePrepared({
        blankCells: [],
        exceptionsWithoutRecord: [],
        conclusion: 'no-exceptions',
        conclusionProblem: 'softer',
      }),
    ).toEqual(['softer']);
  });
});
