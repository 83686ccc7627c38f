// An import that does not finish (it failed, or the server stopped mid-way) leaves no half population: the rows
// that arrived are removed and the trail says what was lost and why.
import { count, eq } from 'drizzle-orm';
import { recordWrite } from '../../core/audit/record.js';
import type { Db } from '../../db/connection.js';
import { populationItems, populations } from '../../db/schema/index.js';

/**
 * Removes whatever rows arrived, so a failed or interrupted import leaves no half population behind, and says
 * so in the trail: the import had already removed the items of any earlier one, and the list changed.
 */
export function abandon(
  db: Db,
  populationId: number,
  message: string,
  actorId: number | null,
  action: 'import-failed' | 'import-interrupted' = 'import-failed',
): void {
  db.transaction((tx) => {
    const before = tx.select().from(populations).where(eq(populations.id, populationId)).get();
    if (!before) return;
    const arrived =
      tx.select({ n: count() }).from(populationItems).where(eq(populationItems.populationId, populationId)).get()?.n ??
      0;
    tx.delete(populationItems).where(eq(populationItems.populationId, populationId)).run();
    const after = tx
      .update(populations)
      .set({
        status: 'draft',
        importError: message,
        extraColumns: null,
        rowCount: 0,
        sampleableCount: 0,
        issueCount: 0,
        amountTotal: '0',
      })
      .where(eq(populations.id, populationId))
      .returning()
      .get();
    recordWrite(tx, actorId, {
      table: populations,
      entity: 'population',
      entityId: populationId,
      engagementId: before.engagementId,
      before,
      after,
      action,
      also: { rowsWrittenThenRemoved: [arrived, 0] },
    });
  });
}

/** At start-up: an import that was running when the process died is rolled back (by no one: the system). */
export function abandonInterruptedImports(db: Db): number {
  const stuck = db.select({ id: populations.id }).from(populations).where(eq(populations.status, 'importing')).all();
  for (const { id } of stuck)
    abandon(
      db,
      id,
      'The import was interrupted (the server stopped); nothing was kept. Run it again.',
      null,
      'import-interrupted',
    );
  return stuck.length;
}
