// The ITGCs a control depends on, and what their workpapers concluded: read by the control page, edited by itgc/.
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { controlItgcLinks, controls, populations, workpapers } from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import type { LinkedItgc } from '../../domain/itgc-reliance.js';

export interface ItgcLink {
  id: number;
  reference: string;
  description: string;
}

/** The controls `controlId` depends on, by reference. */
export function itgcLinksOf(db: Tx, controlId: number): ItgcLink[] {
  const rows = db
    .select({ id: controls.id, reference: controls.reference, description: controls.description })
    .from(controlItgcLinks)
    .innerJoin(controls, eq(controls.id, controlItgcLinks.itgcId))
    .where(eq(controlItgcLinks.controlId, controlId))
    .orderBy(asc(controls.id))
    .all();
  return rows.sort((a, b) => compareReferences(a.reference, b.reference));
}

/** Each linked ITGC with the conclusions of its workpapers on populations still in use. */
export function linkedItgcsOf(db: Tx, controlId: number): LinkedItgc[] {
  const links = itgcLinksOf(db, controlId);
  if (links.length === 0) return [];
  const rows = db
    .select({ controlId: workpapers.controlId, conclusion: workpapers.conclusion })
    .from(workpapers)
    .innerJoin(populations, eq(populations.id, workpapers.populationId))
    .where(
      and(
        inArray(
          workpapers.controlId,
          links.map((l) => l.id),
        ),
        ne(populations.status, 'replaced'),
      ),
    )
    .all();
  return links.map((l) => ({
    reference: l.reference,
    conclusions: rows.filter((r) => r.controlId === l.id).map((r) => r.conclusion),
  }));
}

/** The links as a form shows them, so a save based on another set is refused (someone changed them meanwhile). */
export function linkSetOf(ids: readonly number[]): string {
  return [...ids].sort((a, b) => a - b).join(',');
}
