import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_RULE,
  delayAfter,
  FORGET_FAILURES_AFTER_MS,
  MAX_LOGIN_DELAY_MS,
  remainingWait,
  withFailure,
  type DelayRule,
  type FailureRun,
} from '../../src/domain/login-delay.js';

const rule = fc.record({
  freeFailures: fc.integer({ min: 0, max: 100 }),
  firstDelayMs: fc.integer({ min: 1, max: 120_000 }),
});
const failures = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.integer({ min: 0, max: 2 ** 40 }));
const T0 = Date.parse('2026-03-02T09:00:00Z');

/** The run after failures at T0 + each gap in turn (gaps in ms between failures). */
function runAfter(gaps: number[]): FailureRun | undefined {
  let run: FailureRun | undefined;
  let at = T0;
  for (const gap of gaps) {
    at += gap;
    run = withFailure(run, at);
  }
  return run;
}

describe('delayAfter', () => {
  it('costs nothing for the free failures, then 1 s, 2 s, 4 s … up to a minute (the account rule)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1000].map((n) => delayAfter(n, ACCOUNT_RULE))).toEqual([
      0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('never exceeds a minute, whatever the rule and the count', () => {
    fc.assert(
      fc.property(rule, failures, (r, n) => {
        const d = delayAfter(n, r);
        return d >= 0 && d <= MAX_LOGIN_DELAY_MS && Number.isFinite(d);
      }),
    );
  });

  it('is monotone in the failures', () => {
    fc.assert(
      fc.property(
        rule,
        failures,
        failures,
        (r, a, b) => delayAfter(Math.min(a, b), r) <= delayAfter(Math.max(a, b), r),
      ),
    );
  });

  it('doubles with each failure beyond the free ones until the cap', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 1, max: 60 }), (r: DelayRule, k) => {
        const n = r.freeFailures + k;
        expect(delayAfter(n + 1, r)).toBe(Math.min(MAX_LOGIN_DELAY_MS, 2 * delayAfter(n, r)));
        expect(delayAfter(r.freeFailures, r)).toBe(0);
      }),
    );
  });
});

describe('remainingWait', () => {
  const gaps = fc.array(fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 20 * 60_000 })), {
    maxLength: 60,
  });

  it('holds any attempt back at most a minute, after any run of failures', () => {
    fc.assert(
      fc.property(rule, gaps, fc.integer({ min: -60_000, max: 30 * 60_000 }), (r, g, after) => {
        const run = runAfter(g);
        const last = run?.lastFailureAt ?? T0;
        const wait = remainingWait(run, last + after, r);
        return wait >= 0 && wait <= MAX_LOGIN_DELAY_MS;
      }),
    );
  });

  it('is over a minute after the latest failure, however many came before', () => {
    fc.assert(
      fc.property(
        rule,
        gaps,
        (r, g) => remainingWait(runAfter(g), (runAfter(g)?.lastFailureAt ?? T0) + MAX_LOGIN_DELAY_MS, r) === 0,
      ),
    );
  });

  it('only shrinks as time passes', () => {
    fc.assert(
      fc.property(rule, gaps, fc.nat(120_000), fc.nat(120_000), (r, g, a, b) => {
        const run = runAfter(g);
        const last = run?.lastFailureAt ?? T0;
        return remainingWait(run, last + Math.max(a, b), r) <= remainingWait(run, last + Math.min(a, b), r);
      }),
    );
  });

  it('a thousand failures in a row still leave the next attempt waiting a minute at most', () => {
    const run = runAfter(Array.from({ length: 1000 }, () => 10));
    expect(run!.failures).toBe(1000);
    expect(remainingWait(run, run!.lastFailureAt, ACCOUNT_RULE)).toBe(MAX_LOGIN_DELAY_MS);
    expect(remainingWait(run, run!.lastFailureAt + 59_999, ACCOUNT_RULE)).toBe(1);
    expect(remainingWait(run, run!.lastFailureAt + 60_000, ACCOUNT_RULE)).toBe(0);
  });

  it('five failures cost the sixth attempt a second', () => {
    const run = runAfter([0, 10, 10, 10, 10]);
    expect(remainingWait(run, run!.lastFailureAt, ACCOUNT_RULE)).toBe(1_000);
    expect(remainingWait(run, run!.lastFailureAt + 1_000, ACCOUNT_RULE)).toBe(0);
  });
});

describe('withFailure', () => {
  it('counts one more, or starts afresh once the run is forgotten', () => {
    const run = runAfter([0, 1000, 1000])!;
    expect(run.failures).toBe(3);
    expect(withFailure(run, run.lastFailureAt + FORGET_FAILURES_AFTER_MS - 1).failures).toBe(4);
    expect(withFailure(run, run.lastFailureAt + FORGET_FAILURES_AFTER_MS)).toEqual({
      failures: 1,
      lastFailureAt: run.lastFailureAt + FORGET_FAILURES_AFTER_MS,
    });
  });

  it('never moves the latest failure back when the clock does', () => {
    const run = { failures: 6, lastFailureAt: T0 };
    expect(withFailure(run, T0 - 5_000)).toEqual({ failures: 7, lastFailureAt: T0 });
  });
});
