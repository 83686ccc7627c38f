// The sample size of a control: from the firm's table or statistically, overridable with a reason.
import { plural } from '../../domain/plural.js';
import { guidanceSampleSize, statisticalSampleSize } from '../../domain/sample-size.js';
import { periodMonths } from '../../domain/periods.js';
import type { Methodology } from '../../domain/methodology.js';
import type { DateRange, Frequency, Nature, Risk } from '../../domain/types.js';

export type SizingInput =
  | { sizing: 'table' }
  | { sizing: 'statistical'; confidence: 0.9 | 0.95; tolerableRate: number; expectedRate: number };

export interface SizeProposal {
  size: number | null;
  rationale: string;
  confidence: 0.9 | 0.95;
}

export interface SizingContext {
  frequency: Frequency;
  nature: Nature;
  risk: Risk;
  populationSize: number;
  window: DateRange;
  /** The engagement's copy of the firm's table and pro rata setting (methodologyOf). */
  rules: Pick<Methodology, 'sampleSizes' | 'proRata'>;
}

const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;

export function proposeSize(ctx: SizingContext, input: SizingInput): SizeProposal {
  if (input.sizing === 'table') {
    const g = guidanceSampleSize({
      frequency: ctx.frequency,
      nature: ctx.nature,
      risk: ctx.risk,
      populationSize: ctx.populationSize,
      periodMonths: periodMonths(ctx.window),
      table: ctx.rules.sampleSizes,
      proRata: ctx.rules.proRata,
    });
    return { size: g.size, rationale: g.rationale, confidence: 0.95 };
  }
  const n = statisticalSampleSize(input);
  const base = `Statistical attribute sampling at ${pct(input.confidence)} confidence, tolerable deviation rate ${pct(input.tolerableRate)}, expected rate ${pct(input.expectedRate)}`;
  if (n === null)
    return {
      size: null,
      rationale: `${base}: the size would exceed 5,000 items; raise the tolerable rate or lower the expected rate.`,
      confidence: input.confidence,
    };
  if (n >= ctx.populationSize)
    return {
      size: ctx.populationSize,
      rationale: `${base} gives ${n}, more than the ${ctx.populationSize} items in the population: all items tested.`,
      confidence: input.confidence,
    };
  return {
    size: n,
    rationale: `${base}: ${plural(n, 'item')} (AICPA Audit Sampling guide, Appendix A).`,
    confidence: input.confidence,
  };
}
