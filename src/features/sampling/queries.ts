import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import { populationItems, sampleItems, samples } from '../../db/schema/index.js';

export type SampleRow = typeof samples.$inferSelect;

export function findSample(db: Tx, engagementId: number, sampleId: number): SampleRow | undefined {
  return db.select().from(samples).where(and(eq(samples.id, sampleId), eq(samples.engagementId, engagementId))).get();
}

const samplesOfControlQuery = preparedQuery((db) => db.select().from(samples).where(eq(samples.controlId, sql.placeholder('controlId'))).orderBy(desc(samples.id)).prepare());

export function samplesOfControl(db: Tx, controlId: number): SampleRow[] {
  return samplesOfControlQuery(db).all({ controlId });
}

export function activeSampleOf(db: Tx, populationId: number): SampleRow | undefined {
  return db.select().from(samples).where(and(eq(samples.populationId, populationId), eq(samples.status, 'active'))).get();
}

export interface SampledItem {
  sampleItemId: number;
  sequence: number;
  extensionRound: number;
  reason: string | null;
  itemId: number;
  position: number;
  rowNumber: number;
  key: string;
  itemDate: string | null;
  itemEnd: string | null;
  description: string;
  amount: string | null;
  partial: boolean;
}

export function itemsOfSample(db: Tx, sampleId: number): SampledItem[] {
  return db
    .select({
      sampleItemId: sampleItems.id,
      sequence: sampleItems.sequence,
      extensionRound: sampleItems.extensionRound,
      reason: sampleItems.reason,
      itemId: populationItems.id,
      position: populationItems.position,
      rowNumber: populationItems.rowNumber,
      key: populationItems.key,
      itemDate: populationItems.itemDate,
      itemEnd: populationItems.itemEnd,
      description: populationItems.description,
      amount: populationItems.amount,
      partial: populationItems.partial,
    })
    .from(sampleItems)
    .innerJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(eq(sampleItems.sampleId, sampleId))
    .orderBy(asc(sampleItems.sequence))
    .all() as SampledItem[];
}
