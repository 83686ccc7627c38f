// The sampling calculator's figures, worked out by the same rules the workpaper uses (extensionSize, the firm's
// extension policy: the firm's current one), so the two never disagree about the same case.
import { extensionSize } from '../../domain/evaluation.js';
import { statisticalSampleSize, upperDeviationLimit } from '../../domain/sample-size.js';

export interface CalculatorInput {
  confidence: '90' | '95';
  /** Percentages, as entered. */
  tolerableRate: number | null;
  expectedRate: number | null;
  sampleSize: number | null;
  deviations: number;
}

export interface CalculatorExtension {
  /** Items in all for the same assurance; null when no size up to the limit covers the deviations. */
  size: number | null;
  /** Measured against the tolerable rate entered, or the rate the items tested imply with no deviation. */
  against: 'stated' | 'implied';
  /** The firm's policy proposes no extension after this many deviations: the size is an override's. */
  beyondPolicy: boolean;
  maxDeviationsToExtend: number;
}

export interface CalculatorResult {
  size?: number | null;
  upperLimit?: number;
  extended?: CalculatorExtension;
}

/** `maxDeviationsToExtend`: the firm's policy (the calculator stands outside any engagement). */
export function calculate(v: CalculatorInput, maxDeviationsToExtend: number): CalculatorResult {
  const confidence = v.confidence === '90' ? 0.9 : 0.95;
  const tolerableRate = v.tolerableRate === null ? null : v.tolerableRate / 100;
  const expectedRate = (v.expectedRate ?? 0) / 100;
  const result: CalculatorResult = {};
  if (tolerableRate !== null && expectedRate < tolerableRate)
    result.size = statisticalSampleSize({ confidence, tolerableRate, expectedRate });
  if (v.sampleSize !== null && v.deviations <= v.sampleSize)
    result.upperLimit = upperDeviationLimit({ confidence, sampleSize: v.sampleSize, deviations: v.deviations });
  if (v.sampleSize !== null && v.deviations > 0) {
    result.extended = {
      size: extensionSize({ confidence, plannedSize: v.sampleSize, deviations: v.deviations, tolerableRate }),
      against: tolerableRate === null ? 'implied' : 'stated',
      beyondPolicy: v.deviations > maxDeviationsToExtend,
      maxDeviationsToExtend,
    };
  }
  return result;
}
