import { randomUUID } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { controlImports, controlMappings, controls } from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import { matrixFieldsOf, type ControlDraft } from '../../domain/matrix-rows.js';
import { recordWrite } from '../../core/audit/record.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { replaceMappings, type EngagementScope } from '../criteria/index.js';
import { insertControl, planLines, updateControlRow, writeTestPlan } from '../controls/index.js';
import { canCommit, previewImport, type ImportPreview, type PreviewRow } from './preview.js';

/** An upload nobody confirmed within a day is dropped. */
const PENDING_HOURS = 24;

export function savePendingImport(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  fileName: string,
  table: string[][],
): string {
  const id = randomUUID();
  db.transaction((tx) => {
    const stale = new Date(Date.now() - PENDING_HOURS * 3_600_000).toISOString();
    tx.delete(controlImports).where(lt(controlImports.createdAt, stale)).run();
    tx.insert(controlImports)
      .values({ id, engagementId, userId: actor.id, fileName, table, createdAt: new Date().toISOString() })
      .run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'control-import',
      entityId: id,
      action: 'upload',
      changes: { fileName: [null, fileName], rows: [null, table.length] },
    });
  });
  return id;
}

/** A pending import is seen only by the person who uploaded it, and only in its engagement. */
export function getPendingImport(db: Tx, engagementId: number, userId: number, id: string) {
  return db
    .select()
    .from(controlImports)
    .where(
      and(eq(controlImports.id, id), eq(controlImports.engagementId, engagementId), eq(controlImports.userId, userId)),
    )
    .get();
}

export function discardPendingImport(db: Db, actor: CurrentUser, engagementId: number, id: string): boolean {
  return db.transaction((tx) => {
    const pending = getPendingImport(tx, engagementId, actor.id, id);
    if (!pending) return false;
    tx.delete(controlImports).where(eq(controlImports.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'control-import',
      entityId: id,
      action: 'discard',
      changes: { fileName: [pending.fileName, null] },
    });
    return true;
  });
}

export type CommitResult = { ok: true; counts: ImportPreview['counts'] } | { ok: false; preview: ImportPreview | null };

/** Writes every row or none: the file is read again against the matrix as it is now, inside the transaction. */
export function commitImport(
  db: Db,
  actor: CurrentUser,
  engagement: EngagementRow,
  scope: EngagementScope,
  id: string,
): CommitResult {
  return db.transaction((tx): CommitResult => {
    const pending = getPendingImport(tx, engagement.id, actor.id, id);
    if (!pending) return { ok: false, preview: null };
    const preview = previewImport(tx, engagement.id, scope.resolve, pending.table);
    if (!canCommit(preview)) return { ok: false, preview };
    for (const row of preview.rows) writeRow(tx, actor, engagement, scope, row);
    tx.delete(controlImports).where(eq(controlImports.id, id)).run();
    const { create, update, unchanged } = preview.counts;
    appendAudit(tx, actor.id, {
      engagementId: engagement.id,
      entity: 'control-import',
      entityId: id,
      action: 'confirm',
      changes: {
        fileName: [null, pending.fileName],
        created: [null, create],
        updated: [null, update],
        unchanged: [null, unchanged],
      },
    });
    return { ok: true, counts: preview.counts };
  });
}

/** What a matrix row holds beyond the control's own columns: its criteria and its test plan, as the export writes them. */
const RELATED = ['criteria', 'procedures', 'attributes'];

function related(draft: ControlDraft): Record<string, unknown> {
  const { procedures, attributes } = planLines(draft);
  return { criteria: [...draft.criteria].sort(compareReferences), procedures, attributes };
}

function writeRow(
  tx: Tx,
  actor: CurrentUser,
  engagement: EngagementRow,
  scope: EngagementScope,
  row: PreviewRow,
): void {
  const draft = row.result!;
  const fields = matrixFieldsOf(draft);
  if (row.action === 'unchanged') return;
  if (row.action === 'create') {
    const control = insertControl(tx, engagement.id, { ...fields, implementedFrom: engagement.periodStart });
    replaceMappings(tx, controlMappings, control.id, draft.criteria, scope);
    writeTestPlan(tx, control.id, draft);
    recordWrite(tx, actor.id, {
      table: controls,
      entity: 'control',
      entityId: control.id,
      engagementId: engagement.id,
      before: null,
      after: control,
      action: 'import-create',
      also: diff(null, related(draft), RELATED),
    });
    return;
  }
  const existing = row.existing!;
  const after = updateControlRow(tx, existing.control.id, fields);
  // Rows are rewritten only when they changed, so later work keyed to them (test results) is left alone.
  if (row.changes.includes('criteria'))
    replaceMappings(tx, controlMappings, existing.control.id, draft.criteria, scope);
  if (row.changes.includes('procedures') || row.changes.includes('attributes'))
    writeTestPlan(tx, existing.control.id, draft);
  const also = diff(related(existing.draft), related(draft), RELATED);
  recordWrite(tx, actor.id, {
    table: controls,
    entity: 'control',
    entityId: existing.control.id,
    engagementId: engagement.id,
    before: existing.control,
    after,
    action: 'import-update',
    also,
  });
}
