// The sampling calculator and the workpaper size an extension with the same function (#10, item 1): once they
// said 94 and 93 for the same case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFigures, type SampleFacts } from '../../../src/domain/workpaper.js';
import { calculate } from '../../../src/features/sampling/calculator.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

const facts = (o: Partial<SampleFacts>): SampleFacts => ({
  frequency: 'daily',
  nature: 'manual',
  sizing: 'statistical',
  method: 'random',
  confidence: 0.95,
  tolerableRate: 0.05,
  plannedSize: 59,
  populationSize: 100_000,
  extensionDrawn: false,
  ...o,
});
const tested = (size: number, deviations: number) => ({
  itemsInSample: size,
  itemsTested: size,
  deviations,
  blankCells: 0,
  notApplicableItems: 0,
  replacedItems: 0,
});

describe('the sampling calculator', () => {
  it('gives the extension the workpaper asks for: 59 items at 95% / 5% with one deviation → 93', async () => {
    expect(evaluateFigures(facts({}), tested(59, 1)).requiredSize).toBe(93);
    const t = await buildTestApp();
    const staff = await loginAs(t.app, 'staff');
    const page = await staff.get(
      `/engagements/${demoEngagementId(t)}/sampling-calculator?confidence=95&tolerableRate=5&expectedRate=0&sampleSize=59&deviations=1`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/id="extended-size"><strong>93<\/strong>/);
    expect(page.body).not.toContain('id="extension-policy"');
    // Two deviations: the size is an override's, and the page says the policy proposes none.
    const two = await staff.get(
      `/engagements/${demoEngagementId(t)}/sampling-calculator?confidence=95&tolerableRate=5&expectedRate=0&sampleSize=59&deviations=2`,
    );
    expect(two.body).toContain('id="extension-policy"');
    expect(two.body).toContain('a larger sample is an override a manager approves');
  });

  it('agrees with the workpaper on every extension the workpaper proposes, stated or implied rate (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 120 }),
        fc.constantFrom(0.9, 0.95),
        fc.option(fc.integer({ min: 4, max: 15 }), { nil: null }),
        (planned, confidence, tolerablePct) => {
          const statistical = tolerablePct !== null;
          const ev = evaluateFigures(
            facts({
              plannedSize: planned,
              confidence,
              sizing: statistical ? 'statistical' : 'table',
              tolerableRate: statistical ? tolerablePct / 100 : null,
            }),
            tested(planned, 1),
          );
          const calc = calculate(
            {
              confidence: confidence === 0.9 ? '90' : '95',
              tolerableRate: tolerablePct,
              expectedRate: 0,
              sampleSize: planned,
              deviations: 1,
            },
            1,
          );
          if (ev.proposal === 'extend') expect(calc.extended?.size).toBe(ev.requiredSize);
        },
      ),
      { numRuns: 60 },
    );
  });
});
