import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { controls, exceptionRecords, populationItems, sampleItems, workpapers } from '../../db/schema/index.js';

/** The exceptions of the engagement this one was rolled forward from, for planning this period's testing. */
export function priorExceptions(db: Tx, rolledFromId: number | null) {
  if (!rolledFromId) return [];
  return db
    .select({
      reference: controls.reference,
      itemKey: populationItems.key,
      attribute: exceptionRecords.attribute,
      description: exceptionRecords.description,
      managementResponse: exceptionRecords.managementResponse,
      conclusion: workpapers.conclusion,
    })
    .from(exceptionRecords)
    .innerJoin(workpapers, eq(workpapers.id, exceptionRecords.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .innerJoin(sampleItems, eq(sampleItems.id, exceptionRecords.sampleItemId))
    .innerJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(eq(exceptionRecords.engagementId, rolledFromId))
    .orderBy(asc(controls.reference))
    .all();
}
