// Recording management's assertion (or the service organisation's statement): the signed file is received and
// stored like evidence; the record, the supersession of the one before and the trail entry are one transaction.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { managementAssertions } from '../../db/schema/index.js';
import type { AssertionFacts } from '../../domain/assertion.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { ReceivedEvidence } from '../evidence/index.js';
import { assertBasedOn } from '../../core/http/versions.js';
import { assertionVersion, currentAssertion, type AssertionRow } from './queries.js';

/** File types a signed letter comes in: a scan or a signed PDF, an image of it, a Word document. */
export const ASSERTION_FILE_TYPES = ['pdf', 'png', 'jpeg', 'gif', 'docx'] as const;
export const ASSERTION_FILE_DESCRIPTION = 'a PDF, a PNG, JPEG or GIF image, or a Word document';

const described = (row: AssertionRow | null) => (row ? `${row.originalName} (${row.sha256})` : null);

/** Records the assertion, based on the version the form showed; one recorded before is superseded, and kept. */
export function recordAssertion(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  facts: AssertionFacts,
  file: ReceivedEvidence,
  basedOn: number,
): AssertionRow {
  return db.transaction((tx) => {
    assertBasedOn(assertionVersion(tx, engagementId), basedOn);
    const before = currentAssertion(tx, engagementId);
    const now = new Date().toISOString();
    if (before)
      tx.update(managementAssertions).set({ supersededAt: now }).where(eq(managementAssertions.id, before.id)).run();
    const row = tx
      .insert(managementAssertions)
      .values({
        engagementId,
        ...facts,
        sha256: file.sha256,
        originalName: file.originalName,
        size: file.size,
        fileType: file.fileType,
        recordedBy: actor.id,
        recordedAt: now,
      })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'management-assertion',
      entityId: engagementId,
      action: before ? 'replace' : 'record',
      changes: {
        signerName: [before?.signerName ?? null, row.signerName],
        signerTitle: [before?.signerTitle ?? null, row.signerTitle],
        signedOn: [before?.signedOn ?? null, row.signedOn],
        file: [described(before), described(row)],
        size: [before?.size ?? null, row.size],
        fileType: [before?.fileType ?? null, row.fileType],
      },
    });
    return row;
  });
}
