import { eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { sampleItems, samples, type SampleMethod } from '../../db/schema/index.js';
import { compareSelections, drawExtension, drawSample, type SelectionDesign, type VerificationDifference } from '../../domain/sample-plan.js';
import type { DateRange } from '../../domain/types.js';
import { appendAudit } from '../audit-trail/trail.js';
import type { CurrentUser } from '../auth/current-user.js';
import { frameDates, frameHash } from '../populations/frame.js';
import { findPopulation, itemsAtPositions, itemsByKeys, type PopulationRow } from '../populations/queries.js';
import { freezePopulation, PopulationRuleError } from '../populations/service.js';
import { activeSampleOf, itemsOfSample, type SampleRow } from './queries.js';

export interface SampleRequest {
  method: SampleMethod;
  seed: string;
  size: number;
  sizing: 'table' | 'statistical';
  confidence: 0.9 | 0.95;
  tolerableRate: number | null;
  expectedRate: number | null;
  sizeRationale: string;
  overrideReason: string | null;
  /** Keys typed by the auditor for haphazard and judgmental selections. */
  pickedKeys: string[];
  selectionReason: string | null;
  spreadBy: 'quarter' | 'month';
  interimEnd: string | null;
}

function designOf(req: { method: SampleMethod; spreadBy?: 'quarter' | 'month'; interimEnd?: string | null }, picks: number[]): SelectionDesign {
  switch (req.method) {
    case 'period-spread':
      return { method: 'period-spread', by: req.spreadBy ?? 'quarter' };
    case 'interim-split':
      return { method: 'interim-split', interimEnd: req.interimEnd! };
    case 'haphazard':
    case 'judgmental':
      return { method: req.method, picks };
    default:
      return { method: req.method };
  }
}

function window(population: PopulationRow): DateRange {
  return { start: population.windowStart, end: population.windowEnd };
}

function draw(conn: Connection, population: PopulationRow, method: SampleMethod, seed: string, size: number, design: Record<string, unknown> | null, picks: number[]) {
  const needsDates = method === 'period-spread' || method === 'interim-split';
  const dates = needsDates ? frameDates(conn.sqlite, population.id) : [];
  return drawSample({
    design: designOf({ method, spreadBy: design?.spreadBy as 'quarter' | 'month', interimEnd: design?.interimEnd as string | null }, picks),
    populationSize: population.sampleableCount,
    sampleSize: size,
    seed,
    period: window(population),
    dateOf: (p) => dates[p] ?? null,
  });
}

/** Freezes the population and records the selection, its design and every selected item, in one transaction. */
export function createSample(conn: Connection, actor: CurrentUser, engagementId: number, populationId: number, req: SampleRequest): SampleRow {
  return conn.db.transaction((tx) => {
    const current = findPopulation(tx, engagementId, populationId);
    if (!current || current.status === 'replaced' || current.status === 'importing') throw new PopulationRuleError('This population cannot be sampled.');
    if (activeSampleOf(tx, populationId)) throw new PopulationRuleError('This population already has a selection. Replace the population to select again.');
    if (req.method === 'interim-split' && (!req.interimEnd || req.interimEnd < current.windowStart || req.interimEnd >= current.windowEnd)) {
      throw new PopulationRuleError(`The interim window must end between ${current.windowStart} and the day before ${current.windowEnd}.`);
    }
    const population = freezePopulation({ ...conn, db: tx } as Connection, actor.id, current);
    let picks: number[] = [];
    if (req.method === 'haphazard' || req.method === 'judgmental') {
      const found = itemsByKeys(tx, populationId, req.pickedKeys);
      const missing = req.pickedKeys.filter((k) => !found.some((f) => f.key === k));
      if (missing.length > 0) throw new PopulationRuleError(`Not in the sampleable population: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''}`);
      const byKey = new Map(found.map((f) => [f.key, f.position!]));
      picks = req.pickedKeys.map((k) => byKey.get(k)!);
    }
    const design = { spreadBy: req.spreadBy, interimEnd: req.interimEnd };
    const result = draw(conn, population, req.method, req.seed, req.size, design, picks);
    const sample = tx
      .insert(samples)
      .values({
        engagementId,
        controlId: population.controlId,
        populationId,
        method: req.method,
        seed: req.seed,
        populationSize: population.sampleableCount,
        populationHash: population.contentHash!,
        plannedSize: result.positions.length,
        sizing: req.sizing,
        confidence: Math.round(req.confidence * 100),
        tolerableRate: req.tolerableRate === null ? null : String(req.tolerableRate),
        expectedRate: req.expectedRate === null ? null : String(req.expectedRate),
        sizeRationale: req.sizeRationale,
        overrideReason: req.overrideReason,
        selectionReason: req.selectionReason,
        design: { ...design, strata: result.strata ?? null },
        createdAt: new Date().toISOString(),
        createdBy: actor.id,
      })
      .returning()
      .get();
    insertSampleItems(tx, sample.id, populationId, result.positions, 0, 0);
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'select',
      changes: { method: [null, req.method], seed: [null, req.seed], size: [null, result.positions.length], populationHash: [null, population.contentHash], overrideReason: [null, req.overrideReason] },
    });
    return sample;
  });
}

