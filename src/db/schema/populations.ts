import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { users } from './auth.js';
import { controls } from './controls.js';
import { engagements } from './engagements.js';
import { rowVersion } from './row-version.js';

export const POPULATION_KINDS = ['transaction', 'periodic'] as const;
/** importing: rows still arriving (invisible; removed at start-up if the process died); draft: checked, may
 * be re-mapped; frozen: sampled, immutable; replaced: superseded by a newer population, kept for history. */
export const POPULATION_STATUSES = ['importing', 'draft', 'frozen', 'replaced'] as const;
export type PopulationStatus = (typeof POPULATION_STATUSES)[number];

export const populations = sqliteTable(
  'populations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: POPULATION_KINDS }).notNull(),
    status: text('status', { enum: POPULATION_STATUSES }).notNull(),
    label: text('label').notNull(),
    /** The part of the period this population covers (the whole period, or before / after a change). */
    windowStart: text('window_start').notNull(),
    windowEnd: text('window_end').notNull(),
    sourceFile: text('source_file'),
    /** The uploaded file as the client gave it, in the evidence store (null for generated populations and for
     * uploads from before it was kept); the archive carries it under populations/. */
    sourceSha256: text('source_sha256'),
    sourceSize: integer('source_size'),
    /** Server-side copy of the upload, kept while the population may still be re-mapped. */
    uploadPath: text('upload_path'),
    uploadKind: text('upload_kind'),
    /** JSON: { header: boolean, key, date, description, amount: column index or null, dateFormat }. */
    mapping: text('mapping', { mode: 'json' }).$type<ColumnMapping | null>(),
    columns: text('columns', { mode: 'json' }).$type<string[]>(),
    /** JSON: names of the columns the mapping left unused, in file order; each item's `extra` holds their
     * values by position. Null until an import has run. */
    extraColumns: text('extra_columns', { mode: 'json' }).$type<string[] | null>(),
    rowCount: integer('row_count').notNull().default(0),
    sampleableCount: integer('sampleable_count').notNull().default(0),
    issueCount: integer('issue_count').notNull().default(0),
    /** Sum of amounts in ten-thousandths, as a decimal string (exact). */
    amountTotal: text('amount_total').notNull().default('0'),
    contentHash: text('content_hash'),
    /** Raised whenever the items are replaced (an import starting): a frame hashed outside the freezing
     * transaction, a step at a time, is used only if this has not moved meanwhile. */
    itemsRevision: integer('items_revision').notNull().default(0),
    /** Why the last import of this population failed, for the person who ran it. */
    importError: text('import_error'),
    frozenAt: text('frozen_at'),
    frozenBy: integer('frozen_by').references(() => users.id),
    replacedAt: text('replaced_at'),
    replacedBy: integer('replaced_by').references(() => users.id),
    replacedReason: text('replaced_reason'),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [index('populations_control_idx').on(t.controlId, t.status)],
);

export interface ColumnMapping {
  header: boolean;
  key: number;
  /** Null for an automated control's configuration listing, dated as a whole by `asAt`. */
  date: number | null;
  /** One "as at" date for every item of a configuration listing (no date column); absent or null otherwise. */
  asAt?: string | null;
  description: number | null;
  amount: number | null;
  dateFormat: 'iso' | 'dmy' | 'mdy';
}

export const populationItems = sqliteTable(
  'population_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    populationId: integer('population_id')
      .notNull()
      .references(() => populations.id, { onDelete: 'cascade' }),
    /** Row number in the file (1-based, header included) or occurrence number for periodic populations. */
    rowNumber: integer('row_number').notNull(),
    /** 0-based index among the sampleable items, in file order; null when the row cannot be sampled. */
    position: integer('position'),
    key: text('key').notNull(),
    itemDate: text('item_date'),
    itemEnd: text('item_end'),
    description: text('description').notNull().default(''),
    amount: text('amount'),
    partial: integer('partial', { mode: 'boolean' }).notNull().default(false),
    /** Comma-separated IssueKind values; empty when the row is clean. */
    issues: text('issues').notNull().default(''),
    /** JSON array of the other columns' values, by position in the population's extra_columns (trailing empty
     * values left out); null when they are all empty. Read only through extraValues(). */
    extra: text('extra'),
  },
  (t) => [
    uniqueIndex('population_items_row_unique').on(t.populationId, t.rowNumber),
    uniqueIndex('population_items_position_unique').on(t.populationId, t.position),
  ],
);

