import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import { caEvidence, controls, populationItems, populations, samples } from '../../db/schema/index.js';

export type PopulationRow = typeof populations.$inferSelect;
export type ControlRow = typeof controls.$inferSelect;
export type PopulationItemRow = typeof populationItems.$inferSelect;

const controlOfEngagement = preparedQuery((db) =>
  db
    .select()
    .from(controls)
    .where(
      and(eq(controls.id, sql.placeholder('controlId')), eq(controls.engagementId, sql.placeholder('engagementId'))),
    )
    .prepare(),
);

export function findControl(db: Tx, engagementId: number, controlId: number): ControlRow | undefined {
  return controlOfEngagement(db).get({ engagementId, controlId });
}

export function findPopulation(db: Tx, engagementId: number, populationId: number): PopulationRow | undefined {
  return db
    .select()
    .from(populations)
    .where(and(eq(populations.id, populationId), eq(populations.engagementId, engagementId)))
    .get();
}

/** Every population of a control, newest first, replaced ones included for the history. */
export function populationsOfControl(db: Tx, controlId: number): PopulationRow[] {
  return db.select().from(populations).where(eq(populations.controlId, controlId)).orderBy(desc(populations.id)).all();
}

/** The live (draft or frozen) populations of a control, one per window. */
const livePopulationsOfControl = preparedQuery((db) =>
  db
    .select()
    .from(populations)
    .where(and(eq(populations.controlId, sql.placeholder('controlId')), ne(populations.status, 'replaced')))
    .orderBy(asc(populations.windowStart), asc(populations.id))
    .prepare(),
);

export function livePopulations(db: Tx, controlId: number): PopulationRow[] {
  return livePopulationsOfControl(db).all({ controlId });
}

export function issueRows(db: Tx, populationId: number, limit?: number): PopulationItemRow[] {
  const query = db
    .select()
    .from(populationItems)
    .where(and(eq(populationItems.populationId, populationId), ne(populationItems.issues, '')))
    .orderBy(asc(populationItems.rowNumber));
  return limit === undefined ? query.all() : query.limit(limit).all();
}

/** Counts of each kind of issue, for the summary above the list. */
export function issueCounts(db: Tx, populationId: number): Record<string, number> {
  const rows = db
    .select({ issues: populationItems.issues, n: sql<number>`count(*)` })
    .from(populationItems)
    .where(and(eq(populationItems.populationId, populationId), ne(populationItems.issues, '')))
    .groupBy(populationItems.issues)
    .all();
  const counts: Record<string, number> = {};
  for (const { issues, n } of rows) for (const kind of issues.split(',')) counts[kind] = (counts[kind] ?? 0) + n;
  return counts;
}

export function firstItems(db: Tx, populationId: number, limit: number): PopulationItemRow[] {
  return db
    .select()
    .from(populationItems)
    .where(eq(populationItems.populationId, populationId))
    .orderBy(asc(populationItems.rowNumber))
    .limit(limit)
    .all();
}

export function itemsByKeys(db: Tx, populationId: number, keys: readonly string[]): PopulationItemRow[] {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(populationItems)
    .where(
      and(
        eq(populationItems.populationId, populationId),
        isNotNull(populationItems.position),
        inArray(populationItems.key, [...keys]),
      ),
    )
    .all();
}

const caOfPopulation = preparedQuery((db) =>
  db
    .select()
    .from(caEvidence)
    .where(eq(caEvidence.populationId, sql.placeholder('populationId')))
    .prepare(),
);

export function caOf(db: Tx, populationId: number) {
  return caOfPopulation(db).get({ populationId });
}

/** The sample drawn from the population, if any, for its page (sampling/ owns samples; this only reads one). */
export function activeSampleOfPopulation(db: Tx, populationId: number): typeof samples.$inferSelect | undefined {
  return db
    .select()
    .from(samples)
    .where(and(eq(samples.populationId, populationId), eq(samples.status, 'active')))
    .get();
}
