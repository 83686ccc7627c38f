import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type Database from 'better-sqlite3';
import type { Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import {
  controls,
  evidenceFiles,
  exceptionRecords,
  populationItems,
  sampleItems,
  testAttributes,
  testedItems,
  testResults,
  workpaperOverrides,
  workpapers,
  exceptionAnomalies,
} from '../../db/schema/index.js';

export type WorkpaperRow = typeof workpapers.$inferSelect;
export type TestResultRow = typeof testResults.$inferSelect;
export type TestedItemRow = typeof testedItems.$inferSelect;
export type ExceptionRow = typeof exceptionRecords.$inferSelect;
export type EvidenceRow = typeof evidenceFiles.$inferSelect;
export type OverrideRow = typeof workpaperOverrides.$inferSelect;
export type AnomalyRow = typeof exceptionAnomalies.$inferSelect;

/** A workpaper's anomaly proposals, oldest first, whatever became of them. */
export function anomaliesOf(db: Tx, workpaperId: number): AnomalyRow[] {
  return db
    .select()
    .from(exceptionAnomalies)
    .where(eq(exceptionAnomalies.workpaperId, workpaperId))
    .orderBy(asc(exceptionAnomalies.id))
    .all();
}

export function findAnomaly(db: Tx, workpaperId: number, anomalyId: number): AnomalyRow | undefined {
  return db
    .select()
    .from(exceptionAnomalies)
    .where(and(eq(exceptionAnomalies.id, anomalyId), eq(exceptionAnomalies.workpaperId, workpaperId)))
    .get();
}

export function exceptionById(db: Tx, exceptionId: number): ExceptionRow | undefined {
  return db.select().from(exceptionRecords).where(eq(exceptionRecords.id, exceptionId)).get();
}

/** A workpaper's override requests, oldest first, whatever became of them. */
export function overridesOf(db: Tx, workpaperId: number): OverrideRow[] {
  return db
    .select()
    .from(workpaperOverrides)
    .where(eq(workpaperOverrides.workpaperId, workpaperId))
    .orderBy(asc(workpaperOverrides.id))
    .all();
}

export function findOverride(db: Tx, workpaperId: number, overrideId: number): OverrideRow | undefined {
  return db
    .select()
    .from(workpaperOverrides)
    .where(and(eq(workpaperOverrides.id, overrideId), eq(workpaperOverrides.workpaperId, workpaperId)))
    .get();
}

export interface AttributeRow {
  letter: string;
  text: string;
}

const workpaperOfPopulationQuery = preparedQuery((db) =>
  db
    .select()
    .from(workpapers)
    .where(eq(workpapers.populationId, sql.placeholder('populationId')))
    .prepare(),
);

export function workpaperOfPopulation(db: Tx, populationId: number): WorkpaperRow | undefined {
  return workpaperOfPopulationQuery(db).get({ populationId });
}

const attributesOfControl = preparedQuery((db) =>
  db
    .select({ letter: testAttributes.letter, text: testAttributes.text })
    .from(testAttributes)
    .where(eq(testAttributes.controlId, sql.placeholder('controlId')))
    .orderBy(asc(testAttributes.letter))
    .prepare(),
);

export function attributesOf(db: Tx, controlId: number): AttributeRow[] {
  return attributesOfControl(db).all({ controlId });
}

/** Every cell of a workpaper. Plain SQL: a grid has hundreds of cells and mapping them through the query
 * builder cost more than reading them. */
export function resultsOf(db: Tx, workpaperId: number): TestResultRow[] {
  return db.all<TestResultRow>(
    sql`SELECT ${sql.raw(RESULT_COLUMNS)} FROM test_results WHERE workpaper_id = ${workpaperId}`,
  );
}

export function resultOf(db: Tx, sampleItemId: number, attribute: string): TestResultRow | undefined {
  return db
    .select()
    .from(testResults)
    .where(and(eq(testResults.sampleItemId, sampleItemId), eq(testResults.attribute, attribute)))
    .get();
}

const testedItemsOfWorkpaper = preparedQuery((db) =>
  db
    .select()
    .from(testedItems)
    .where(eq(testedItems.workpaperId, sql.placeholder('workpaperId')))
    .prepare(),
);

export function testedItemsOf(db: Tx, workpaperId: number): TestedItemRow[] {
  return testedItemsOfWorkpaper(db).all({ workpaperId });
}

export function testedItemOf(db: Tx, sampleItemId: number): TestedItemRow | undefined {
  return db.select().from(testedItems).where(eq(testedItems.sampleItemId, sampleItemId)).get();
}

const exceptionsOfWorkpaper = preparedQuery((db) =>
  db
    .select()
    .from(exceptionRecords)
    .where(eq(exceptionRecords.workpaperId, sql.placeholder('workpaperId')))
    .prepare(),
);

export function exceptionsOf(db: Tx, workpaperId: number): ExceptionRow[] {
  return exceptionsOfWorkpaper(db).all({ workpaperId });
}

export function exceptionOf(db: Tx, sampleItemId: number, attribute: string): ExceptionRow | undefined {
  return db
    .select()
    .from(exceptionRecords)
    .where(and(eq(exceptionRecords.sampleItemId, sampleItemId), eq(exceptionRecords.attribute, attribute)))
    .get();
}

const evidenceOfWorkpaper = preparedQuery((db) =>
  db
    .select()
    .from(evidenceFiles)
    .where(eq(evidenceFiles.workpaperId, sql.placeholder('workpaperId')))
    .orderBy(asc(evidenceFiles.id))
    .prepare(),
);

export function evidenceOf(db: Tx, workpaperId: number): EvidenceRow[] {
  return evidenceOfWorkpaper(db).all({ workpaperId });
}

export function evidenceFile(db: Tx, engagementId: number, evidenceId: number): EvidenceRow | undefined {
  return db
    .select()
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.id, evidenceId), eq(evidenceFiles.engagementId, engagementId)))
    .get();
}

