// A sample of a million items must not hold up everyone else: the frame is hashed and its dates read a step
// at a time, yielding to the event loop between steps, before the short transaction that freezes and draws.
import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameDates, frameHash } from '../../../src/features/populations/frame.js';
import { findPopulation } from '../../../src/features/populations/queries.js';
import { openSampleOf } from '../../../src/features/sampling/queries.js';
import { createSample } from '../../../src/features/sampling/service.js';
import { MAX_SAMPLE_SIZE } from '../../../src/domain/sample-approval.js';
import { buildTestApp, demoEngagementId, type TestApp } from '../../helpers/app.js';
import { importedControl } from '../../helpers/workpaper-fixture.js';

const ITEMS = 120;
let t: TestApp;
let imported: Awaited<ReturnType<typeof importedControl>>;

beforeAll(async () => {
  t = await buildTestApp({ keep: true });
  imported = await importedControl(t.app.conn, t.dir, demoEngagementId(t), { rows: ITEMS });
});

/** Runs `work`, counting the turns of the event loop that other requests got while it ran. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const ticker = (async () => {
    while (running) {
      await nextTurn();
      turns++;
    }
  })();
  const result = await work();
  running = false;
  await ticker;
  return { result, turns };
}

describe('the frame, read a step at a time', () => {
  it('hashes to the same value whatever the step', async () => {
    const { sqlite } = t.app.conn;
    const whole = await frameHash(sqlite, imported.population.id, 1_000_000);
    expect(whole.count).toBe(ITEMS);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: ITEMS + 5 }), async (step) => {
        expect(await frameHash(sqlite, imported.population.id, step)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('reads every date in position order whatever the step', async () => {
    const { sqlite } = t.app.conn;
    const whole = await frameDates(sqlite, imported.population.id, 1_000_000);
    expect(whole).toHaveLength(ITEMS);
    expect([...whole].sort()).toEqual(whole);
    expect(await frameDates(sqlite, imported.population.id, 7)).toEqual(whole);
  });

  it('gives the event loop a turn after every step', async () => {
    const { sqlite } = t.app.conn;
    const { turns } = await turnsDuring(() => frameHash(sqlite, imported.population.id, 10));
    expect(turns).toBeGreaterThanOrEqual(ITEMS / 10 - 1);
  });
});

describe('a selection over a frame hashed outside its transaction', () => {
  const request = {
    method: 'random' as const,
    seed: '77',
    size: 10,
    sizing: 'table' as const,
    confidence: 0.95 as const,
    tolerableRate: null,
    expectedRate: null,
    sizeRationale: 'Ten items.',
    overrideReason: null,
    pickedKeys: [],
    selectionReason: null,
    spreadBy: 'quarter' as const,
    interimEnd: null,
  };
  const policy = { limit: MAX_SAMPLE_SIZE, role: 'senior' as const };

  it('is refused, freezing nothing, when the items are imported again while the frame is hashed', async () => {
    const { conn } = t.app;
    const { population, senior } = imported;
    const asked = createSample(conn, senior, population.engagementId, population.id, request, policy);
    // An import starting now (what runImport does first): the items the hash was reading are being replaced.
    conn.sqlite.prepare('UPDATE populations SET items_revision = items_revision + 1 WHERE id = ?').run(population.id);
    await expect(asked).rejects.toThrow(/imported again while the sample was being drawn/);
    expect(findPopulation(conn.db, population.engagementId, population.id)?.status).toBe('draft');
    expect(openSampleOf(conn.db, population.id)).toBeUndefined();
  });

  it('freezes the population with the hash of the frame it read, and draws', async () => {
    const { conn } = t.app;
    const { population, senior } = imported;
    const sample = await createSample(conn, senior, population.engagementId, population.id, request, policy);
    const frozen = findPopulation(conn.db, population.engagementId, population.id)!;
    expect(frozen.status).toBe('frozen');
    expect(frozen.contentHash).toBe((await frameHash(conn.sqlite, population.id)).hash);
    expect(sample.plannedSize).toBe(10);
  });
});
