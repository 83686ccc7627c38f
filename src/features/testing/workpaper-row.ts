// The workpaper row is created by the first write to a window's workpaper; every later write marks it changed.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { workpapers } from '../../db/schema/index.js';
import { workpaperOfPopulation, type WorkpaperRow } from './queries.js';
import type { WorkpaperScope } from './scope.js';

export function ensureWorkpaper(tx: Tx, scope: WorkpaperScope, actorId: number): WorkpaperRow {
  const existing = workpaperOfPopulation(tx, scope.population.id);
  if (existing) return existing;
  const now = new Date().toISOString();
  return tx
    .insert(workpapers)
    .values({
      engagementId: scope.engagementId,
      controlId: scope.control.id,
      populationId: scope.population.id,
      sampleId: scope.sample?.id ?? null,
      // Version 0 until its own fields change: a conclusion form opened before the first mark is not stale.
      version: 0,
      changedBy: actorId,
      changedAt: now,
      createdAt: now,
    })
    .returning()
    .get();
}

/**
 * Records that the work changed (a later sign-off compares its time with this). `values` change the workpaper's
 * own fields (conclusion, wording, preparer), and only they bump its version: marking cells does not make a
 * conclusion form stale.
 */
export function markChanged(
  tx: Tx,
  workpaper: WorkpaperRow,
  actorId: number,
  values: Partial<typeof workpapers.$inferInsert> = {},
  at = new Date().toISOString(),
): WorkpaperRow {
  const ownFieldsChanged = Object.keys(values).length > 0;
  return tx
    .update(workpapers)
    .set({
      ...values,
      changedBy: actorId,
      changedAt: at,
      version: ownFieldsChanged ? workpaper.version + 1 : workpaper.version,
    })
    .where(eq(workpapers.id, workpaper.id))
    .returning()
    .get();
}
