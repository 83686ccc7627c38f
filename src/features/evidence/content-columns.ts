// Every column that names stored evidence content by its SHA-256, each in a table whose rows also give the
// content's `size`: the collector keeps what they name, and the archive carries it.
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { evidenceFiles, managementAssertions } from '../../db/schema/index.js';

/** test/features/housekeeping/evidence-references.test.ts checks the schema holds no other. */
export const EVIDENCE_CONTENT_COLUMNS = [evidenceFiles.sha256, managementAssertions.sha256];

/** The tables of those columns, by their SQL names (each names its content in `sha256`, of `size` bytes). */
export const EVIDENCE_CONTENT_TABLES: readonly string[] = EVIDENCE_CONTENT_COLUMNS.map((c) => getTableConfig(c.table).name);
