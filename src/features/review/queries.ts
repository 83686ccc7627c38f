import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import {
  controls,
  evidenceFiles,
  exceptionRecords,
  populations,
  reviewNoteMessages,
  reviewNotes,
  sampleItems,
  populationItems,
  signoffs,
  testedItems,
  testResults,
  users,
  workpapers,
} from '../../db/schema/index.js';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RecordedWork, WorkKind, WorkpaperReviewFacts } from '../../domain/review.js';

export type WorkpaperRow = typeof workpapers.$inferSelect;
export type NoteRow = typeof reviewNotes.$inferSelect;

export function findWorkpaper(db: Tx, engagementId: number, workpaperId: number): WorkpaperRow | undefined {
  return db
    .select()
    .from(workpapers)
    .where(and(eq(workpapers.id, workpaperId), eq(workpapers.engagementId, engagementId)))
    .get();
}

export function workpapersOfEngagement(db: Tx, engagementId: number) {
  return db
    .select({
      workpaper: workpapers,
      reference: controls.reference,
      description: controls.description,
      windowLabel: populations.label,
    })
    .from(workpapers)
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .innerJoin(populations, eq(populations.id, workpapers.populationId))
    .where(eq(workpapers.engagementId, engagementId))
    .orderBy(asc(controls.reference), asc(populations.windowStart))
    .all();
}

export function signoffsOf(db: Tx, workpaperIds: number[]) {
  if (workpaperIds.length === 0) return [];
  return db
    .select({
      id: signoffs.id,
      workpaperId: signoffs.workpaperId,
      level: signoffs.level,
      userId: signoffs.userId,
      signedAt: signoffs.signedAt,
      name: users.name,
    })
    .from(signoffs)
    .innerJoin(users, eq(users.id, signoffs.userId))
    .where(inArray(signoffs.workpaperId, workpaperIds))
    .orderBy(asc(signoffs.signedAt))
    .all();
}

/** Workpapers with at least one recorded mark. */
export function startedWorkpapers(db: Tx, workpaperIds: number[]): Set<number> {
  if (workpaperIds.length === 0) return new Set();
  const rows = db
    .selectDistinct({ id: testResults.workpaperId })
    .from(testResults)
    .where(and(inArray(testResults.workpaperId, workpaperIds), isNotNull(testResults.result)))
    .all();
  return new Set(rows.map((r) => r.id));
}

export function reviewFacts(
  db: Tx,
  wp: WorkpaperRow,
  secondReviewRequired: boolean,
  started?: boolean,
): WorkpaperReviewFacts {
  return {
    changedAt: wp.changedAt,
    preparedBy: wp.preparedBy,
    preparedAt: wp.preparedAt,
    signoffs: signoffsOf(db, [wp.id]),
    secondReviewRequired,
    started: started ?? startedWorkpapers(db, [wp.id]).has(wp.id),
  };
}

export function openNoteCount(db: Tx, where: { workpaperId?: number; engagementId?: number }): number {
  const conditions = [ne(reviewNotes.status, 'cleared')];
  if (where.workpaperId !== undefined) conditions.push(eq(reviewNotes.workpaperId, where.workpaperId));
  if (where.engagementId !== undefined) conditions.push(eq(reviewNotes.engagementId, where.engagementId));
  return db
    .select({ n: sql<number>`count(*)` })
    .from(reviewNotes)
    .where(and(...conditions))
    .get()!.n;
}

export interface NoteFilter {
  status?: 'open' | 'cleared' | 'all';
  authorId?: number;
  controlId?: number;
  workpaperId?: number;
}

