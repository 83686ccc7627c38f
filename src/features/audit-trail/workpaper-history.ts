import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import {
  auditEntries,
  evidenceFiles,
  exceptionRecords,
  reviewNotes,
  signoffs,
  testedItems,
  testResults,
  users,
} from '../../db/schema/index.js';

/**
 * Everything recorded about one workpaper: the workpaper itself and each thing hanging off it (cells, item
 * notes, exceptions, evidence, sign-offs, review notes), newest first.
 */
export function workpaperHistory(db: Tx, engagementId: number, workpaperId: number, limit = 500) {
  const idsOf = (rows: { id: number }[]) => rows.map((r) => String(r.id));
  const related: [string, string[]][] = [
    ['workpaper', [String(workpaperId)]],
    [
      'test-result',
      idsOf(db.select({ id: testResults.id }).from(testResults).where(eq(testResults.workpaperId, workpaperId)).all()),
    ],
    [
      'tested-item',
      idsOf(
        db
          .select({ id: testedItems.sampleItemId })
          .from(testedItems)
          .where(eq(testedItems.workpaperId, workpaperId))
          .all(),
      ),
    ],
    [
      'exception',
      idsOf(
        db
          .select({ id: exceptionRecords.id })
          .from(exceptionRecords)
          .where(eq(exceptionRecords.workpaperId, workpaperId))
          .all(),
      ),
    ],
    [
      'evidence',
      idsOf(
        db.select({ id: evidenceFiles.id }).from(evidenceFiles).where(eq(evidenceFiles.workpaperId, workpaperId)).all(),
      ),
    ],
    [
      'signoff',
      idsOf(db.select({ id: signoffs.id }).from(signoffs).where(eq(signoffs.workpaperId, workpaperId)).all()),
    ],
    [
      'review-note',
      idsOf(db.select({ id: reviewNotes.id }).from(reviewNotes).where(eq(reviewNotes.workpaperId, workpaperId)).all()),
    ],
  ];
  const conditions = related
    .filter(([, ids]) => ids.length > 0)
    .map(([entity, ids]) => and(eq(auditEntries.entity, entity), inArray(auditEntries.entityId, ids)));
  return db
    .select({ entry: auditEntries, user: users.name })
    .from(auditEntries)
    .leftJoin(users, eq(users.id, auditEntries.userId))
    .where(and(eq(auditEntries.engagementId, engagementId), or(...conditions)))
    .orderBy(desc(auditEntries.id))
    .limit(limit)
    .all();
}
