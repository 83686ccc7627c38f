import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CELL_RESULTS } from '../../domain/workpaper.js';
import { CONCLUSIONS } from '../../domain/types.js';
import { OVERRIDE_KINDS, OVERRIDE_STATUSES } from '../../domain/overrides.js';
import { ANOMALY_STATUSES } from '../../domain/anomaly.js';
import { users } from './auth.js';
import { controls } from './controls.js';
import { engagements } from './engagements.js';
import { populations, sampleItems, samples } from './populations.js';

/**
 * One workpaper per tested window (population) of a control: its conclusion, result wording and preparer.
 * Created by the first write to it. Reviewer sign-offs will hang off this row; `changedAt` lets them tell
 * whether the work changed after they signed.
 */
export const workpapers = sqliteTable(
  'workpapers',
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
      .references(() => populations.id, { onDelete: 'cascade' }),
    /** Null when the population had no occurrences to sample. */
    sampleId: integer('sample_id').references(() => samples.id, { onDelete: 'cascade' }),
    /** Plural noun for the sampled items in the result sentence ("new hires"). */
    itemNoun: text('item_noun'),
    conclusion: text('conclusion', { enum: CONCLUSIONS }),
    conclusionReason: text('conclusion_reason').notNull().default(''),
    /** What the figures proposed when the conclusion was set, for the reviewer. */
    conclusionProposed: text('conclusion_proposed'),
    conclusionBy: integer('conclusion_by').references(() => users.id),
    conclusionAt: text('conclusion_at'),
    /** The auditor's own result wording; kept as written while `resultEdited` is set. */
    resultText: text('result_text'),
    resultEdited: integer('result_edited', { mode: 'boolean' }).notNull().default(false),
    preparedBy: integer('prepared_by').references(() => users.id),
    preparedAt: text('prepared_at'),
    changedBy: integer('changed_by').references(() => users.id),
    changedAt: text('changed_at').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('workpapers_population_unique').on(t.populationId),
    index('workpapers_control_idx').on(t.controlId),
  ],
);

/**
 * One cell of the test grid: a sampled item against an attribute. Keyed by the attribute's letter, not its row,
 * because saving a test plan rewrites the attribute rows. A cleared cell keeps its row (result null) so its
 * version keeps counting.
 */
export const testResults = sqliteTable(
  'test_results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    sampleItemId: integer('sample_item_id')
      .notNull()
      .references(() => sampleItems.id, { onDelete: 'cascade' }),
    attribute: text('attribute').notNull(),
    result: text('result', { enum: CELL_RESULTS }),
    naReason: text('na_reason').notNull().default(''),
    version: integer('version').notNull(),
    updatedBy: integer('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('test_results_cell_unique').on(t.sampleItemId, t.attribute),
    index('test_results_workpaper_idx').on(t.workpaperId),
    check('test_results_na_reason', sql`${t.result} IS NOT 'na' OR length(trim(${t.naReason})) > 0`),
  ],
);

/** What the auditor wrote about one sampled item besides its marks. Who tested it, and when, is read from its
 * cells (the last mark), so a mark writes nothing here. */
