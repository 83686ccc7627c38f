import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PBC_STATUSES } from '../../domain/pbc.js';
import { users } from './auth.js';
import { controls } from './controls.js';
import { engagements } from './engagements.js';
import { populations } from './populations.js';
import { rowVersion } from './row-version.js';

/** A request to the client: what is needed, from whom, by when, and what answered it. */
export const pbcRequests = sqliteTable(
  'pbc_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    reference: text('reference').notNull(),
    description: text('description').notNull(),
    ownerName: text('owner_name').notNull().default(''),
    ownerEmail: text('owner_email').notNull().default(''),
    dueDate: text('due_date'),
    status: text('status', { enum: PBC_STATUSES }).notNull().default('open'),
    /** What answered the request: an imported population, or a note of the evidence received. */
    populationId: integer('population_id').references(() => populations.id, { onDelete: 'set null' }),
    answer: text('answer').notNull().default(''),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: rowVersion(),
  },
  (t) => [
    uniqueIndex('pbc_requests_reference_unique').on(t.engagementId, t.reference),
    index('pbc_requests_status_idx').on(t.engagementId, t.status),
  ],
);

export const pbcRequestControls = sqliteTable(
  'pbc_request_controls',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => pbcRequests.id, { onDelete: 'cascade' }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.controlId] })],
);
