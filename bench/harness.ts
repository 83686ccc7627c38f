// Shared shape of a benchmark figure: measured beside its baseline in the same run, with the goal it serves.
import os from 'node:os';

export interface Figure {
  benchmark: string;
  name: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run (null for absolute goals). */
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  goal: string;
  met: boolean;
  /** Shown for comparison with a goal-bearing figure; it has no goal of its own. */
  informational?: boolean;
}

export const verdict = (f: Figure) => (f.informational ? 'for comparison' : f.met ? 'met' : '**missed**');

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Figure[]>;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Median of several runs: one slow run on a shared machine should not decide a figure. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timeIt(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));