export const testedItems = sqliteTable(
  'tested_items',
  {
    sampleItemId: integer('sample_item_id')
      .primaryKey()
      .references(() => sampleItems.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    evidenceRef: text('evidence_ref').notNull().default(''),
    /** JSON array of legend symbols. */
    tickmarks: text('tickmarks', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    notes: text('notes').notNull().default(''),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: text('updated_at'),
    /** Counts edits of the notes, evidence reference and tickmarks; 0 until the first. */
    version: integer('version').notNull().default(0),
  },
  (t) => [index('tested_items_workpaper_idx').on(t.workpaperId)],
);

export const EXCEPTION_NATURES = ['isolated', 'systemic'] as const;
export type ExceptionNature = (typeof EXCEPTION_NATURES)[number];
export const EXCEPTION_STATUSES = ['open', 'resolved'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** The record of an exception cell. It survives the cell being re-marked (and counts again if re-marked). */
export const exceptionRecords = sqliteTable(
  'exceptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    sampleItemId: integer('sample_item_id')
      .notNull()
      .references(() => sampleItems.id, { onDelete: 'cascade' }),
    attribute: text('attribute').notNull(),
    description: text('description').notNull(),
    cause: text('cause').notNull().default(''),
    nature: text('nature', { enum: EXCEPTION_NATURES }),
    managementResponse: text('management_response').notNull().default(''),
    compensatingControlId: integer('compensating_control_id').references(() => controls.id, { onDelete: 'set null' }),
    status: text('status', { enum: EXCEPTION_STATUSES }).notNull().default('open'),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedBy: integer('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('exceptions_cell_unique').on(t.sampleItemId, t.attribute),
    index('exceptions_engagement_idx').on(t.engagementId, t.status),
    index('exceptions_workpaper_idx').on(t.workpaperId),
  ],
);

/**
 * An evidence file's metadata; the content lives in evidence storage under its SHA-256. A superseded file stays
 * (with who replaced it and when) so the history of what was relied on is kept.
 */
export const evidenceFiles = sqliteTable(
  'evidence_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    /** Null for evidence of the workpaper as a whole. */
    sampleItemId: integer('sample_item_id').references(() => sampleItems.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    originalName: text('original_name').notNull(),
    size: integer('size').notNull(),
    /** Sniffed from the content, never taken from the browser. */
    fileType: text('file_type').notNull(),
    uploadedBy: integer('uploaded_by')
      .notNull()
      .references(() => users.id),
    uploadedAt: text('uploaded_at').notNull(),
    supersededById: integer('superseded_by_id'),
    supersededAt: text('superseded_at'),
  },
  (t) => [
    index('evidence_files_workpaper_idx').on(t.workpaperId),
    index('evidence_files_sha_idx').on(t.sha256),
    index('evidence_files_engagement_idx').on(t.engagementId),
  ],
);

/**
 * An override of what the figures propose (domain.md, "One extension, after at most one deviation"): a further
 * extension, or a conclusion softer than the figures support. Asked for with a rationale; takes effect only once
 * a manager or the engagement partner other than the person asking approves it. Kept whatever its outcome.
 */
export const workpaperOverrides = sqliteTable(
  'workpaper_overrides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: OVERRIDE_KINDS }).notNull(),
    /** The conclusion asked for (kind 'conclusion'). */
    conclusion: text('conclusion', { enum: CONCLUSIONS }),
    /** The size the sample is to reach (kind 'extension'). */
    extendTo: integer('extend_to'),
    rationale: text('rationale').notNull(),
    /** The figures it was asked on: the proposal, deviations and items tested. */
    proposed: text('proposed'),
    deviations: integer('deviations').notNull(),
    itemsTested: integer('items_tested').notNull(),
    status: text('status', { enum: OVERRIDE_STATUSES }).notNull().default('pending'),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: text('requested_at').notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: text('decided_at'),
    declineReason: text('decline_reason'),
  },
  (t) => [index('workpaper_overrides_workpaper_idx').on(t.workpaperId)],
);

/**
 * A proposal to treat an exception as an ISAE anomaly (domain/anomaly.ts): proposed by a senior or above with the
 * reason, approved or declined by a manager or the partner other than the proposer. Kept whatever its outcome;
 * only an approved one, on an exception whose record has not changed since, leaves the deviation count.
 */
export const exceptionAnomalies = sqliteTable(
  'exception_anomalies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    workpaperId: integer('workpaper_id')
      .notNull()
      .references(() => workpapers.id, { onDelete: 'cascade' }),
    exceptionId: integer('exception_id')
      .notNull()
      .references(() => exceptionRecords.id, { onDelete: 'cascade' }),
    /** The evidence that the deviation is not representative of the population. */
    reason: text('reason').notNull(),
    /** The exception record's version it was proposed on. */
    exceptionVersion: integer('exception_version').notNull(),
    status: text('status', { enum: ANOMALY_STATUSES }).notNull().default('proposed'),
    proposedBy: integer('proposed_by')
      .notNull()
      .references(() => users.id),
    proposedAt: text('proposed_at').notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: text('decided_at'),
    declineReason: text('decline_reason'),
  },
  (t) => [
    index('exception_anomalies_workpaper_idx').on(t.workpaperId),
    index('exception_anomalies_exception_idx').on(t.exceptionId),
    index('exception_anomalies_engagement_idx').on(t.engagementId),
  ],
);
