import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CONTROL_TYPES, FREQUENCIES, NATURES, OCCURRENCE_CALENDARS, RISKS } from '../../domain/types.js';
import { DESIGN_CONCLUSIONS, PROCEDURE_KINDS } from '../../domain/test-plan.js';
import { engagements } from './engagements.js';
import { users } from './auth.js';
import { controlObjectives } from './criteria.js';
import { rowVersion } from './row-version.js';

export const controls = sqliteTable(
  'controls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    reference: text('reference').notNull(),
    description: text('description').notNull(),
    owner: text('owner').notNull().default(''),
    frequency: text('frequency', { enum: FREQUENCIES }).notNull(),
    nature: text('nature', { enum: NATURES }).notNull(),
    controlType: text('control_type', { enum: CONTROL_TYPES }).notNull(),
    isKey: integer('is_key', { mode: 'boolean' }).notNull().default(false),
    risk: text('risk', { enum: RISKS }).notNull(),
    implementedFrom: text('implemented_from').notNull(),
    /** The days a daily control operates on; other frequencies keep the default. */
    calendar: text('calendar', { enum: OCCURRENCE_CALENDARS }).notNull().default('business-days'),
    /** A change during the period splits its testing in two; both descriptions are kept. */
    changedOn: text('changed_on'),
    descriptionBeforeChange: text('description_before_change').notNull().default(''),
    descriptionAfterChange: text('description_after_change').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** The control's details as the control form edits them. */
    version: rowVersion(),
    /** The test plan (procedures and attributes, rows of their own): raised by every write of the plan. */
    planVersion: integer('plan_version').notNull().default(1),
  },
  (t) => [uniqueIndex('controls_reference_unique').on(t.engagementId, sql`lower(${t.reference})`)],
);

/** The criteria (SOC 2: a criterion id) or objectives (SOC 1) a control addresses. */
export const controlMappings = sqliteTable(
  'control_mappings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    criterionId: text('criterion_id'),
    objectiveId: integer('objective_id').references(() => controlObjectives.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('control_mappings_criterion_unique').on(t.controlId, t.criterionId),
    uniqueIndex('control_mappings_objective_unique').on(t.controlId, t.objectiveId),
    index('control_mappings_objective_idx').on(t.objectiveId),
    check('control_mappings_one_target', sql`(${t.criterionId} IS NULL) <> (${t.objectiveId} IS NULL)`),
  ],
);

export const testProcedures = sqliteTable(
  'test_procedures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: PROCEDURE_KINDS }).notNull(),
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('test_procedures_position_unique').on(t.controlId, t.position)],
);

export const testAttributes = sqliteTable(
  'test_attributes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    letter: text('letter').notNull(),
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('test_attributes_letter_unique').on(t.controlId, t.letter)],
);

/** The walkthrough of one instance that confirms a control's design; one per control. */
export const walkthroughs = sqliteTable(
  'walkthroughs',
  {
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    performedOn: text('performed_on').notNull(),
    performedBy: integer('performed_by')
      .notNull()
      .references(() => users.id),
    traced: text('traced').notNull(),
    conclusion: text('conclusion', { enum: DESIGN_CONCLUSIONS }).notNull(),
    deficiency: text('deficiency').notNull().default(''),
    updatedAt: text('updated_at').notNull(),
    version: rowVersion(),
  },
  (t) => [primaryKey({ columns: [t.controlId] })],
);

/** An uploaded matrix waiting for the user to confirm it; the parsed cells stay here, never in the browser. */
export const controlImports = sqliteTable(
  'control_imports',
  {
    id: text('id').primaryKey(),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    /** JSON: the sheet's rows as text cells. */
    table: text('table_json', { mode: 'json' }).$type<string[][]>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('control_imports_engagement_idx').on(t.engagementId)],
);

/** The IT general controls (controls of the same matrix) a control depends on: its test is relied on only once
 * each is concluded effective (domain/itgc-reliance). */
export const controlItgcLinks = sqliteTable(
  'control_itgc_links',
  {
    controlId: integer('control_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
    itgcId: integer('itgc_id')
      .notNull()
      .references(() => controls.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.controlId, t.itgcId] }),
    index('control_itgc_links_itgc_idx').on(t.itgcId),
    check('control_itgc_links_not_self', sql`${t.controlId} <> ${t.itgcId}`),
  ],
);
