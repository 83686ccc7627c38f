import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { engagementMembers, engagements, subserviceOrgs, users, type EngagementRole } from '../../db/schema/index.js';

export type EngagementRow = typeof engagements.$inferSelect;
export type NewEngagement = Omit<typeof engagements.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export interface EngagementListItem {
  id: number;
  clientName: string;
  systemName: string;
  framework: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  role: EngagementRole;
  partnerName: string | null;
}

export function listEngagementsForUser(db: Tx, userId: number): EngagementListItem[] {
  const mine = db
    .select({
      id: engagements.id,
      clientName: engagements.clientName,
      systemName: engagements.systemName,
      framework: engagements.framework,
      periodStart: engagements.periodStart,
      periodEnd: engagements.periodEnd,
      status: engagements.status,
      role: engagementMembers.role,
    })
    .from(engagementMembers)
    .innerJoin(engagements, eq(engagements.id, engagementMembers.engagementId))
    .where(eq(engagementMembers.userId, userId))
    .orderBy(asc(engagements.clientName), asc(engagements.periodStart))
    .all();
  if (mine.length === 0) return [];
  const partners = db
    .select({ engagementId: engagementMembers.engagementId, name: users.name })
    .from(engagementMembers)
    .innerJoin(users, eq(users.id, engagementMembers.userId))
    .where(and(inArray(engagementMembers.engagementId, mine.map((e) => e.id)), eq(engagementMembers.role, 'partner')))
    .all();
  const partnerOf = new Map(partners.map((p) => [p.engagementId, p.name]));
  return mine.map((e) => ({ ...e, partnerName: partnerOf.get(e.id) ?? null }));
}

export function getEngagement(db: Tx, id: number): EngagementRow | undefined {
  return db.select().from(engagements).where(eq(engagements.id, id)).get();
}

export function membershipOf(db: Tx, engagementId: number, userId: number): { role: EngagementRole } | undefined {
  return db
    .select({ role: engagementMembers.role })
    .from(engagementMembers)
    .where(and(eq(engagementMembers.engagementId, engagementId), eq(engagementMembers.userId, userId)))
    .get();
}

export function insertEngagement(tx: Tx, values: NewEngagement): EngagementRow {
  const now = new Date().toISOString();
  return tx.insert(engagements).values({ ...values, createdAt: now, updatedAt: now }).returning().get();
}

export function updateEngagement(tx: Tx, id: number, values: Partial<NewEngagement>): EngagementRow {
  return tx.update(engagements).set({ ...values, updatedAt: new Date().toISOString() }).where(eq(engagements.id, id)).returning().get();
}

export interface TeamRow {
  memberId: number;
  userId: number;
  name: string;
  email: string;
  role: EngagementRole;
  active: boolean;
}

export function listTeam(db: Tx, engagementId: number): TeamRow[] {
  return db
    .select({
      memberId: engagementMembers.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: engagementMembers.role,
      active: users.active,
    })
    .from(engagementMembers)
    .innerJoin(users, eq(users.id, engagementMembers.userId))
    .where(eq(engagementMembers.engagementId, engagementId))
    .orderBy(asc(users.name))
    .all();
}

export function listSubserviceOrgs(db: Tx, engagementId: number) {
  return db.select().from(subserviceOrgs).where(eq(subserviceOrgs.engagementId, engagementId)).orderBy(asc(subserviceOrgs.name)).all();
}
