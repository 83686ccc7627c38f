// How long a log-in attempt waits after failed ones. A growing delay instead of a lock: whoever keeps failing
// slows down, but no run of failures, however long, holds an attempt back for more than a minute.

/** The longest wait any run of failures imposes on an attempt, the right password's included. */
export const MAX_LOGIN_DELAY_MS = 60_000;

/** A run of failures is forgotten this long after its latest failure. */
export const FORGET_FAILURES_AFTER_MS = 15 * 60_000;

export interface DelayRule {
  /** Failures that cost nothing (typing mistakes); the next one starts the delay. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  firstDelayMs: number;
}

export const ACCOUNT_RULE: DelayRule = { freeFailures: 4, firstDelayMs: 1_000 };

/** Consecutive failures of one account or one address, and when the latest happened (ms since the epoch). */
export interface FailureRun {
  failures: number;
  lastFailureAt: number;
}

/** The wait imposed after `failures` failures: none for the free ones, then doubling, never above a minute. */
export function delayAfter(failures: number, rule: DelayRule): number {
  const beyond = Math.floor(failures) - rule.freeFailures;
  if (!(beyond > 0)) return 0;
  // Past 2^20 the doubling has long reached the cap; stopping there keeps the power finite.
  return Math.min(MAX_LOGIN_DELAY_MS, rule.firstDelayMs * 2 ** Math.min(beyond - 1, 20));
}

/** Whether the run still counts at `now`, or has been forgotten. */
function isCurrent(run: FailureRun | undefined, now: number): run is FailureRun {
  return !!run && now - run.lastFailureAt < FORGET_FAILURES_AFTER_MS;
}

/** How much longer an attempt arriving at `now` waits before it is checked: 0 to MAX_LOGIN_DELAY_MS. */
export function remainingWait(run: FailureRun | undefined, now: number, rule: DelayRule): number {
  if (!isCurrent(run, now)) return 0;
  const until = run.lastFailureAt + delayAfter(run.failures, rule);
  return Math.min(MAX_LOGIN_DELAY_MS, Math.max(0, until - Math.max(now, run.lastFailureAt)));
}

/** The run after a failure at `now`: one failure more, or a fresh run once the last one was forgotten. */
export function withFailure(run: FailureRun | undefined, now: number): FailureRun {
  if (!isCurrent(run, now)) return { failures: 1, lastFailureAt: now };
  return { failures: run.failures + 1, lastFailureAt: Math.max(now, run.lastFailureAt) };
}
