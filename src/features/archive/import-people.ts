// Who the archive's rows name, and who they become here. A verified archive's people are matched to accounts by
// e-mail (missing ones get an inactive account without a usable password) and its team is checked against this
// firm's rules. An unverified copy's people become records only: new rows that are never accounts, so nothing
// in the copy ever points at a person of this firm.
import { RuleError } from '../../core/errors.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { users, type FirmRole } from '../../db/schema/index.js';
import { importedTeamProblem, type ImportedMember } from '../../domain/imported-team.js';
import type { EngagementRoleName } from '../../domain/roles.js';
import type { EngagementData } from './export-data.js';
import { archivePlan } from './table-plan.js';

/** Not an argon2 hash, so no password ever verifies against it. */
const NO_PASSWORD = '!imported-without-password';

export interface People {
  idOf: Map<string, number>;
  /** Accounts created (verified import) or people recorded (unverified copy), by e-mail. */
  added: string[];
}

/** The e-mails the rows refer to. */
export function neededPeople(data: EngagementData): Set<string> {
  const needed = new Set<string>();
  for (const p of archivePlan())
    for (const c of p.columns)
      if (c.ref === 'users')
        for (const r of data.tables[p.name] ?? []) if (typeof r[c.name] === 'string') needed.add(r[c.name] as string);
  return needed;
}

/** An import never brings in an administrator. */
const firmRoleFor = (archived: string): FirmRole => (archived === 'admin' ? 'staff' : (archived as FirmRole));

function localAccount(tx: Tx, email: string) {
  return tx
    .select({ id: users.id, firmRole: users.firmRole })
    .from(users)
    .where(sql`lower(${users.email}) = ${email} AND ${users.recordedEmail} IS NULL`)
    .get();
}

/** Verified import: the firm role each person has here (or gets), for the team check. */
export function firmRolesHere(tx: Tx, data: EngagementData, needed: Set<string>): Map<string, FirmRole> {
  return new Map(
    data.users
      .filter((u) => needed.has(u.email))
      .map((u) => [u.email, localAccount(tx, u.email)?.firmRole ?? (u.firmRole as FirmRole)]),
  );
}

/** Verified import: people matched to accounts by e-mail; missing ones become inactive accounts. */
export function matchPeople(tx: Tx, data: EngagementData, needed: Set<string>): People {
  const idOf = new Map<string, number>();
  const added: string[] = [];
  const now = new Date().toISOString();
  for (const u of data.users) {
    if (!needed.has(u.email)) continue;
    const existing = localAccount(tx, u.email);
    if (existing) idOf.set(u.email, existing.id);
    else {
      const row = tx
        .insert(users)
        .values({
          email: u.email,
          name: u.name,
          firmRole: firmRoleFor(u.firmRole),
          active: false,
          passwordHash: NO_PASSWORD,
          mustChangePassword: true,
          createdAt: now,
        })
        .returning({ id: users.id })
        .get();
      idOf.set(u.email, row.id);
      added.push(u.email);
    }
  }
  return { idOf, added };
}

/** Unverified copy: one record per person, whatever accounts exist here; its e-mail is a placeholder that no one
 * can log in with, and its name says whom the archive named. */
export function recordPeople(tx: Tx, data: EngagementData, needed: Set<string>): People {
  const idOf = new Map<string, number>();
  const now = new Date().toISOString();
  for (const u of data.users) {
    if (!needed.has(u.email)) continue;
    const row = tx
      .insert(users)
      .values({
        email: `recorded-${randomUUID()}@unverified-copy.invalid`,
        name: `${u.name} (recorded: ${u.email})`,
        firmRole: firmRoleFor(u.firmRole),
        active: false,
        passwordHash: NO_PASSWORD,
        mustChangePassword: true,
        createdAt: now,
        recordedEmail: u.email,
      })
      .returning({ id: users.id })
      .get();
    idOf.set(u.email, row.id);
  }
  return { idOf, added: [...idOf.keys()] };
}

/** Verified import: the archive's team under this firm's rules, with each person's firm role here. */
export function checkImportedTeam(data: EngagementData, firmRoles: Map<string, FirmRole>): void {
  const members: ImportedMember[] = (data.tables.engagement_members ?? []).map((m) => ({
    email: m.user_id as string,
    role: m.role as EngagementRoleName,
    firmRole: firmRoles.get(m.user_id as string)!,
  }));
  const engagement = data.tables.engagements![0]!;
  const decision = (data.tables.opinion_decisions ?? [])[0];
  const acts = [
    { what: 'approving the opinion', email: (decision?.approved_by as string | null | undefined) ?? null },
    { what: 'locking the engagement', email: (engagement.locked_by as string | null | undefined) ?? null },
    { what: 'archiving the engagement', email: (engagement.archived_by as string | null | undefined) ?? null },
  ];
  const problem = importedTeamProblem(members, acts);
  if (problem)
    throw new RuleError(
      `The archive is signed by a trusted key, but its team breaks this firm’s rules: ${problem} Nothing was imported.`,
    );
}
