// Evidence files on a workpaper or one of its items: received, checked for what they really are, stored by
// content, recorded with who uploaded them; superseded rather than deleted once the workpaper is prepared.
import { RuleError } from '../../core/errors.js';
import { rm } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../db/connection.js';
import { evidenceFiles, sampleItems } from '../../db/schema/index.js';
import { recordWrite } from '../../core/audit/record.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { receiveUpload, uploadRefused } from '../../core/http/uploads.js';
import {
  assertWritable,
  ensureWorkpaper,
  evidenceFile,
  type EvidenceRow,
  evidenceUsingContent,
  markChanged,
  workpaperOfPopulation,
  type WorkpaperScope,
} from '../testing/index.js';
import { SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES, sniffEvidence, type EvidenceType } from '../../core/files/sniff.js';
import type { EvidenceStorage } from '../../core/files/storage.js';

export interface ReceivedEvidence {
  sha256: string;
  size: number;
  originalName: string;
  fileType: EvidenceType;
}

/** Streams the upload to disk, refuses what is empty, too large or not an accepted type, and stores the rest. */
export async function receiveEvidence(
  req: FastifyRequest,
  storage: EvidenceStorage,
  maxBytes: number,
): Promise<ReceivedEvidence> {
  const upload = await receiveUpload(req, storage.incomingDir, maxBytes, {
    head: SNIFF_HEAD_BYTES,
    tail: SNIFF_TAIL_BYTES,
  });
  try {
    const sniffed = sniffEvidence(upload.head, upload.tail, upload.originalName);
    if (!sniffed.ok) throw uploadRefused(sniffed.reason);
    const blob = storage.adopt(upload.file, { sha256: upload.sha256, size: upload.bytes });
    return { ...blob, originalName: upload.originalName, fileType: sniffed.type };
  } finally {
    await rm(upload.file, { force: true });
  }
}

function assertItemOfSample(db: Tx, scope: WorkpaperScope, sampleItemId: number | null): void {
  if (sampleItemId === null) return;
  const row = db
    .select({ sampleId: sampleItems.sampleId })
    .from(sampleItems)
    .where(eq(sampleItems.id, sampleItemId))
    .get();
  if (!scope.sample || row?.sampleId !== scope.sample.id) throw new RuleError('That item is not in this sample.');
}

const fileName = (row: EvidenceRow) => `${row.originalName} (${row.sha256})`;

/** Records a stored file against the workpaper or one item; with `supersedes`, the new file replaces an older one. */
export function recordEvidence(
  db: Db,
  actor: CurrentUser,
  scope: WorkpaperScope,
  file: ReceivedEvidence,
  target: { sampleItemId: number | null; supersedes?: EvidenceRow },
): EvidenceRow {
  return db.transaction((tx) => {
    assertWritable(scope);
    assertItemOfSample(tx, scope, target.sampleItemId);
    const old = target.supersedes;
    if (old && old.supersededById !== null) throw new RuleError('That file was already replaced by a newer one.');
    const wp = ensureWorkpaper(tx, scope, actor.id);
    const now = new Date().toISOString();
    const row = tx
      .insert(evidenceFiles)
      .values({
        engagementId: scope.engagementId,
        workpaperId: wp.id,
        sampleItemId: target.sampleItemId,
        sha256: file.sha256,
        originalName: file.originalName,
        size: file.size,
        fileType: file.fileType,
        uploadedBy: actor.id,
        uploadedAt: now,
      })
      .returning()
      .get();
    if (old)
      tx.update(evidenceFiles)
        .set({ supersededById: row.id, supersededAt: now })
        .where(eq(evidenceFiles.id, old.id))
        .run();
    markChanged(tx, wp, actor.id);
    // Beside the new row's columns: the file it replaces (whose superseded columns this entry records), and
    // what the old one was, for whoever reads the entry.
    recordWrite(tx, actor.id, {
      table: evidenceFiles,
      entity: 'evidence',
      entityId: row.id,
      engagementId: scope.engagementId,
      before: null,
      after: row,
      action: old ? 'supersede' : 'upload',
      also: {
        file: [old ? fileName(old) : null, fileName(row)],
        ...(old ? { supersedes: [null, old.id] } : {}),
        size: [old?.size ?? null, row.size],
        fileType: [old?.fileType ?? null, row.fileType],
      },
    });
    return row;
  });
}

/** Deletes a file uploaded by mistake; refused once the workpaper is prepared (replace it instead). */
export function deleteEvidence(
  db: Db,
  storage: EvidenceStorage,
  actor: CurrentUser,
  scope: WorkpaperScope,
  evidenceId: number,
): EvidenceRow {
  const removed = db.transaction((tx) => {
    assertWritable(scope);
    const wp = workpaperOfPopulation(tx, scope.population.id);
    const row = evidenceFile(tx, scope.engagementId, evidenceId);
    if (!wp || !row || row.workpaperId !== wp.id) throw new RuleError('That file is not on this workpaper.');
    if (wp.preparedAt)
      throw new RuleError(
        'This workpaper has been prepared: its evidence cannot be deleted, only replaced by a newer file (the old one stays in the history).',
      );
    if (row.supersededById !== null) throw new RuleError('A replaced file stays in the history and cannot be deleted.');
    const reinstated = tx
      .update(evidenceFiles)
      .set({ supersededById: null })
      .where(eq(evidenceFiles.supersededById, row.id))
      .returning({ id: evidenceFiles.id })
      .all();
    recordWrite(tx, actor.id, {
      table: evidenceFiles,
      entity: 'evidence',
      entityId: row.id,
      engagementId: scope.engagementId,
      before: row,
      after: null,
      action: 'delete',
      also: {
        file: [fileName(row), null],
        ...(reinstated.length > 0 ? { reinstates: [null, reinstated.map((r) => r.id)] } : {}),
      },
    });
    tx.delete(evidenceFiles).where(eq(evidenceFiles.id, row.id)).run();
    markChanged(tx, wp, actor.id);
    return row;
  });
  if (evidenceUsingContent(db, removed.sha256) === 0) storage.remove(removed.sha256);
  return removed;
}
