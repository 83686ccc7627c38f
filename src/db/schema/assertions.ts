import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.js';
import { engagements } from './engagements.js';

/**
 * Management's assertion (SOC) or the service organisation's statement (ISAE) as signed by the client: who signed
 * it (client people, not users of Tickmark), when, and the signed file, stored by content like evidence. A new
 * recording supersedes the one before, which is kept.
 */
export const managementAssertions = sqliteTable(
  'management_assertions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    signerName: text('signer_name').notNull(),
    signerTitle: text('signer_title').notNull(),
    signedOn: text('signed_on').notNull(),
    sha256: text('sha256').notNull(),
    originalName: text('original_name').notNull(),
    size: integer('size').notNull(),
    /** Sniffed from the content, never taken from the browser. */
    fileType: text('file_type').notNull(),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: text('recorded_at').notNull(),
    supersededAt: text('superseded_at'),
  },
  (t) => [
    index('management_assertions_engagement_idx').on(t.engagementId),
    index('management_assertions_sha_idx').on(t.sha256),
  ],
);
