// Who may do what: seniority on an engagement team, and the firm roles behind it.

export type EngagementRoleName = 'staff' | 'senior' | 'manager' | 'partner' | 'eqr';

const RANK: Record<EngagementRoleName, number> = { staff: 1, senior: 2, manager: 3, partner: 4, eqr: 4 };

export const ENGAGEMENT_ROLE_LABELS: Record<EngagementRoleName, string> = {
  staff: 'Staff',
  senior: 'Senior',
  manager: 'Manager',
  partner: 'Engagement partner',
  eqr: 'Engagement quality reviewer',
};

export const FIRM_ROLE_LABELS = {
  staff: 'Staff',
  senior: 'Senior',
  manager: 'Manager',
  partner: 'Partner',
  admin: 'Administrator',
} as const;

/** True when `role` is at least as senior as `minimum` (the quality reviewer ranks with the partner). */
export function hasAtLeast(role: EngagementRoleName, minimum: EngagementRoleName): boolean {
  return RANK[role] >= RANK[minimum];
}

export function canManageTeam(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

export function canEditEngagement(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

/** Firm roles that may open a new engagement. */
export function canCreateEngagement(firmRole: string): boolean {
  return firmRole === 'manager' || firmRole === 'partner' || firmRole === 'admin';
}

/** The engagement role a member starts with, from their firm role. */
export function defaultEngagementRole(firmRole: string): EngagementRoleName {
  if (firmRole === 'staff' || firmRole === 'senior' || firmRole === 'manager' || firmRole === 'partner') return firmRole;
  return 'manager';
}

/** Builds the control matrix (controls, objectives, complementary controls, import, legend): seniors and up; the
 * quality reviewer stays out of the work they review. */
export function canEditControls(role: EngagementRoleName): boolean {
  return role === 'senior' || role === 'manager' || role === 'partner';
}

/** Writes test plans and walkthroughs: every member who does the testing. */
export function canEditTestPlan(role: EngagementRoleName): boolean {
  return role !== 'eqr';
}

/** Deleting a control removes its plan and walkthrough with it, so it is a manager's or the partner's call. */
export function canDeleteControl(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

/** Marks test grids, records exceptions and evidence, concludes and marks workpapers prepared: everyone who
 * tests; the quality reviewer stays out of the work they review. */
export function canRecordTesting(role: EngagementRoleName): boolean {
  return role !== 'eqr';
}

/** Takes the whole engagement file away as an archive: the managers and the partner who answer for it. */
export function canExportEngagement(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

/** Archiving makes the file read-only for good: the engagement partner's decision alone. */
export function canArchiveEngagement(role: EngagementRoleName): boolean {
  return role === 'partner';
}

/** Bringing an archived engagement into this firm's instance creates an engagement: whoever may open one. */
export function canImportEngagement(firmRole: string): boolean {
  return canCreateEngagement(firmRole);
}

/** Brings a client's listing in (upload and mapping) as a population: seniors and up, as replacing one is; the
 * quality reviewer stays out of the work they review. */
export function canImportPopulation(role: EngagementRoleName): boolean {
  return role === 'senior' || role === 'manager' || role === 'partner';
}
