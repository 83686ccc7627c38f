// An engagement imported from another instance keeps its team only if the team obeys this firm's rules, with
// each person's firm role as it is here: the archive's word for who may do what is not taken on trust.
import { canHoldEngagementRole, FIRM_ROLE_LABELS, type EngagementRoleName } from './roles.js';
import { teamProblem } from './team.js';

export interface ImportedMember {
  email: string;
  role: EngagementRoleName;
  /** The person's firm role here (for someone without an account here, the one their new account gets). */
  firmRole: keyof typeof FIRM_ROLE_LABELS;
}

/** An act that only the engagement partner performs (approving the opinion, archiving), and who the archive says did it. */
export interface PartnerAct {
  what: string;
  email: string | null;
}

/** No one holds an engagement role above their firm seniority (the quality reviewer ranks with the partner). */
export function roleFitsFirmRole(role: EngagementRoleName, firmRole: keyof typeof FIRM_ROLE_LABELS): boolean {
  return canHoldEngagementRole(firmRole, role);
}

/** The first way the imported team breaks this firm's rules, or null when it holds. */
export function importedTeamProblem(members: readonly ImportedMember[], acts: readonly PartnerAct[]): string | null {
  const admin = members.find((m) => m.firmRole === 'admin');
  if (admin) return `${admin.email} is an administrator here, and an administrator is never on an engagement team.`;
  const index = new Map(members.map((m, i) => [m.email, i]));
  const problem = teamProblem(members.map((m) => ({ userId: index.get(m.email)!, role: m.role })));
  if (problem) return problem;
  for (const m of members) {
    if (m.role === 'partner' && m.firmRole !== 'partner')
      return `${m.email} is the engagement partner in the archive but a ${FIRM_ROLE_LABELS[m.firmRole].toLowerCase()} here; only a partner of this firm can be the engagement partner.`;
    if (!roleFitsFirmRole(m.role, m.firmRole))
      return `${m.email} holds an engagement role above their firm role here (${FIRM_ROLE_LABELS[m.firmRole].toLowerCase()}).`;
  }
  const partner = members.find((m) => m.role === 'partner')!;
  const stranger = acts.find((a) => a.email !== null && a.email !== partner.email);
  if (stranger)
    return `the archive says ${stranger.what} was done by ${stranger.email}, who is not its engagement partner (${partner.email}).`;
  return null;
}
