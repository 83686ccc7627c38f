import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { engagements } from './engagements.js';

/**
 * The audit trail an imported engagement brought from the instance it was exported from, kept as it was
 * (original ids, users by e-mail) and checked on import. This instance's own chain is never mixed with it.
 */
export const importedAuditEntries = sqliteTable(
  'imported_audit_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    /** Where it came from: the archive's manifest SHA-256 and export time. */
    archiveSha256: text('archive_sha256').notNull(),
    originalId: integer('original_id').notNull(),
    at: text('at').notNull(),
    originalUserId: integer('original_user_id'),
    userEmail: text('user_email'),
    originalEngagementId: integer('original_engagement_id'),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    changes: text('changes').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('imported_audit_entries_engagement_idx').on(t.engagementId, t.originalId)],
);
