// Every column that names stored evidence content by its SHA-256, each beside the column that gives the
// content's size: the collector keeps what they name, backups copy it, and the archive carries it. A null
// SHA-256 names nothing (a generated population has no uploaded file).
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { evidenceFiles, managementAssertions, populations } from '../../db/schema/index.js';

const CONTENT: readonly { sha256: SQLiteColumn; size: SQLiteColumn }[] = [
  { sha256: evidenceFiles.sha256, size: evidenceFiles.size },
  { sha256: managementAssertions.sha256, size: managementAssertions.size },
  { sha256: populations.sourceSha256, size: populations.sourceSize },
];

/** test/features/housekeeping/evidence-references.test.ts checks the schema holds no other. */
export const EVIDENCE_CONTENT_COLUMNS = CONTENT.map((c) => c.sha256);

/** The same by their SQL names: the table, the column naming the content, and the one giving its size. */
export const EVIDENCE_CONTENT_SQL: readonly { table: string; sha256: string; size: string }[] = CONTENT.map((c) => ({
  table: getTableConfig(c.sha256.table).name,
  sha256: c.sha256.name,
  size: c.size.name,
}));

/** The content a stored row names, if any. */
export function contentOfRow(table: string, row: Record<string, unknown>): { sha256: string; size: unknown } | null {
  const spec = EVIDENCE_CONTENT_SQL.find((c) => c.table === table);
  if (!spec || row[spec.sha256] === null || row[spec.sha256] === undefined) return null;
  return { sha256: String(row[spec.sha256]), size: row[spec.size] };
}
