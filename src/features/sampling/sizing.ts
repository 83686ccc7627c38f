// The sample size of a control: from the firm's table or statistically, overridable with a reason.
import { guidanceSampleSize, statisticalSampleSize } from '../../domain/sample-size.js';
import { periodMonths } from '../../domain/periods.js';
import type { DateRange, Frequency, Nature, Risk } from '../../domain/types.js';

export type SizingInput =
  | { sizing: 'table' }
  | { sizing: 'statistical'; confidence: 0.9 | 0.95; tolerableRate: number; expectedRate: number };

export interface SizeProposal {
  size: number | null;
  rationale: string;
  confidence: 0.9 | 0.95;
}

/** The firm's sizing settings a proposal follows. */
export interface SizingPolicy {
  /** Scale calendar-driven sizes pro rata for windows under 12 months (domain.md: off by default). */
  proRata: boolean;
}

/** Until the firm's methodology settings supply it, every proposal is made with pro rata off. */
export const DEFAULT_SIZING_POLICY: SizingPolicy = { proRata: false };

export interface SizingContext {
  frequency: Frequency;
  nature: Nature;
  risk: Risk;
  populationSize: number;
  window: DateRange;
}

const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;

export function proposeSize(ctx: SizingContext, input: SizingInput, policy: SizingPolicy = DEFAULT_SIZING_POLICY): SizeProposal {
  if (input.sizing === 'table') {
    const g = guidanceSampleSize({ frequency: ctx.frequency, nature: ctx.nature, risk: ctx.risk, populationSize: ctx.populationSize, periodMonths: periodMonths(ctx.window), proRata: policy.proRata });
    return { size: g.size, rationale: g.rationale, confidence: 0.95 };
  }
  const n = statisticalSampleSize(input);
  const base = `Statistical attribute sampling at ${pct(input.confidence)} confidence, tolerable deviation rate ${pct(input.tolerableRate)}, expected rate ${pct(input.expectedRate)}`;
  if (n === null) return { size: null, rationale: `${base}: the size would exceed 5,000 items; raise the tolerable rate or lower the expected rate.`, confidence: input.confidence };
  if (n >= ctx.populationSize) return { size: ctx.populationSize, rationale: `${base} gives ${n}, more than the ${ctx.populationSize} items in the population: all items tested.`, confidence: input.confidence };
  return { size: n, rationale: `${base}: ${n} items (AICPA Audit Sampling guide, Appendix A).`, confidence: input.confidence };
}
