import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialCdf, clopperPearsonUpper, stripFloatNoise } from '../../src/domain/binomial.js';

/** Independent reference: exact binomial coefficients from Pascal's triangle, summed in linear space. */
function naiveCdf(k: number, n: number, p: number): number {
  let row = [1];
  for (let i = 0; i < n; i++) row = [1, ...row.slice(1).map((v, j) => v + (row[j] as number)), 1];
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) sum += (row[i] as number) * p ** i * (1 - p) ** (n - i);
  return sum;
}

describe('stripFloatNoise', () => {
  it('removes floating-point noise before a ceiling', () => {
    expect(0.07 * 200).toBeGreaterThan(14);
    expect(Math.ceil(stripFloatNoise(0.07 * 200))).toBe(14);
    expect(stripFloatNoise(4.9000000001)).toBe(4.9);
  });

  it('keeps differences larger than 9 decimals', () => {
    expect(stripFloatNoise(1.000000002)).toBe(1.000000002);
  });
});

describe('binomialCdf', () => {
  it('matches a naive reference for small n', () => {
    for (const n of [1, 2, 5, 10, 25, 40]) {
      for (const p of [0.01, 0.05, 0.1129, 0.3, 0.5, 0.9]) {
        for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 7))) {
          expect(binomialCdf(k, n, p)).toBeCloseTo(naiveCdf(k, n, p), 12);
        }
      }
    }
  });

  it('handles the edges exactly', () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(12, 10, 0.3)).toBe(1);
    expect(binomialCdf(0, 10, 0)).toBe(1);
    expect(binomialCdf(3, 10, 1)).toBe(0);
    expect(binomialCdf(0, 0, 0.4)).toBe(1);
  });

  it('does not underflow for large samples', () => {
    expect(binomialCdf(0, 5000, 0.001)).toBeCloseTo(Math.exp(5000 * Math.log1p(-0.001)), 14);
    expect(binomialCdf(0, 5000, 0.2)).toBe(0);
    expect(binomialCdf(1000, 5000, 0.2)).toBeGreaterThan(0.5);
    expect(binomialCdf(1000, 5000, 0.2)).toBeLessThan(0.51);
  });

  it('satisfies P(X ≤ k; n, p) = 1 − P(X ≤ n−k−1; n, 1−p) for large n', () => {
    for (const [k, n, p] of [
      [40, 1000, 0.05],
      [300, 2000, 0.16],
      [149, 4999, 0.03],
    ] as const) {
      // The long complementary sum starts from a log scale in the tens of thousands: agreement to 1e-10.
      expect(binomialCdf(k, n, p)).toBeCloseTo(1 - binomialCdf(n - k - 1, n, 1 - p), 10);
    }
  });

  it('rejects impossible arguments', () => {
    expect(() => binomialCdf(1, -1, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1.5, 10, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1, 10, 1.2)).toThrow(RangeError);
    expect(() => binomialCdf(1, 10, Number.NaN)).toThrow(RangeError);
  });

  it('is a distribution function: within [0, 1], rising in k, falling in p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, kFraction, p1, p2) => {
          const k = Math.floor(kFraction * n);
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          const value = binomialCdf(k, n, lo);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
          expect(binomialCdf(k + 1, n, lo)).toBeGreaterThanOrEqual(value - 1e-15);
          expect(binomialCdf(k, n, hi)).toBeLessThanOrEqual(value + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('clopperPearsonUpper', () => {
  it('equals 1 − α^(1/n) with zero deviations', () => {
    for (const n of [1, 20, 25, 59, 60, 100, 1000]) {
      for (const alpha of [0.05, 0.1]) {
        expect(clopperPearsonUpper(0, n, alpha)).toBeCloseTo(-Math.expm1(Math.log(alpha) / n), 14);
      }
    }
  });

  it('is the p at which P(X ≤ k; n, p) = α, to high precision', () => {
    for (const [k, n] of [
      [1, 25],
      [2, 54],
      [5, 100],
      [12, 240],
      [40, 4000],
    ] as const) {
      const p = clopperPearsonUpper(k, n, 0.05);
      expect(binomialCdf(k, n, p)).toBeCloseTo(0.05, 12);
      expect(binomialCdf(k, n, p)).toBeLessThanOrEqual(0.05);
    }
  });

  it('is 1 when every item deviated', () => {
    expect(clopperPearsonUpper(10, 10, 0.05)).toBe(1);
  });

  it('rejects impossible arguments', () => {
    expect(() => clopperPearsonUpper(0, 10, 0)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0, 10, 1)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(-1, 10, 0.05)).toThrow(RangeError);
  });

  it('rises with deviations and falls with sample size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 30 }), (n, k) => {
        fc.pre(k < n);
        const bound = clopperPearsonUpper(k, n, 0.05);
        expect(clopperPearsonUpper(k + 1, n, 0.05)).toBeGreaterThan(bound);
        expect(clopperPearsonUpper(k, n + 1, 0.05)).toBeLessThan(bound);
        expect(clopperPearsonUpper(k, n, 0.1)).toBeLessThan(bound);
      }),
      { numRuns: 200 },
    );
  });
});
