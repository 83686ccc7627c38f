import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import {
  engagementMembers,
  engagements,
  subserviceOrgs,
  users,
  type EngagementRole,
  type FirmRole,
} from '../../db/schema/index.js';
import type { EngagementMethodology } from '../../domain/methodology.js';

export type EngagementRow = typeof engagements.$inferSelect;
export type NewEngagement = Omit<typeof engagements.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export interface EngagementListItem {
  id: number;
  clientName: string;
  systemName: string;
  framework: string;
  reportType: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  role: EngagementRole;
  partnerName: string | null;
}

/** The engagements a user is on, with their role and the engagement's partner: every page's header lists them. */
const engagementsOfUser = preparedQuery((db) =>
  db
    .select({
      id: engagements.id,
      clientName: engagements.clientName,
      systemName: engagements.systemName,
      framework: engagements.framework,
      reportType: engagements.reportType,
      periodStart: engagements.periodStart,
      periodEnd: engagements.periodEnd,
      status: engagements.status,
      role: engagementMembers.role,
      partnerName: sql<
        string | null
      >`(SELECT u.name FROM engagement_members p JOIN users u ON u.id = p.user_id WHERE p.engagement_id = ${engagements.id} AND p.role = 'partner')`,
    })
    .from(engagementMembers)
    .innerJoin(engagements, eq(engagements.id, engagementMembers.engagementId))
    .where(eq(engagementMembers.userId, sql.placeholder('userId')))
    .orderBy(asc(engagements.clientName), asc(engagements.periodStart))
    .prepare(),
);

export function listEngagementsForUser(db: Tx, userId: number): EngagementListItem[] {
  return engagementsOfUser(db).all({ userId });
}

const engagementById = preparedQuery((db) =>
  db
    .select()
    .from(engagements)
    .where(eq(engagements.id, sql.placeholder('id')))
    .prepare(),
);

export function getEngagement(db: Tx, id: number): EngagementRow | undefined {
  return engagementById(db).get({ id });
}

const roleOnEngagement = preparedQuery((db) =>
  db
    .select({ role: engagementMembers.role })
    .from(engagementMembers)
    .where(
      and(
        eq(engagementMembers.engagementId, sql.placeholder('engagementId')),
        eq(engagementMembers.userId, sql.placeholder('userId')),
      ),
    )
    .prepare(),
);

export function membershipOf(db: Tx, engagementId: number, userId: number): { role: EngagementRole } | undefined {
  return roleOnEngagement(db).get({ engagementId, userId });
}

/** A new engagement always names the methodology it starts with (the column's default is for older rows only). */
export function insertEngagement(
  tx: Tx,
  values: NewEngagement & { methodology: EngagementMethodology },
): EngagementRow {
  const now = new Date().toISOString();
  return tx
    .insert(engagements)
    .values({ ...values, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function updateEngagement(tx: Tx, id: number, values: Partial<NewEngagement>): EngagementRow {
  return tx
    .update(engagements)
    .set({ ...values, updatedAt: new Date().toISOString() })
    .where(eq(engagements.id, id))
    .returning()
    .get();
}

export interface TeamRow {
  memberId: number;
  userId: number;
  name: string;
  email: string;
  role: EngagementRole;
  /** When they took their current role; null when not known (set before it was recorded). */
  roleSince: string | null;
  firmRole: FirmRole;
  active: boolean;
  /** Named by an unverified archive copy: a record, not an account. */
  recorded: boolean;
}

export function listTeam(db: Tx, engagementId: number): TeamRow[] {
  return db
    .select({
      memberId: engagementMembers.id,
      userId: users.id,
      name: users.name,
      // A person recorded from an unverified archive shows the e-mail the archive gave, not the placeholder.
      email: sql<string>`coalesce(${users.recordedEmail}, ${users.email})`,
      role: engagementMembers.role,
      roleSince: engagementMembers.roleSince,
      firmRole: users.firmRole,
      active: users.active,
      recorded: sql<boolean>`${users.recordedEmail} IS NOT NULL`.mapWith(Boolean),
    })
    .from(engagementMembers)
    .innerJoin(users, eq(users.id, engagementMembers.userId))
    .where(eq(engagementMembers.engagementId, engagementId))
    .orderBy(asc(users.name))
    .all();
}

export function listSubserviceOrgs(db: Tx, engagementId: number) {
  return db
    .select()
    .from(subserviceOrgs)
    .where(eq(subserviceOrgs.engagementId, engagementId))
    .orderBy(asc(subserviceOrgs.name))
    .all();
}
