import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Methodology } from '../../domain/methodology.js';
import { users } from './auth.js';
import { rowVersion } from './row-version.js';

/**
 * The firm's methodology as an administrator last saved it: one row (id 1), absent until the first save (the
 * defaults apply until then). Engagements copy it when they are opened; changing it changes no engagement.
 */
export const firmMethodology = sqliteTable('firm_methodology', {
  id: integer('id').primaryKey(),
  settings: text('settings', { mode: 'json' }).$type<Methodology>().notNull(),
  savedBy: integer('saved_by')
    .notNull()
    .references(() => users.id),
  savedAt: text('saved_at').notNull(),
  version: rowVersion(),
});
