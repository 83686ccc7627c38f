import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { engagements, subserviceOrgs } from './engagements.js';

/** A SOC 1 / ISAE 3402 engagement's control objectives, written by the service organization, in report order. */
export const controlObjectives = sqliteTable(
  'control_objectives',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    reference: text('reference').notNull(),
    text: text('text').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('control_objectives_reference_unique').on(t.engagementId, sql`lower(${t.reference})`)],
);

export const COMPLEMENTARY_KINDS = ['cuec', 'csoc'] as const;
export type ComplementaryKind = (typeof COMPLEMENTARY_KINDS)[number];

/** CUECs (operated by user entities) and CSOCs (operated by a carved-out subservice organization): listed, not tested. */
export const complementaryControls = sqliteTable(
  'complementary_controls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engagementId: integer('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: COMPLEMENTARY_KINDS }).notNull(),
    reference: text('reference').notNull(),
    description: text('description').notNull(),
    subserviceOrgId: integer('subservice_org_id').references(() => subserviceOrgs.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('complementary_controls_reference_unique').on(t.engagementId, sql`lower(${t.reference})`),
    check('complementary_controls_csoc_has_org', sql`(${t.kind} = 'csoc') = (${t.subserviceOrgId} IS NOT NULL)`),
  ],
);

/** What a complementary control supports: a criterion id (SOC 2) or an objective (SOC 1). */
export const complementaryControlMappings = sqliteTable(
  'complementary_control_mappings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    complementaryControlId: integer('complementary_control_id')
      .notNull()
      .references(() => complementaryControls.id, { onDelete: 'cascade' }),
    criterionId: text('criterion_id'),
    objectiveId: integer('objective_id').references(() => controlObjectives.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('complementary_control_mappings_control_idx').on(t.complementaryControlId),
    index('complementary_control_mappings_objective_idx').on(t.objectiveId),
    check('complementary_control_mappings_one_target', sql`(${t.criterionId} IS NULL) <> (${t.objectiveId} IS NULL)`),
  ],
);
