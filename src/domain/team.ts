// The engagement team: its shape as a whole, who may put whom in which role, and the quality reviewer's
// independence (ISQM 2: the engagement quality reviewer is appointed by the firm, is not a member of the
// engagement team and reviews what the team did).
import {
  canHoldEngagementRole,
  ENGAGEMENT_ROLE_LABELS,
  FIRM_ROLE_LABELS,
  type EngagementRoleName,
  type FirmRoleName,
} from './roles.js';

export interface TeamMember {
  userId: number;
  role: EngagementRoleName;
}

/** What is wrong with a team as a whole: exactly one engagement partner, at most one quality reviewer. */
export function teamProblem(members: readonly TeamMember[]): string | null {
  const partners = members.filter((m) => m.role === 'partner').length;
  if (partners === 0) return 'The team needs an engagement partner.';
  if (partners > 1) return 'A team has exactly one engagement partner; change the current partner’s role first.';
  if (members.filter((m) => m.role === 'eqr').length > 1)
    return 'An engagement has one engagement quality reviewer; stand the current one down first.';
  const ids = new Set(members.map((m) => m.userId));
  if (ids.size !== members.length) return 'A person can be on the team only once.';
  return null;
}

export interface Appointment {
  /** The role on this team of whoever makes the change. */
  actorRole: EngagementRoleName;
  /** The person's role on the team before the change; null when they are being added. */
  from: EngagementRoleName | null;
  /** Their role after it; null when they are being removed. */
  to: EngagementRoleName | null;
}

/**
 * Only the engagement partner appoints or stands down the quality reviewer, who comes from outside the team:
 * nobody already on it in another role (the partner included) becomes its quality reviewer.
 */
export function appointmentProblem({ actorRole, from, to }: Appointment): string | null {
  if (from === to) return null;
  if ((from === 'eqr' || to === 'eqr') && actorRole !== 'partner')
    return 'Only the engagement partner appoints or stands down the engagement quality reviewer.';
  if (to === 'eqr' && from !== null)
    return 'The engagement quality reviewer is independent of the team: someone already on it in another role cannot become its quality reviewer. Appoint a partner from outside the team.';
  return null;
}

/** Nobody holds a role above their firm role, and an administrator is never on a team. */
export function firmRoleProblem(firmRole: FirmRoleName, role: EngagementRoleName): string | null {
  if (firmRole === 'admin') return 'An administrator manages accounts and is never on an engagement team.';
  if (canHoldEngagementRole(firmRole, role)) return null;
  const needs = role === 'eqr' || role === 'partner' ? ': that takes a partner of the firm' : '';
  return `A ${FIRM_ROLE_LABELS[firmRole].toLowerCase()} of the firm cannot be ${ENGAGEMENT_ROLE_LABELS[role].toLowerCase()} on a team${needs}.`;
}

/** Why this change to one member may not be made, or null. */
export function roleChangeProblem(change: Appointment & { firmRole: FirmRoleName }): string | null {
  const problem = appointmentProblem(change);
  if (problem || change.to === null || change.to === change.from) return problem;
  return firmRoleProblem(change.firmRole, change.to);
}

/** The roles this member of the team may offer someone whose role is `from` (null: joining the team). */
export function rolesOnOffer(
  actorRole: EngagementRoleName,
  from: EngagementRoleName | null,
  roles: readonly EngagementRoleName[],
): EngagementRoleName[] {
  return roles.filter((to) => appointmentProblem({ actorRole, from, to }) === null);
}
