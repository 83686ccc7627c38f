// Binomial helpers for attribute sampling (AICPA Audit Sampling guide, Appendix A).
// Computed against a log scale so that n in the thousands neither underflows nor loses precision.

/** Round to 9 decimals: strips floating-point noise (14.000000000000002) before a ceiling or a comparison. */
export function stripFloatNoise(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
}

function assertProbability(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
}

const RESCALE = 1e150;
const LOG_RESCALE = Math.log(RESCALE);

/**
 * Σ_{i ≤ k} P(X = i), each term from the previous by the ratio (n−i+1)/i · p/(1−p). The terms are kept
 * relative to a separate log scale, starting at log((1−p)^n): nothing underflows for n in the thousands,
 * and chaining ratios in linear space loses far less precision than adding thousands of logarithms.
 */
function lowerTailSum(k: number, n: number, p: number): number {
  const odds = p / (1 - p);
  let logScale = n * Math.log1p(-p);
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= k; i++) {
    term *= ((n - i + 1) / i) * odds;
    sum += term;
    if (term > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      logScale += LOG_RESCALE;
    }
  }
  return Math.exp(logScale + Math.log(sum));
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  assertCount('n', n);
  assertProbability('p', p);
  if (!Number.isInteger(k)) throw new RangeError(`k must be a whole number, got ${k}`);
  if (k < 0) return 0;
  if (k >= n || p === 0) return 1;
  if (p === 1) return 0;
  return Math.min(1, lowerTailSum(k, n, p));
}

/**
 * Exact one-sided Clopper–Pearson upper bound: the p at which P(X ≤ k; n, p) = alpha.
 * Found by bisection down to adjacent doubles; the upper end of the bracket is returned, so the bound is
 * never understated.
 */
export function clopperPearsonUpper(k: number, n: number, alpha: number): number {
  assertCount('n', n);
  assertCount('k', k);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
  if (k >= n) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 1100; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (binomialCdf(k, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}
