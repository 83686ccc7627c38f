// The firm's methodology and each engagement's copy of it. Every rule that takes firm policy reads it through
// methodologyOf (or engagementMethodology for an engagement row already loaded): never from the configuration.
//
// The configuration's TICKMARK_ASSEMBLY_DAYS, TICKMARK_RETENTION_YEARS and TICKMARK_LARGE_SAMPLE_ITEMS are the
// defaults of those settings: they hold until an administrator first saves the firm's methodology, after which
// the saved settings hold and the environment no longer changes them.
import { RuleError } from '../../core/errors.js';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import { engagements, firmMethodology, users } from '../../db/schema/index.js';
import type { FilePolicy } from '../../domain/file-assembly.js';
import {
  DEFAULT_METHODOLOGY,
  methodologyChanges,
  methodologyProblems,
  readEngagementMethodology,
  readMethodology,
  type EngagementMethodology,
  type Methodology,
} from '../../domain/methodology.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { assertBasedOn } from '../../core/http/versions.js';

export type { EngagementMethodology, Methodology } from '../../domain/methodology.js';

/** The firm's methodology before an administrator saves it: Tickmark's defaults, with the configuration's. */
export function configuredMethodology(config: {
  assemblyDays: number;
  retentionYears: number;
  largeSampleItems: number;
}): Methodology {
  return {
    ...DEFAULT_METHODOLOGY,
    assemblyDays: config.assemblyDays,
    retentionYears: config.retentionYears,
    largeSampleItems: config.largeSampleItems,
  };
}

export interface FirmMethodology {
  settings: Methodology;
  /** The stored row's version; 0 while nothing has been saved (the defaults apply). */
  version: number;
  savedAt: string | null;
  savedBy: string | null;
}

const FIRM_ROW = 1;

/** The firm's current methodology: as last saved, or `defaults` (configuredMethodology) before the first save. */
export function firmMethodologyOf(db: Tx, defaults: Methodology): FirmMethodology {
  const row = db
    .select({
      settings: firmMethodology.settings,
      version: firmMethodology.version,
      savedAt: firmMethodology.savedAt,
      savedBy: users.name,
    })
    .from(firmMethodology)
    .innerJoin(users, eq(users.id, firmMethodology.savedBy))
    .where(eq(firmMethodology.id, FIRM_ROW))
    .get();
  if (!row) return { settings: defaults, version: 0, savedAt: null, savedBy: null };
  const settings = readMethodology(row.settings);
  if (!settings) throw new Error('firm_methodology holds settings that are not valid');
  return { ...row, settings };
}

/**
 * Saves the firm's methodology based on the version the form showed (StaleVersionError when someone saved since),
 * recording each value that changed; the first save records every value. Returns how many values changed
 * (0: nothing written).
 */
export function saveFirmMethodology(
  db: Db,
  actor: CurrentUser,
  settings: Methodology,
  basedOn: number,
  defaults: Methodology,
): number {
  const problems = methodologyProblems(settings);
  if (Object.keys(problems).length > 0)
    throw new RuleError(Object.values(problems)[0] ?? 'The settings are not valid.', { fields: problems });
  return db.transaction((tx) => {
    const current = firmMethodologyOf(tx, defaults);
    assertBasedOn(current.version, basedOn);
    const first = current.version === 0;
    const changes = methodologyChanges(first ? null : current.settings, settings);
    if (Object.keys(changes).length === 0) return 0;
    const savedAt = new Date().toISOString();
    if (first) tx.insert(firmMethodology).values({ id: FIRM_ROW, settings, savedBy: actor.id, savedAt }).run();
    else
      tx.update(firmMethodology)
        .set({ settings, savedBy: actor.id, savedAt })
        .where(eq(firmMethodology.id, FIRM_ROW))
        .run();
    appendAudit(tx, actor.id, {
      engagementId: null,
      entity: 'firm-methodology',
      entityId: FIRM_ROW,
      action: first ? 'create' : 'update',
      changes,
    });
    return Object.keys(changes).length;
  });
}

/** The copy a new engagement starts with: the firm's settings now, and the day they were saved. */
export function startingMethodology(db: Tx, defaults: Methodology): EngagementMethodology {
  const firm = firmMethodologyOf(db, defaults);
  return { firmSettingsOf: firm.savedAt?.slice(0, 10) ?? null, settings: firm.settings };
}

/** The engagement's copy, checked: every write and every archive import validates it, so a bad one is a fault. */
export function engagementMethodology(engagement: { id: number; methodology: unknown }): EngagementMethodology {
  const copy = readEngagementMethodology(engagement.methodology);
  if (!copy) throw new Error(`engagement ${engagement.id} holds a methodology that is not valid`);
  return copy;
}

const methodologyColumn = preparedQuery((db) =>
  db
    .select({ id: engagements.id, methodology: engagements.methodology })
    .from(engagements)
    .where(eq(engagements.id, sql.placeholder('id')))
    .prepare(),
);

/** The settings every rule of this engagement follows. */
export function methodologyOf(db: Tx, engagementId: number): Methodology {
  const row = methodologyColumn(db).get({ id: engagementId });
  if (!row) throw new Error(`no engagement ${engagementId}`);
  return engagementMethodology(row).settings;
}

/** Assembly and retention of the engagement's file, as its copy of the firm's policy has them. */
export function filePolicyOf(engagement: { id: number; methodology: unknown }): FilePolicy {
  const { assemblyDays, retentionYears } = engagementMethodology(engagement).settings;
  return { assemblyDays, retentionYears };
}

export { extensionText, methodologySummary, sampleSizesText, SIZE_ROWS, sizeKey } from './summary.js';
export { keepConfiguredPolicyOnUpgrade } from './upgrade.js';