export function listNotes(db: Tx, engagementId: number, filter: NoteFilter = {}) {
  const conditions = [eq(reviewNotes.engagementId, engagementId)];
  if (filter.status === 'open') conditions.push(ne(reviewNotes.status, 'cleared'));
  if (filter.status === 'cleared') conditions.push(eq(reviewNotes.status, 'cleared'));
  if (filter.authorId) conditions.push(eq(reviewNotes.authorId, filter.authorId));
  if (filter.controlId) conditions.push(eq(workpapers.controlId, filter.controlId));
  if (filter.workpaperId) conditions.push(eq(reviewNotes.workpaperId, filter.workpaperId));
  return db
    .select({
      note: reviewNotes,
      author: users.name,
      reference: controls.reference,
      controlId: controls.id,
      itemKey: populationItems.key,
    })
    .from(reviewNotes)
    .innerJoin(workpapers, eq(workpapers.id, reviewNotes.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .innerJoin(users, eq(users.id, reviewNotes.authorId))
    .leftJoin(sampleItems, eq(sampleItems.id, reviewNotes.sampleItemId))
    .leftJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(and(...conditions))
    .orderBy(desc(reviewNotes.id))
    .all();
}

export function messagesOf(db: Tx, noteIds: number[]) {
  if (noteIds.length === 0) return [];
  return db
    .select({
      id: reviewNoteMessages.id,
      noteId: reviewNoteMessages.noteId,
      body: reviewNoteMessages.body,
      createdAt: reviewNoteMessages.createdAt,
      author: users.name,
    })
    .from(reviewNoteMessages)
    .innerJoin(users, eq(users.id, reviewNoteMessages.authorId))
    .where(inArray(reviewNoteMessages.noteId, noteIds))
    .orderBy(asc(reviewNoteMessages.id))
    .all();
}

export function findNote(db: Tx, engagementId: number, noteId: number): NoteRow | undefined {
  return db
    .select()
    .from(reviewNotes)
    .where(and(eq(reviewNotes.id, noteId), eq(reviewNotes.engagementId, engagementId)))
    .get();
}

export function controlsWithNotes(db: Tx, engagementId: number) {
  return db
    .selectDistinct({ id: controls.id, reference: controls.reference })
    .from(reviewNotes)
    .innerJoin(workpapers, eq(workpapers.id, reviewNotes.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .where(eq(reviewNotes.engagementId, engagementId))
    .orderBy(asc(controls.reference))
    .all();
}

export function userName(db: Tx, id: number | null): string | null {
  if (id === null) return null;
  return db.select({ name: users.name }).from(users).where(eq(users.id, id)).get()?.name ?? null;
}

/**
 * Who recorded what on a workpaper, from the audit trail's entries for it: its cells, exception records,
 * evidence files and item notes, and its own conclusion, wording and bulk passes. Whoever pressed "Prepared"
 * is beside the point: this is who did the work.
 */
export function workRecordedOn(db: Tx, wp: Pick<WorkpaperRow, 'id' | 'engagementId'>): RecordedWork[] {
  const e = wp.engagementId;
  const entriesOf = (entity: string, id: SQLiteColumn, workpaperId: SQLiteColumn, kind: WorkKind) =>
    sql`SELECT a.user_id, ${kind} AS kind FROM ${id.table} JOIN audit_entries a ON a.engagement_id = ${e} AND a.entity = ${entity} AND a.entity_id = CAST(${id} AS TEXT) WHERE ${workpaperId} = ${wp.id}`;
  return db.all<RecordedWork>(sql`
    SELECT user_id AS userId, kind, count(*) AS entries FROM (
      ${entriesOf('test-result', testResults.id, testResults.workpaperId, 'result')}
      UNION ALL ${entriesOf('exception', exceptionRecords.id, exceptionRecords.workpaperId, 'exception')}
      UNION ALL ${entriesOf('evidence', evidenceFiles.id, evidenceFiles.workpaperId, 'evidence')}
      UNION ALL ${entriesOf('tested-item', testedItems.sampleItemId, testedItems.workpaperId, 'item-notes')}
      UNION ALL SELECT a.user_id, CASE a.action WHEN 'pass-blank-cells' THEN 'result' ELSE 'conclusion' END FROM audit_entries a
        WHERE a.engagement_id = ${e} AND a.entity = 'workpaper' AND a.entity_id = ${String(wp.id)} AND a.action IN ('pass-blank-cells', 'conclude', 'word-result')
    ) WHERE user_id IS NOT NULL GROUP BY user_id, kind`);
}