export const caEvidence = sqliteTable('population_ca', {
  populationId: integer('population_id')
    .primaryKey()
    .references(() => populations.id, { onDelete: 'cascade' }),
  sourceSystem: text('source_system').notNull().default(''),
  reportUsed: text('report_used').notNull().default(''),
  extractedBy: text('extracted_by').notNull().default(''),
  extractedOn: text('extracted_on'),
  clientCount: integer('client_count'),
  clientTotal: text('client_total'),
  procedures: text('procedures').notNull().default(''),
  /** Why the client's count or total differs from the import, when it does: a failed tie-out is not completed unexplained. */
  tieOutExplanation: text('tie_out_explanation').notNull().default(''),
  completedBy: integer('completed_by').references(() => users.id),
  completedAt: text('completed_at'),
  /** A senior's decision that this list needs no C&A work, with the reason (shown wherever the C&A is); null while needed. */
  notNeededReason: text('not_needed_reason'),
  notNeededBy: integer('not_needed_by').references(() => users.id),
  notNeededAt: text('not_needed_at'),
  updatedAt: text('updated_at').notNull(),
  version: rowVersion(),
});

export const SAMPLE_METHODS = [
  'random',
  'systematic',
  'period-spread',
  'interim-split',
  'haphazard',
  'judgmental',
  'all',
] as const;
export type SampleMethod = (typeof SAMPLE_METHODS)[number];
export const SIZING_BASES = ['table', 'statistical'] as const;
export const SAMPLE_STATUSES = ['pending', 'active', 'discarded'] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

export const samples = sqliteTable(
  'samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    populationId: integer('population_id')
      .notNull()
      .references(() => populations.id),
    method: text('method', { enum: SAMPLE_METHODS }).notNull(),
    seed: text('seed'),
    /** Sampleable items in the frozen population when the selection ran. */
    populationSize: integer('population_size').notNull(),
    populationHash: text('population_hash').notNull(),
    plannedSize: integer('planned_size').notNull(),
    /** The size the table or the statistics proposed when it was selected (null before issue 13): the evaluation
     * implies its tolerable rate from this, so a smaller sample approved by a manager does not loosen it. */
    proposedSize: integer('proposed_size'),
    sizing: text('sizing', { enum: SIZING_BASES }).notNull(),
    confidence: integer('confidence_pct').notNull(),
    tolerableRate: text('tolerable_rate'),
    expectedRate: text('expected_rate'),
    sizeRationale: text('size_rationale').notNull(),
    overrideReason: text('override_reason'),
    selectionReason: text('selection_reason'),
    /** JSON: strata of a period-spread selection or the interim / roll-forward split. */
    design: text('design', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    /** pending: above the firm's limit and waiting for a manager's approval (nothing drawn yet); active: drawn;
     * discarded: kept as history (declined, or its population replaced). */
    status: text('status', { enum: SAMPLE_STATUSES }).notNull().default('active'),
    discardedReason: text('discarded_reason'),
    /** Who approved a sample above the firm's limit or below the proposal (a manager or the partner), and when. */
    approvedBy: integer('approved_by').references(() => users.id),
    /** Why it needed that approval, as recorded when asked ("Smaller than the proposed 25 items"); null on samples
     * from before issue 13, which needed it only above the firm's limit. */
    approvalGrounds: text('approval_grounds'),
    approvedAt: text('approved_at'),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [index('samples_control_idx').on(t.controlId, t.status)],
);

export const sampleItems = sqliteTable(
  'sample_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sampleId: integer('sample_id')
      .notNull()
      .references(() => samples.id, { onDelete: 'cascade' }),
    populationItemId: integer('population_item_id')
      .notNull()
      .references(() => populationItems.id),
    /** Order of selection, 0-based; extensions continue the numbering. */
    sequence: integer('sequence').notNull(),
    /** 0 for the planned sample, then one round per extension or set of replacements, in the order drawn. */
    extensionRound: integer('extension_round').notNull().default(0),
    reason: text('reason'),
    /** Set on an item drawn to replace one that was not an occurrence of the control (N/A on every attribute):
     * the item it replaces, which stays in the sample as documentation. */
    replacesItemId: integer('replaces_item_id').references((): AnySQLiteColumn => sampleItems.id),
  },
  (t) => [
    uniqueIndex('sample_items_unique').on(t.sampleId, t.populationItemId),
    uniqueIndex('sample_items_sequence').on(t.sampleId, t.sequence),
    uniqueIndex('sample_items_replaces_unique').on(t.replacesItemId),
  ],
);

/** Non-business days of the engagement's calendar, excluded from daily controls' occurrences. */
export const holidays = sqliteTable(
  'engagement_holidays',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    name: text('name').notNull().default(''),
  },
  (t) => [uniqueIndex('engagement_holidays_unique').on(t.engagementId, t.date)],
);
