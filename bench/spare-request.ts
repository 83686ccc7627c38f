// Long work must not hold up other users: a spare request (the log-in page) is sent every 20 ms while a
// 1,000,000-row population is imported and then while a sample is drawn from it, and its slowest answer is
// compared with the same requests on an idle app, in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/app.js';
import { findRootDir, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { MAX_SAMPLE_SIZE } from '../src/domain/sample-approval.js';
import { seedDemoIfEmpty } from '../src/features/demo/seed.js';
import { createSample } from '../src/features/sampling/service.js';
import { ticketsCsv } from '../test/helpers/factories.js';
import { importedControl } from '../test/helpers/workpaper-fixture.js';
import { round, timeIt, type Benchmark, type Figure } from './harness.js';

const ROWS = 1_000_000;
const GOAL_MS = 200;

interface Spare {
  p50: number;
  max: number;
  count: number;
}

/** Sends a spare request every 20 ms until `work` settles (a number: for that many ms of no work), timing each answer. */
async function spareRequestsDuring(send: () => Promise<unknown>, work: Promise<unknown> | number): Promise<Spare> {
  const times: number[] = [];
  let done = false;
  const finished = typeof work === 'number' ? sleep(work) : work;
  finished.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    times.push((await timeIt(send)).ms);
    await sleep(20);
  }
  await finished;
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? 0, max: times.at(-1) ?? 0, count: times.length };
}

function figure(name: string, during: Spare, idle: Spare, informational = false): Figure {
  return {
    benchmark: 'spare-request',
    name,
    value: round(during.max, 1),
    unit: 'ms',
    baseline: { name: `slowest of ${idle.count} on an idle app`, value: round(idle.max, 1) },
    ratio: round(during.max / Math.max(idle.max, 0.1)),
    goal: `≤ ${GOAL_MS} ms (p50 ${round(during.p50, 1)} ms vs ${round(idle.p50, 1)} ms idle, ${during.count} requests)`,
    met: during.max <= GOAL_MS,
    informational,
  };
}

export const spareRequest: Benchmark = {
  name: 'spare-request',
  description: `The slowest answer to a spare request while ${ROWS.toLocaleString('en-US')} rows are imported and while a sample is drawn from them, vs on an idle app`,
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-bench-spare-'));
    const conn = openDatabase(path.join(dir, 'tickmark.db'), path.join(findRootDir(), 'migrations'));
    try {
      await seedDemoIfEmpty(conn, dir);
      const env = { TICKMARK_DATA_DIR: dir, TICKMARK_SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' };
      const app = await buildApp(loadConfig(env), { connection: conn, logger: false });
      const send = () => app.inject({ method: 'GET', url: '/login' });
      for (let i = 0; i < 20; i++) await send(); // warm up
      const idle = await spareRequestsDuring(send, 3000);
      const csvFile = path.join(dir, 'tickets.csv');
      writeFileSync(csvFile, ticketsCsv(ROWS));
      const importing = importedControl(conn, dir, 1, { csvFile });
      const duringImport = await spareRequestsDuring(send, importing);
      const { senior, population } = await importing;
      const drawing = createSample(
        conn,
        senior,
        1,
        population.id,
        {
          method: 'period-spread',
          seed: '2025',
          size: 60,
          sizing: 'table',
          confidence: 0.95,
          tolerableRate: null,
          expectedRate: null,
          sizeRationale: 'Sixty items spread over the quarters.',
          overrideReason: null,
          pickedKeys: [],
          selectionReason: null,
          spreadBy: 'quarter',
          interimEnd: null,
        },
        { limit: MAX_SAMPLE_SIZE, role: 'senior' },
      );
      const duringSample = await spareRequestsDuring(send, drawing);
      await app.close();
      return [
        figure(`slowest spare request during a ${ROWS.toLocaleString('en-US')}-row import`, duringImport, idle),
        figure(
          `slowest spare request while a period-spread sample is drawn from ${ROWS.toLocaleString('en-US')} items`,
          duringSample,
          idle,
        ),
      ];
    } finally {
      conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
