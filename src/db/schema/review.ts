import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { SIGNOFF_LEVELS, NOTE_STATUSES } from '../../domain/review.js';
import { OPINION_TYPES } from '../../domain/opinion.js';
import { ENGAGEMENT_ROLES, engagements } from './engagements.js';
import { users } from './auth.js';
import { workpapers } from './testing.js';
import { sampleItems } from './populations.js';

/** Review sign-offs on a workpaper (preparation is on the workpaper itself). Never deleted: re-signing adds a row. */
export const signoffs = sqliteTable(
  'signoffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    level: text('level', { enum: SIGNOFF_LEVELS }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    signedAt: text('signed_at').notNull(),
  },
  (t) => [index('signoffs_workpaper_idx').on(t.workpaperId), index('signoffs_engagement_idx').on(t.engagementId)],
);

export const reviewNotes = sqliteTable(
  'review_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    /** Optionally pinned to an item, or to one cell (item + attribute letter). */
    sampleItemId: integer('sample_item_id').references(() => sampleItems.id, { onDelete: 'set null' }),
    attribute: text('attribute'),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    /** The author's role when raising it: who may clear it depends on seniority. */
    authorRole: text('author_role', { enum: ENGAGEMENT_ROLES }).notNull(),
    status: text('status', { enum: NOTE_STATUSES }).notNull().default('open'),
    createdAt: text('created_at').notNull(),
    clearedBy: integer('cleared_by').references(() => users.id),
    clearedAt: text('cleared_at'),
  },
  (t) => [
    index('review_notes_engagement_idx').on(t.engagementId, t.status),
    index('review_notes_workpaper_idx').on(t.workpaperId),
  ],
);

export const reviewNoteMessages = sqliteTable(
  'review_note_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    noteId: integer('note_id')
      .notNull()
      .references(() => reviewNotes.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('review_note_messages_note_idx').on(t.noteId)],
);

/** The partner's judgements and decision on the opinion; the proposal itself is always computed afresh. */
export const opinionDecisions = sqliteTable('opinion_decisions', {
  engagementId: integer('engagement_id')
    .primaryKey()
    .references(() => engagements.id, { onDelete: 'cascade' }),
  pervasiveFailure: integer('pervasive_failure', { mode: 'boolean' }).notNull().default(false),
  pervasiveLimitation: integer('pervasive_limitation', { mode: 'boolean' }).notNull().default(false),
  pervasivenessReasons: text('pervasiveness_reasons').notNull().default(''),
  approvedType: text('approved_type', { enum: OPINION_TYPES }),
  proposedType: text('proposed_type', { enum: OPINION_TYPES }),
  typeChangeReason: text('type_change_reason').notNull().default(''),
  approvedBy: integer('approved_by').references(() => users.id),
  approvedAt: text('approved_at'),
  qualityReviewBy: integer('quality_review_by').references(() => users.id),
  qualityReviewAt: text('quality_review_at'),
  updatedAt: text('updated_at').notNull(),
});

export const scopeLimitations = sqliteTable('scope_limitations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  engagementId: integer('engagement_id')
    .notNull()
    .references(() => engagements.id, { onDelete: 'cascade' }),
  criterionRef: text('criterion_ref').notNull(),
  description: text('description').notNull(),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: text('created_at').notNull(),
});

/** A criterion or objective in scope marked not applicable, with the reason; it addresses the criterion only
 * while no control is mapped to it. One mark per criterion. */
export const criterionExclusions = sqliteTable(
  'criterion_exclusions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    criterionRef: text('criterion_ref').notNull(),
    reason: text('reason').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('criterion_exclusions_criterion_idx').on(t.engagementId, t.criterionRef)],
);
