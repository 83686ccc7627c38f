import type { EngagementRoleName } from './roles.js';

export interface TeamMember {
  userId: number;
  role: EngagementRoleName;
}

/** What is wrong with a team as a whole: it needs exactly one engagement partner. */
export function teamProblem(members: readonly TeamMember[]): string | null {
  const partners = members.filter((m) => m.role === 'partner').length;
  if (partners === 0) return 'The team needs an engagement partner.';
  if (partners > 1) return 'A team has exactly one engagement partner; change the current partner’s role first.';
  const ids = new Set(members.map((m) => m.userId));
  if (ids.size !== members.length) return 'A person can be on the team only once.';
  return null;
}
