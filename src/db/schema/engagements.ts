import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import type { EngagementMethodology } from '../../domain/methodology.js';
import { PAPER_SIZES } from '../../domain/paper.js';
import { users } from './auth.js';
import { rowVersion } from './row-version.js';

export const FRAMEWORKS = ['soc1', 'soc2', 'isae3402', 'isae3000'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export const REPORT_TYPES = ['type2', 'type1'] as const;
export const ENGAGEMENT_STATUSES = ['planning', 'fieldwork', 'review', 'completed', 'archived'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];
/** Security is always in scope for SOC 2 / ISAE 3000; these are the optional categories. */
export const OPTIONAL_CATEGORIES = ['availability', 'confidentiality', 'processing-integrity', 'privacy'] as const;
export type OptionalCategory = (typeof OPTIONAL_CATEGORIES)[number];
export const ENGAGEMENT_ROLES = ['staff', 'senior', 'manager', 'partner', 'eqr', 'viewer'] as const;
export type EngagementRole = (typeof ENGAGEMENT_ROLES)[number];
export const SUBSERVICE_METHODS = ['carve-out', 'inclusive'] as const;

/**
 * The copy of the methodology held by engagements opened before firm settings were recorded (Tickmark's defaults
 * of issue 13). Never change this text: it is the column's SQL default, and a changed default makes drizzle-kit
 * rebuild the table, whose children cascade (architecture.md, Pitfalls). New engagements always set their own.
 */
export const METHODOLOGY_BEFORE_FIRM_SETTINGS =
  '{"firmSettingsOf":null,"settings":{"sampleSizes":{"annual":{"lower":1,"higher":1},"quarterly":{"lower":2,"higher":2},"monthly":{"lower":2,"higher":3},"semi-monthly":{"lower":3,"higher":5},"weekly":{"lower":5,"higher":10},"daily":{"lower":20,"higher":40},"multiple-daily":{"lower":25,"higher":60},"event-driven":{"lower":25,"higher":60}},"maxDeviationsToExtend":1,"extension":"exact","ruleOfThumb":[{"plannedSize":25,"deviations":1,"extendedSize":40},{"plannedSize":60,"deviations":1,"extendedSize":100}],"proRata":false,"assemblyDays":60,"retentionYears":7,"largeSampleItems":1000}}';

export const engagements = sqliteTable('engagements', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clientName: text('client_name').notNull(),
  systemName: text('system_name').notNull(),
  framework: text('framework', { enum: FRAMEWORKS }).notNull(),
  reportType: text('report_type', { enum: REPORT_TYPES }).notNull().default('type2'),
  periodStart: text('period_start').notNull(),
  periodEnd: text('period_end').notNull(),
  plannedReportDate: text('planned_report_date'),
  /** The reports' paper; null for engagements opened before it was chosen (see paperOf). */
  paperSize: text('paper_size', { enum: PAPER_SIZES }),
  /** JSON array of OptionalCategory. */
  categories: text('categories', { mode: 'json' }).$type<OptionalCategory[]>().notNull().default(sql`'[]'`),
  status: text('status', { enum: ENGAGEMENT_STATUSES }).notNull().default('planning'),
  /** Workpapers need a manager's or the partner's review after the first-level review. */
  secondReviewRequired: integer('second_review_required', { mode: 'boolean' }).notNull().default(false),
  /** Set when the partner approves the opinion: every write is refused until unlocked with a reason. */
  lockedAt: text('locked_at'),
  lockedBy: integer('locked_by'),
  /** Set when the partner archives the approved engagement: from then on it is read-only for good. */
  archivedAt: text('archived_at'),
  archivedBy: integer('archived_by').references(() => users.id),
  /** The prior-period engagement this one was rolled forward from. */
  rolledFromId: integer('rolled_from_id'),
  /** Set when the engagement was imported from an archive this instance could not verify: why. Such a copy is
   * read-only for good and names its people only as recorded in the archive. */
  unverifiedReason: text('unverified_reason'),
  /** The firm's methodology as it stood when the engagement was opened (EngagementMethodology): its rules use
   * this copy, so a later change of firm policy never rewrites the engagement's work. */
  methodology: text('methodology', { mode: 'json' })
    .$type<EngagementMethodology>()
    .notNull()
    .default(sql.raw(`'${METHODOLOGY_BEFORE_FIRM_SETTINGS}'`)),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  version: rowVersion(),
});

export const engagementMembers = sqliteTable(
  'engagement_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ENGAGEMENT_ROLES }).notNull(),
    /** When the member took their current role (the quality review counts only if signed since). */
    roleSince: text('role_since').$defaultFn(() => new Date().toISOString()),
  },
  (t) => [
    uniqueIndex('engagement_members_unique').on(t.engagementId, t.userId),
    uniqueIndex('engagement_one_partner').on(t.engagementId).where(sql`role = 'partner'`),
    index('engagement_members_user_idx').on(t.userId),
  ],
);

export const subserviceOrgs = sqliteTable('subservice_orgs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  engagementId: integer('engagement_id')
    .notNull()
    .references(() => engagements.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  services: text('services').notNull().default(''),
  method: text('method', { enum: SUBSERVICE_METHODS }).notNull(),
});

/**
 * Element (a) of the opinion: whether the description fairly presents the system, concluded by a manager or the
 * partner; `matters` says what is misstated or omitted when it does not. No row: not yet concluded.
 */
export const descriptionPresentations = sqliteTable('description_presentations', {
  engagementId: integer('engagement_id')
    .primaryKey()
    .references(() => engagements.id, { onDelete: 'cascade' }),
  fairlyPresented: integer('fairly_presented', { mode: 'boolean' }).notNull(),
  matters: text('matters').notNull().default(''),
  concludedBy: integer('concluded_by')
    .notNull()
    .references(() => users.id),
  concludedAt: text('concluded_at').notNull(),
  version: rowVersion(),
});