function insertSampleItems(tx: Connection['db'], sampleId: number, populationId: number, positions: number[], firstSequence: number, round: number): void {
  const items = itemsAtPositions(tx, populationId, positions);
  const rows = positions.map((p, i) => ({ sampleId, populationItemId: items.get(p)!.id, sequence: firstSequence + i, extensionRound: round }));
  for (let i = 0; i < rows.length; i += 500) tx.insert(sampleItems).values(rows.slice(i, i + 500)).run();
}

/** Draws `additional` items after a deviation, continuing the same seeded sequence. */
export function extendSample(conn: Connection, actor: CurrentUser, sample: SampleRow, additional: number): number {
  return conn.db.transaction((tx) => {
    if (sample.status !== 'active') throw new PopulationRuleError('This selection was discarded.');
    const existing = itemsOfSample(tx, sample.id);
    const round = Math.max(0, ...existing.map((i) => i.extensionRound)) + 1;
    const extra = drawExtension({ populationSize: sample.populationSize, seed: sample.seed!, alreadySelected: existing.map((i) => i.position), additional });
    if (extra.length === 0) throw new PopulationRuleError('Every item of the population is already in the sample.');
    insertSampleItems(tx, sample.id, sample.populationId, extra, existing.length, round);
    appendAudit(tx, actor.id, { engagementId: sample.engagementId, entity: 'sample', entityId: sample.id, action: 'extend', changes: { size: [existing.length, existing.length + extra.length], extensionRound: [round - 1, round] } });
    return extra.length;
  });
}

export interface Verification {
  hashMatches: boolean;
  recordedHash: string;
  currentHash: string;
  differences: VerificationDifference[];
  itemsChecked: number;
}

/** Recomputes the population hash and the selection (with its extensions) from the seed, and compares. */
export function verifySample(conn: Connection, sample: SampleRow): Verification {
  const population = findPopulation(conn.db, sample.engagementId, sample.populationId)!;
  const { hash } = frameHash(conn.sqlite, population.id);
  const recorded = itemsOfSample(conn.db, sample.id);
  const planned = recorded.filter((i) => i.extensionRound === 0);
  const picks = sample.method === 'haphazard' || sample.method === 'judgmental' ? planned.map((i) => i.position) : [];
  const first = draw(conn, population, sample.method, sample.seed!, sample.plannedSize, sample.design, picks).positions;
  const recomputed = [...first];
  const rounds = [...new Set(recorded.map((i) => i.extensionRound))].filter((r) => r > 0).sort((a, b) => a - b);
  for (const round of rounds) {
    const additional = recorded.filter((i) => i.extensionRound === round).length;
    recomputed.push(...drawExtension({ populationSize: sample.populationSize, seed: sample.seed!, alreadySelected: recomputed, additional }));
  }
  return {
    hashMatches: hash === sample.populationHash,
    recordedHash: sample.populationHash,
    currentHash: hash,
    differences: compareSelections(recorded.map((i) => i.position), recomputed),
    itemsChecked: recorded.length,
  };
}

export function discardSample(conn: Connection, actor: CurrentUser, sample: SampleRow, reason: string): void {
  conn.db.transaction((tx) => {
    tx.update(samples).set({ status: 'discarded', discardedReason: reason }).where(eq(samples.id, sample.id)).run();
    appendAudit(tx, actor.id, { engagementId: sample.engagementId, entity: 'sample', entityId: sample.id, action: 'discard', changes: { status: ['active', 'discarded'], reason: [null, reason] } });
  });
}
