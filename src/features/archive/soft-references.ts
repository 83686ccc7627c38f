// Columns that hold an id without a declared foreign key. The archive must know each one: the coverage test
// (test/features/archive/coverage.test.ts) fails on an id-like integer column listed nowhere.

export interface SoftReference {
  table: string;
  column: string;
  /** `users`, another engagement table, or `outside` for an id the archive cannot carry (cleared on import). */
  target: string;
}

export const SOFT_REFERENCES: readonly SoftReference[] = [
  { table: 'engagements', column: 'locked_by', target: 'users' },
  { table: 'engagements', column: 'rolled_from_id', target: 'outside' },
  { table: 'evidence_files', column: 'superseded_by_id', target: 'evidence_files' },
];

/** Integer columns whose names look like references but that hold plain values, copied as they are. */
export const PLAIN_ID_COLUMNS: readonly string[] = [
  'imported_audit_entries.original_id',
  'imported_audit_entries.original_user_id',
  'imported_audit_entries.original_engagement_id',
];

/** Tables that are not part of any one engagement: the firm's people and sessions, the trail (exported apart),
 * the keys it trusts and its methodology (each engagement carries its own copy). */
export const FIRM_TABLES: readonly string[] = [
  'users',
  'sessions',
  'login_failures',
  'audit_entries',
  'trusted_keys',
  'firm_methodology',
];
