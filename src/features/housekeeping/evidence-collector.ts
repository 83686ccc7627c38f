// Stored evidence content that no record refers to: left by an upload or an archive import that was killed
// between storing the file and recording it. It is collected once it is older than the grace period, and never
// while any row refers to it: superseded evidence, evidence of imported or archived engagements included.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../core/audit/trail.js';
import { EVIDENCE_CONTENT_COLUMNS } from '../evidence/index.js';
import type { EvidenceStorage } from '../../core/files/storage.js';

export { EVIDENCE_CONTENT_COLUMNS };

export interface CollectedBlob {
  sha256: string;
  size: number;
  storedAt: string;
}

function referenceCheck(db: Db): (sha256: string) => boolean {
  const queries = EVIDENCE_CONTENT_COLUMNS.map((column) =>
    db
      .select({ one: sql<number>`1` })
      .from(column.table)
      .where(eq(column, sql.placeholder('sha256')))
      .limit(1)
      .prepare(),
  );
  return (sha256) => queries.some((q) => q.get({ sha256 }) !== undefined);
}

/**
 * Removes stored files no row refers to that were last stored before `storedBefore`, and records what went in the
 * audit trail. Each file is checked and removed without pausing in between, so an upload cannot record it meanwhile
 * (and one that reuses old content restarts its grace period: see EvidenceStorage.reuse).
 */
export async function collectUnreferencedEvidence(
  db: Db,
  storage: EvidenceStorage,
  storedBefore: Date,
  graceHours: number,
): Promise<CollectedBlob[]> {
  const isReferenced = referenceCheck(db);
  const collected: CollectedBlob[] = [];
  let seen = 0;
  for (const blob of storage.blobs()) {
    if (blob.storedAt < storedBefore && !isReferenced(blob.sha256)) {
      storage.remove(blob.sha256);
      collected.push({ sha256: blob.sha256, size: blob.size, storedAt: blob.storedAt.toISOString() });
    }
    if (++seen % 500 === 0) await yieldToEventLoop();
  }
  if (collected.length > 0) {
    db.transaction((tx) =>
      appendAudit(tx, null, {
        engagementId: null,
        entity: 'evidence-store',
        entityId: 'unreferenced',
        action: 'collect',
        changes: {
          files: [collected.map((c) => `${c.sha256} (${c.size} bytes, stored ${c.storedAt})`), null],
          graceHours: [null, graceHours],
        },
      }),
    );
  }
  return collected;
}
