import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.js';

/**
 * Public keys of other Tickmark instances whose signed archives this firm trusts. This instance's own key is
 * always trusted and is not listed here (it lives in the data directory, never in the database).
 */
export const trustedKeys = sqliteTable('trusted_keys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  label: text('label').notNull(),
  /** Ed25519 public key, SubjectPublicKeyInfo DER in base64. */
  publicKey: text('public_key').notNull(),
  /** SHA-256 of the DER key, lower-case hex. */
  fingerprint: text('fingerprint').notNull().unique(),
  addedBy: integer('added_by')
    .notNull()
    .references(() => users.id),
  addedAt: text('added_at').notNull(),
});
