import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { type controlMappings, controlObjectives, type complementaryControlMappings } from '../../db/schema/index.js';
import {
  compareReferences,
  criteriaInScope,
  objectiveResolver,
  tscResolver,
  usesCriteria,
  type ScopeItem,
  type ScopeResolver,
} from '../../domain/criteria.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { tscCatalogue } from './catalogue.js';

/** What this engagement's controls are mapped to, and how a written reference resolves against it. */
export interface EngagementScope {
  kind: 'criteria' | 'objectives';
  items: ScopeItem[];
  resolve: ScopeResolver;
  /** Objective id by its reference (SOC 1); empty for criteria. */
  objectiveIds: Map<string, number>;
}

export function listObjectives(db: Tx, engagementId: number) {
  return db
    .select()
    .from(controlObjectives)
    .where(eq(controlObjectives.engagementId, engagementId))
    .orderBy(asc(controlObjectives.position), asc(controlObjectives.id))
    .all();
}

export function engagementScope(db: Tx, rootDir: string, engagement: EngagementRow): EngagementScope {
  if (usesCriteria(engagement.framework)) {
    const catalogue = tscCatalogue(rootDir);
    const items = criteriaInScope(catalogue, engagement.categories).map((c) => ({
      reference: c.id,
      title: c.title,
      group: c.series,
    }));
    return { kind: 'criteria', items, resolve: tscResolver(catalogue, engagement.categories), objectiveIds: new Map() };
  }
  const objectives = listObjectives(db, engagement.id);
  return {
    kind: 'objectives',
    items: objectives.map((o) => ({ reference: o.reference, title: o.text, group: 'Control objectives' })),
    resolve: objectiveResolver(objectives.map((o) => o.reference)),
    objectiveIds: new Map(objectives.map((o) => [o.reference, o.id])),
  };
}

/** Ids bound per query: well under SQLite's limit of 32,766 variables, and one query for any real matrix. */
const CHUNK = 5000;

type MappingTable = typeof controlMappings | typeof complementaryControlMappings;

function ownerColumn(table: MappingTable) {
  return 'controlId' in table ? table.controlId : table.complementaryControlId;
}

/** Mapped references (criterion ids or objective references) of each owner, in reading order: one query. */
export function mappedReferences(db: Tx, table: MappingTable, ownerIds: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (ownerIds.length === 0) return out;
  const owner = ownerColumn(table);
  for (let i = 0; i < ownerIds.length; i += CHUNK) {
    const rows = db
      .select({ ownerId: owner, criterionId: table.criterionId, objectiveRef: controlObjectives.reference })
      .from(table)
      .leftJoin(controlObjectives, eq(controlObjectives.id, table.objectiveId))
      .where(inArray(owner, ownerIds.slice(i, i + CHUNK)))
      .all();
    for (const row of rows) {
      const ref = row.criterionId ?? row.objectiveRef;
      if (ref) out.set(row.ownerId, [...(out.get(row.ownerId) ?? []), ref]);
    }
  }
  for (const refs of out.values()) refs.sort(compareReferences);
  return out;
}

/** Replaces an owner's mappings with the given canonical references (already resolved against the scope). */
export function replaceMappings(
  tx: Tx,
  table: MappingTable,
  ownerId: number,
  references: readonly string[],
  scope: EngagementScope,
): void {
  const owner = ownerColumn(table);
  tx.delete(table).where(eq(owner, ownerId)).run();
  if (references.length === 0) return;
  const rows = references.map((ref) => {
    const target =
      scope.kind === 'criteria'
        ? { criterionId: ref, objectiveId: null }
        : { criterionId: null, objectiveId: scope.objectiveIds.get(ref) ?? null };
    if (target.criterionId === null && target.objectiveId === null)
      throw new Error(`reference ${ref} is not in the engagement's scope`);
    return 'controlId' in table ? { controlId: ownerId, ...target } : { complementaryControlId: ownerId, ...target };
  });
  tx.insert(table as typeof controlMappings)
    .values(rows as (typeof controlMappings.$inferInsert)[])
    .run();
}
