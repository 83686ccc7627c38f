import type { Clock } from '../../src/features/auth/login-throttle.js';

interface Timer {
  at: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told. With `autoAdvance` a sleep jumps the clock to its end at once (a test of
 * sequential requests never waits); without, sleeps stay pending until `advance` passes their end.
 */
export class FakeClock implements Clock {
  time = Date.parse('2026-03-02T09:00:00Z');
  autoAdvance = true;
  /** Every sleep asked for, in ms, in order. */
  readonly slept: number[] = [];
  private readonly timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.slept.push(ms);
    if (this.autoAdvance) {
      this.time += ms;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.timers.push({ at: this.time + ms, resolve });
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.time)) {
      this.timers.splice(this.timers.indexOf(timer), 1);
      timer.resolve();
    }
  }

  /** Resolves once `n` sleeps are pending (requests in flight reach their sleep a few ticks later). */
  async untilPending(n: number): Promise<void> {
    for (let i = 0; i < 2000 && this.timers.length < n; i++) await new Promise((r) => setTimeout(r, 1));
    if (this.timers.length < n) throw new Error(`expected ${n} pending sleeps, have ${this.timers.length}`);
  }
}
