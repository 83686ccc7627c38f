// The collector keeps every stored file a row names; it knows them by EVIDENCE_CONTENT_COLUMNS. A new column that
// names evidence content by its hash must be listed there, or the collector would take files it still needs.
import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../src/db/schema/index.js';
import { EVIDENCE_CONTENT_COLUMNS } from '../../../src/features/housekeeping/evidence-collector.js';

/** Hashes that are not the address of stored evidence content. */
const OTHER_HASHES = [
  'audit_entries.prev_hash',
  'audit_entries.hash',
  'imported_audit_entries.prev_hash',
  'imported_audit_entries.hash',
  'imported_audit_entries.archive_sha256',
  'users.password_hash',
  'populations.content_hash',
  'samples.population_hash',
];

describe('columns that name stored evidence', () => {
  it('every column that looks like a hash is either a reference the collector checks or listed as something else', () => {
    const collector = new Set(EVIDENCE_CONTENT_COLUMNS.map((c) => `${getTableConfig(c.table).name}.${c.name}`));
    const hashes = (Object.values(schema) as unknown[])
      .filter((v): v is SQLiteTable => is(v, SQLiteTable))
      .flatMap((t) => Object.values(getTableColumns(t)).map((c) => `${getTableConfig(t).name}.${c.name}`))
      .filter((name) => /sha|hash|digest|blob/i.test(name.split('.')[1]!));
    expect(collector).toEqual(
      new Set(['evidence_files.sha256', 'management_assertions.sha256', 'populations.source_sha256']),
    );
    expect(hashes.filter((h) => !collector.has(h) && !OTHER_HASHES.includes(h))).toEqual([]);
  });
});
