import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { engagements } from './engagements.js';

export const tickmarks = sqliteTable(
  'tickmarks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    symbol: text('symbol').notNull(),
    meaning: text('meaning').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('tickmarks_symbol_unique').on(t.engagementId, t.symbol)],
);
