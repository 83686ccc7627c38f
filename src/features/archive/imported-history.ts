// The trail an imported engagement brought with it, summarised for its archive page.
import { asc, count, eq, max, min } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { importedAuditEntries } from '../../db/schema/index.js';

export interface ImportedHistory {
  archiveSha256: string;
  entries: number;
  from: string | null;
  to: string | null;
}

export function importedHistory(db: Tx, engagementId: number): ImportedHistory[] {
  return db
    .select({
      archiveSha256: importedAuditEntries.archiveSha256,
      entries: count(),
      from: min(importedAuditEntries.at),
      to: max(importedAuditEntries.at),
    })
    .from(importedAuditEntries)
    .where(eq(importedAuditEntries.engagementId, engagementId))
    .groupBy(importedAuditEntries.archiveSha256)
    .orderBy(asc(min(importedAuditEntries.at)))
    .all();
}
