import { eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { loginFailures } from '../../db/schema/index.js';
import {
  ACCOUNT_RULE,
  FORGET_FAILURES_AFTER_MS,
  remainingWait,
  withFailure,
  type DelayRule,
  type FailureRun,
} from '../../domain/login-delay.js';

/** Time as the throttle sees it; tests pass one that moves only when told. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** Attempts one address may have waiting at once, and attempts one address may have waiting per account. */
const WAITING_PER_ADDRESS = 5;
const WAITING_PER_ADDRESS_AND_ACCOUNT = 1;
/** Addresses remembered at most; the oldest run is dropped first. */
const ADDRESSES_KEPT = 50_000;

export type Turn = 'go' | 'busy' | 'closing';

/**
 * A growing delay per account and per address instead of a lock. An attempt that arrives during a delay is
 * held, not refused, and is checked when the delay it met runs out (at most a minute), so an attacker who keeps
 * failing cannot keep the right password out: they only slow themselves. Account runs live in the database (any
 * address typed in, so they say nothing about which accounts exist); address runs in memory, as the rate
 * limiter's were. Only failures count: a successful log-in costs its address nothing.
 */
export class LoginThrottle {
  private readonly addresses = new Map<string, FailureRun>();
  private readonly waiting = new Map<string, number>();
  private readonly closing = new AbortController();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly addressRule: DelayRule,
  ) {}

  /** Holds the attempt for whatever delay its account or address is under; 'busy' when too many already wait. */
  async waitTurn(email: string, address: string): Promise<Turn> {
    const now = this.clock.now();
    const wait = Math.max(
      remainingWait(this.accountRun(email), now, ACCOUNT_RULE),
      remainingWait(this.addresses.get(address), now, this.addressRule),
    );
    if (wait === 0) return 'go';
    const keys = [`a:${address}`, `aa:${address}\n${email}`];
    if (
      (this.waiting.get(keys[0]!) ?? 0) >= WAITING_PER_ADDRESS ||
      (this.waiting.get(keys[1]!) ?? 0) >= WAITING_PER_ADDRESS_AND_ACCOUNT
    )
      return 'busy';
    for (const key of keys) this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
    try {
      await this.clock.sleep(wait, this.closing.signal);
    } finally {
      for (const key of keys) {
        const left = this.waiting.get(key)! - 1;
        if (left > 0) this.waiting.set(key, left);
        else this.waiting.delete(key);
      }
    }
    return this.closing.signal.aborted ? 'closing' : 'go';
  }

  recordFailure(email: string, address: string): void {
    const now = this.clock.now();
    this.rememberAddress(address, withFailure(this.addresses.get(address), now));
    if (!email) return;
    const run = withFailure(this.accountRun(email), now);
    const set = {
      failures: run.failures,
      lastFailureAt: run.lastFailureAt,
      ...(run.failures === 1 ? { firstFailureAt: now } : {}),
    };
    this.db
      .insert(loginFailures)
      .values({ email, firstFailureAt: now, ...set })
      .onConflictDoUpdate({ target: loginFailures.email, set })
      .run();
    this.db
      .delete(loginFailures)
      .where(lt(loginFailures.lastFailureAt, now - FORGET_FAILURES_AFTER_MS))
      .run();
  }

  /** The right password ends the account's run; the address's stays, so a valid account can't wash it. */
  recordSuccess(email: string): void {
    this.db.delete(loginFailures).where(eq(loginFailures.email, email)).run();
  }

  /** Lets every held attempt go (answered 503) so the server can shut down. */
  close(): void {
    this.closing.abort();
  }

  private accountRun(email: string): FailureRun | undefined {
    if (!email) return undefined;
    return this.db
      .select({ failures: loginFailures.failures, lastFailureAt: loginFailures.lastFailureAt })
      .from(loginFailures)
      .where(eq(loginFailures.email, email))
      .get();
  }

  private rememberAddress(address: string, run: FailureRun): void {
    this.addresses.delete(address);
    this.addresses.set(address, run);
    const forgetBefore = run.lastFailureAt - FORGET_FAILURES_AFTER_MS;
    for (const [key, old] of this.addresses) {
      if (this.addresses.size <= ADDRESSES_KEPT && old.lastFailureAt >= forgetBefore) break;
      this.addresses.delete(key);
    }
  }
}