export function evidenceUsingContent(db: Tx, sha256: string): number {
  return db.select({ n: sql<number>`count(*)` }).from(evidenceFiles).where(eq(evidenceFiles.sha256, sha256)).get()!.n;
}

/** The key of a sampled item, for messages and the trail. */
export function sampledItemKey(db: Tx, sampleItemId: number): { sampleId: number; key: string } | undefined {
  return db
    .select({ sampleId: sampleItems.sampleId, key: populationItems.key })
    .from(sampleItems)
    .innerJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(eq(sampleItems.id, sampleItemId))
    .get();
}

/** Other controls of the engagement, for the compensating-control choice. */
export function controlChoices(db: Tx, engagementId: number): { id: number; reference: string; description: string }[] {
  return db
    .select({ id: controls.id, reference: controls.reference, description: controls.description })
    .from(controls)
    .where(eq(controls.engagementId, engagementId))
    .all();
}

export interface RegisterFilters {
  control: number | null;
  status?: 'open' | 'resolved';
  nature?: 'isolated' | 'systemic' | 'unassessed';
}

/** Exception records whose cell is still marked as an exception, with where they sit, for the engagement's register. */
export function exceptionRegister(db: Tx, engagementId: number, f: RegisterFilters) {
  const compensating = alias(controls, 'compensating');
  const conditions = [eq(exceptionRecords.engagementId, engagementId), eq(testResults.result, 'exception')];
  if (f.control !== null) conditions.push(eq(workpapers.controlId, f.control));
  if (f.status) conditions.push(eq(exceptionRecords.status, f.status));
  if (f.nature)
    conditions.push(
      f.nature === 'unassessed' ? isNull(exceptionRecords.nature) : eq(exceptionRecords.nature, f.nature),
    );
  return db
    .select({
      record: exceptionRecords,
      controlId: controls.id,
      reference: controls.reference,
      populationId: workpapers.populationId,
      itemKey: populationItems.key,
      compensatingReference: compensating.reference,
    })
    .from(exceptionRecords)
    .innerJoin(
      testResults,
      and(
        eq(testResults.sampleItemId, exceptionRecords.sampleItemId),
        eq(testResults.attribute, exceptionRecords.attribute),
      ),
    )
    .innerJoin(workpapers, eq(workpapers.id, exceptionRecords.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .innerJoin(sampleItems, eq(sampleItems.id, exceptionRecords.sampleItemId))
    .innerJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .leftJoin(compensating, eq(compensating.id, exceptionRecords.compensatingControlId))
    .where(and(...conditions))
    .orderBy(asc(controls.reference), asc(sampleItems.sequence), asc(exceptionRecords.attribute))
    .all();
}

// The grid's hot path: a mark is saved on every key press. Its statements are compiled once per connection and
// run directly on better-sqlite3: drizzle's query building and result mapping cost several times the writes
// themselves (bench/workpaper.ts measures the difference). Columns are aliased to the drizzle row's names.
const RESULT_COLUMNS =
  'id, workpaper_id AS workpaperId, sample_item_id AS sampleItemId, attribute, result, na_reason AS naReason, version, updated_by AS updatedBy, updated_at AS updatedAt';

function prepareCellStatements(sqlite: Database.Database) {
  return {
    itemKey: sqlite.prepare<[number], { sampleId: number; key: string; replacedBy: string | null }>(
      `SELECT si.sample_id AS sampleId, pi.key AS key,
         (SELECT rp.key FROM sample_items r JOIN population_items rp ON rp.id = r.population_item_id WHERE r.replaces_item_id = si.id) AS replacedBy
       FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.id = ?`,
    ),
    result: sqlite.prepare<[number, string], TestResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM test_results WHERE sample_item_id = ? AND attribute = ?`,
    ),
    workpaperId: sqlite.prepare<[number], { id: number; engagementId: number }>(
      'SELECT id, engagement_id AS engagementId FROM workpapers WHERE population_id = ?',
    ),
    insertResult: sqlite.prepare<
      [
        workpaperId: number,
        item: number,
        attribute: string,
        result: string | null,
        naReason: string,
        by: number,
        at: string,
      ]
    >(
      'INSERT INTO test_results (workpaper_id, sample_item_id, attribute, result, na_reason, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
    ),
    updateResult: sqlite.prepare<
      [result: string | null, naReason: string, version: number, by: number, at: string, id: number]
    >('UPDATE test_results SET result = ?, na_reason = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?'),
    markChanged: sqlite.prepare<[by: number, at: string, id: number]>(
      'UPDATE workpapers SET changed_by = ?, changed_at = ? WHERE id = ?',
    ),
  };
}

export type CellStatements = ReturnType<typeof prepareCellStatements>;
const prepared = new WeakMap<Database.Database, CellStatements>();

export function cellStatements(sqlite: Database.Database): CellStatements {
  let statements = prepared.get(sqlite);
  if (!statements) {
    statements = prepareCellStatements(sqlite);
    prepared.set(sqlite, statements);
  }
  return statements;
}
