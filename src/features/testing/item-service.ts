// What the auditor writes about a sampled item (evidence reference, tickmarks, notes) and its exception records.
import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import {
  exceptionRecords,
  sampleItems,
  testedItems,
  type ExceptionNature,
  type ExceptionStatus,
} from '../../db/schema/index.js';
import { changesNothing, recordWrite } from '../../core/audit/record.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { listTickmarks } from '../tickmarks/index.js';
import {
  controlChoices,
  exceptionOf,
  resultOf,
  testedItemOf,
  type ExceptionRow,
  type TestedItemRow,
} from './queries.js';
import { assertWritable, type WorkpaperScope } from './scope.js';
import { ensureWorkpaper, markChanged } from './workpaper-row.js';

function assertItemOfSample(tx: Tx, scope: WorkpaperScope, sampleItemId: number): void {
  const row = tx
    .select({ sampleId: sampleItems.sampleId })
    .from(sampleItems)
    .where(eq(sampleItems.id, sampleItemId))
    .get();
  if (!scope.sample || row?.sampleId !== scope.sample.id) throw new RuleError('That item is not in this sample.');
}

export interface ItemNotesInput {
  evidenceRef: string;
  tickmarks: string[];
  notes: string;
  version: number;
}

export function saveItemNotes(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  sampleItemId: number,
  input: ItemNotesInput,
): TestedItemRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    assertItemOfSample(tx, scope, sampleItemId);
    const before = testedItemOf(tx, sampleItemId);
    if ((before?.version ?? 0) !== input.version)
      throw new RuleError(
        'Someone else changed this item’s notes since you opened it. Their version is shown below; your text is kept in the form.',
        { status: 409 },
      );
    const legend = new Set(listTickmarks(tx, scope.engagementId).map((t) => t.symbol));
    const unknown = input.tickmarks.filter((s) => !legend.has(s));
    if (unknown.length > 0)
      throw new RuleError(`Not in the engagement's tickmark legend: ${unknown.join(', ')}`, { field: 'tickmarks' });
    const values = {
      evidenceRef: input.evidenceRef.trim(),
      tickmarks: [...new Set(input.tickmarks)],
      notes: input.notes.trim(),
      version: (before?.version ?? 0) + 1,
      updatedBy: actor.id,
      updatedAt: new Date().toISOString(),
    };
    if (changesNothing(testedItems, before, values)) return before!;
    const wp = ensureWorkpaper(tx, scope, actor.id);
    const after = tx
      .insert(testedItems)
      .values({ sampleItemId, workpaperId: wp.id, ...values })
      .onConflictDoUpdate({ target: testedItems.sampleItemId, set: values })
      .returning()
      .get();
    markChanged(tx, wp, actor.id);
    recordWrite(tx, actor.id, {
      table: testedItems,
      entity: 'tested-item',
      entityId: sampleItemId,
      engagementId: scope.engagementId,
      before: before ?? null,
      after,
      action: 'notes',
    });
    return after;
  });
}

export interface ExceptionInput {
  description: string;
  cause: string;
  nature: ExceptionNature | null;
  managementResponse: string;
  compensatingControlId: number | null;
  status: ExceptionStatus;
  version: number;
}

function assertCompensatingControl(tx: Tx, scope: WorkpaperScope, controlId: number | null): void {
  if (controlId === null) return;
  if (controlId === scope.control.id)
    throw new RuleError('A control cannot compensate for itself: choose another control.', {
      field: 'compensatingControlId',
    });
  if (!controlChoices(tx, scope.engagementId).some((c) => c.id === controlId))
    throw new RuleError('Choose a control of this engagement.', { field: 'compensatingControlId' });
}

/** Writes the record of an exception cell (the cell must be marked as an exception). */
export function saveException(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  sampleItemId: number,
  attribute: string,
  input: ExceptionInput,
): ExceptionRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    assertItemOfSample(tx, scope, sampleItemId);
    if (resultOf(tx, sampleItemId, attribute)?.result !== 'exception')
      throw new RuleError(`Attribute ${attribute} of this item is not marked as an exception.`);
    assertCompensatingControl(tx, scope, input.compensatingControlId);
    const before = exceptionOf(tx, sampleItemId, attribute);
    if ((before?.version ?? 0) !== input.version)
      throw new RuleError(
        'Someone else changed this exception record since you opened it. Their version is shown below; your text is kept in the form.',
        { status: 409 },
      );
    const wp = ensureWorkpaper(tx, scope, actor.id);
    const now = new Date().toISOString();
    const { version: _, ...fields } = input;
    const values = { ...fields, description: fields.description.trim(), updatedBy: actor.id, updatedAt: now };
    const after = before
      ? tx
          .update(exceptionRecords)
          .set({ ...values, version: before.version + 1 })
          .where(eq(exceptionRecords.id, before.id))
          .returning()
          .get()
      : tx
          .insert(exceptionRecords)
          .values({
            ...values,
            engagementId: scope.engagementId,
            workpaperId: wp.id,
            sampleItemId,
            attribute,
            createdBy: actor.id,
            createdAt: now,
          })
          .returning()
          .get();
    markChanged(tx, wp, actor.id);
    recordWrite(tx, actor.id, {
      table: exceptionRecords,
      entity: 'exception',
      entityId: after.id,
      engagementId: scope.engagementId,
      before: before ?? null,
      after,
    });
    return after;
  });
}
