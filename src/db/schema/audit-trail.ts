import { integer, sqliteTable, text, index } from 'drizzle-orm/sqlite-core';

/**
 * Append-only, hash-chained record of every write. No foreign keys: the trail must outlive what it describes.
 */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: integer('user_id'),
    engagementId: integer('engagement_id'),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    /** JSON object: field -> [before, after]. */
    changes: text('changes').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_entries_engagement_idx').on(t.engagementId, t.entity, t.entityId),
    index('audit_entries_engagement_order_idx').on(t.engagementId, t.id),
  ],
);
