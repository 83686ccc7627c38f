import { and, asc, eq, sql } from 'drizzle-orm';
import { RuleError } from '../../core/errors.js';
import type { Db, Tx } from '../../db/connection.js';
import { complementaryControlMappings, complementaryControls, subserviceOrgs } from '../../db/schema/index.js';
import { compareReferences } from '../../domain/criteria.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { mappedReferences, replaceMappings, type EngagementScope } from '../criteria/index.js';

export interface ComplementaryValues {
  kind: 'cuec' | 'csoc';
  reference: string;
  description: string;
  subserviceOrgId: number | null;
  criteria: string[];
}

const FIELDS: (keyof ComplementaryValues)[] = ['kind', 'reference', 'description', 'subserviceOrgId', 'criteria'];

export interface ComplementaryView {
  id: number;
  kind: 'cuec' | 'csoc';
  reference: string;
  description: string;
  subserviceOrgId: number | null;
  subserviceOrgName: string | null;
  criteria: string[];
}

export function listComplementary(db: Tx, engagementId: number): ComplementaryView[] {
  const rows = db
    .select({ c: complementaryControls, orgName: subserviceOrgs.name })
    .from(complementaryControls)
    .leftJoin(subserviceOrgs, eq(subserviceOrgs.id, complementaryControls.subserviceOrgId))
    .where(eq(complementaryControls.engagementId, engagementId))
    .orderBy(asc(complementaryControls.kind))
    .all();
  const criteria = mappedReferences(
    db,
    complementaryControlMappings,
    rows.map((r) => r.c.id),
  );
  return rows
    .map(({ c, orgName }) => ({ ...c, subserviceOrgName: orgName, criteria: criteria.get(c.id) ?? [] }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || compareReferences(a.reference, b.reference));
}

/** CSOCs belong to a carved-out subservice organization of this engagement; references are unique in it. */
function checkRules(tx: Tx, engagementId: number, values: ComplementaryValues, exceptId?: number): void {
  if (values.kind === 'csoc') {
    const org = tx
      .select()
      .from(subserviceOrgs)
      .where(and(eq(subserviceOrgs.id, values.subserviceOrgId ?? -1), eq(subserviceOrgs.engagementId, engagementId)))
      .get();
    if (!org)
      throw new RuleError('Choose one of the carved-out parties recorded on this engagement.', {
        field: 'subserviceOrgId',
      });
    if (org.method !== 'carve-out')
      throw new RuleError(`${org.name} is included (inclusive method): its controls are tested, not listed as CSOCs.`, {
        field: 'subserviceOrgId',
      });
  }
  const other = tx
    .select()
    .from(complementaryControls)
    .where(
      and(
        eq(complementaryControls.engagementId, engagementId),
        sql`lower(${complementaryControls.reference}) = lower(${values.reference})`,
      ),
    )
    .get();
  if (other && other.id !== exceptId)
    throw new RuleError(`${other.reference} is already used by another complementary control.`, { field: 'reference' });
}

function rowValues(values: ComplementaryValues) {
  return {
    kind: values.kind,
    reference: values.reference,
    description: values.description,
    subserviceOrgId: values.kind === 'csoc' ? values.subserviceOrgId : null,
  };
}

export function addComplementary(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  scope: EngagementScope,
  values: ComplementaryValues,
): void {
  db.transaction((tx) => {
    checkRules(tx, engagementId, values);
    const row = tx
      .insert(complementaryControls)
      .values({ engagementId, ...rowValues(values) })
      .returning()
      .get();
    replaceMappings(tx, complementaryControlMappings, row.id, values.criteria, scope);
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'complementary-control',
      entityId: row.id,
      action: 'create',
      changes: diff(null, { ...row, criteria: values.criteria }, FIELDS),
    });
  });
}

export function editComplementary(
  db: Db,
  actor: CurrentUser,
  engagementId: number,
  id: number,
  scope: EngagementScope,
  values: ComplementaryValues,
): boolean {
  return db.transaction((tx) => {
    const before = listComplementary(tx, engagementId).find((c) => c.id === id);
    if (!before) return false;
    checkRules(tx, engagementId, values, id);
    const after = tx
      .update(complementaryControls)
      .set(rowValues(values))
      .where(eq(complementaryControls.id, id))
      .returning()
      .get();
    replaceMappings(tx, complementaryControlMappings, id, values.criteria, scope);
    const changes = diff<ComplementaryValues>(
      before,
      { ...after, criteria: [...values.criteria].sort(compareReferences) },
      FIELDS,
    );
    if (Object.keys(changes).length)
      appendAudit(tx, actor.id, {
        engagementId,
        entity: 'complementary-control',
        entityId: id,
        action: 'update',
        changes,
      });
    return true;
  });
}

export function deleteComplementary(db: Db, actor: CurrentUser, engagementId: number, id: number): boolean {
  return db.transaction((tx) => {
    const before = listComplementary(tx, engagementId).find((c) => c.id === id);
    if (!before) return false;
    tx.delete(complementaryControls).where(eq(complementaryControls.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'complementary-control',
      entityId: id,
      action: 'delete',
      changes: diff<ComplementaryValues>(before, null, FIELDS),
    });
    return true;
  });
}
