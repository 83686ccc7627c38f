// Who may do what: seniority on an engagement team, the firm roles behind it, and one rule per action.
// Every rule names the roles it lets in, so a role added later (a read-only viewer, say) is let in nowhere
// until a rule says so.

/** `viewer` reads everything and does nothing: the importer of an unverified archive copy holds it. */
export type EngagementRoleName = 'staff' | 'senior' | 'manager' | 'partner' | 'eqr' | 'viewer';
export type FirmRoleName = 'staff' | 'senior' | 'manager' | 'partner' | 'admin';

const RANK: Record<EngagementRoleName, number> = { viewer: 0, staff: 1, senior: 2, manager: 3, partner: 4, eqr: 4 };
const FIRM_RANK: Record<FirmRoleName, number> = { staff: 1, senior: 2, manager: 3, partner: 4, admin: 0 };

export const ENGAGEMENT_ROLE_LABELS: Record<EngagementRoleName, string> = {
  staff: 'Staff',
  senior: 'Senior',
  manager: 'Manager',
  partner: 'Engagement partner',
  eqr: 'Engagement quality reviewer',
  viewer: 'Viewer (read-only)',
};

export const FIRM_ROLE_LABELS: Record<FirmRoleName, string> = {
  staff: 'Staff',
  senior: 'Senior',
  manager: 'Manager',
  partner: 'Partner',
  admin: 'Administrator',
};

const among =
  (...roles: EngagementRoleName[]) =>
  (role: EngagementRoleName): boolean =>
    roles.includes(role);

/** True when `role` is at least as senior as `minimum` (the quality reviewer ranks with the partner). */
export function hasAtLeast(role: EngagementRoleName, minimum: EngagementRoleName): boolean {
  return RANK[role] >= RANK[minimum];
}

// ---------------------------------------------------------------------------------------------------------
// Firm roles and the engagement roles they can hold.

const isFirmRole = (role: string): role is FirmRoleName => role in FIRM_RANK;

/** Firm roles that may open a new engagement. */
export function canCreateEngagement(firmRole: string): boolean {
  return firmRole === 'manager' || firmRole === 'partner' || firmRole === 'admin';
}

/** Bringing an archived engagement into this firm's instance creates an engagement: whoever may open one. */
export function canImportEngagement(firmRole: string): boolean {
  return canCreateEngagement(firmRole);
}

/** Accounts and firm roles are the administrator's alone. */
export function canAdministerUsers(firmRole: string): boolean {
  return firmRole === 'admin';
}

/** The firm's methodology (sample sizes, extensions, file policy) is set on the administrator's screen. */
export function canSetFirmMethodology(firmRole: string): boolean {
  return firmRole === 'admin';
}

/**
 * Whether someone of this firm role can hold this role on a team: nobody above their own seniority (the quality
 * reviewer ranks with the partner, so is a partner of the firm), and an administrator never, who manages
 * accounts and does no audit work.
 */
export function canHoldEngagementRole(firmRole: string, role: EngagementRoleName): boolean {
  return isFirmRole(firmRole) && FIRM_RANK[firmRole] > 0 && FIRM_RANK[firmRole] >= RANK[role];
}

/** The engagement role a member starts with, from their firm role; null for an administrator, who is never on a team. */
export function defaultEngagementRole(firmRole: string): EngagementRoleName | null {
  if (firmRole === 'staff' || firmRole === 'senior' || firmRole === 'manager' || firmRole === 'partner')
    return firmRole;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The engagement and its team.

export const canEditEngagement = among('manager', 'partner');
/** Adding, removing and changing members; appointing the quality reviewer is the partner's alone (team.ts). */
export const canManageTeam = among('manager', 'partner');
/** Opens next period's engagement from this one: whoever may edit it. */
export const canRollForward = among('manager', 'partner');
/** Takes the whole engagement file away as an archive: the managers and the partner who answer for it. */
export const canExportEngagement = among('manager', 'partner');
/** Archiving makes the file read-only for good: the engagement partner's decision alone. */
export const canArchiveEngagement = among('partner');
/** Runs the check of the whole audit trail's hash chain. */
export const canVerifyTrail = among('partner');

// ---------------------------------------------------------------------------------------------------------
// The control matrix. The quality reviewer stays out of the work they review, here and below.

/** Builds the control matrix (controls, objectives, complementary controls, import, legend): seniors and up. */
export const canEditControls = among('senior', 'manager', 'partner');
/** Deleting a control removes its plan and walkthrough with it, so it is a manager's or the partner's call. */
export const canDeleteControl = among('manager', 'partner');
/** Writes test plans and walkthroughs: every member who does the testing. */
export const canEditTestPlan = among('staff', 'senior', 'manager', 'partner');
/** Keeps the list of what the client is to provide. */
export const canEditRequests = among('staff', 'senior', 'manager', 'partner');

// ---------------------------------------------------------------------------------------------------------
// Populations and samples.

/** Generates a periodic control's occurrences from its frequency: everyone who tests. */
export const canPreparePopulation = among('staff', 'senior', 'manager', 'partner');
/** Brings a client's listing in (upload and mapping) as a population: seniors and up, as replacing one is. */
export const canImportPopulation = among('senior', 'manager', 'partner');
/** Records the completeness-and-accuracy evidence of a population. */
export const canRecordCa = among('staff', 'senior', 'manager', 'partner');
/** Marks completeness and accuracy complete: a senior or above who does the work. */
export const canCompleteCa = among('senior', 'manager', 'partner');
/** Marks a population's completeness and accuracy "not needed", with a reason: a senior or above who does the work. */
export const canWaiveCa = among('senior', 'manager', 'partner');
/** Replaces a population (its selection is discarded): a senior or above who does the work. */
export const canReplacePopulation = among('senior', 'manager', 'partner');
/** Keeps the engagement's holiday calendar, which every daily control on business days depends on: seniors and up. */
export const canEditHolidays = among('senior', 'manager', 'partner');
/** Selects a sample from a population. */
export const canSelectSample = among('staff', 'senior', 'manager', 'partner');

// ---------------------------------------------------------------------------------------------------------
// Testing, review and the opinion.

/** Marks test grids, records exceptions and evidence, concludes and marks workpapers prepared. */
export const canRecordTesting = among('staff', 'senior', 'manager', 'partner');
/** Approves or declines an override of the figures' proposal (a further extension, a softer conclusion): a
 * manager or the partner, never the person who asked for it (overrides.ts). */
export const canDecideOverride = among('manager', 'partner');
/** Proposes treating a deviation as an ISAE anomaly, with the reason: a senior or above (anomaly.ts). */
export const canProposeAnomaly = among('senior', 'manager', 'partner');
/** Approves or declines a proposed anomaly: a manager or the partner, never its proposer (anomaly.ts). */
export const canDecideAnomaly = among('manager', 'partner');
/** Signs a workpaper off as reviewed (the level and who did the work are checked in review.ts). */
export const canSignOff = among('senior', 'manager', 'partner', 'eqr');
/** Raises a review note: whoever may review. */
export const canRaiseReviewNote = canSignOff;
/** Replies to a review note or clears it (who may clear which note is decided in review.ts). */
export const canAnswerReviewNote = among('staff', 'senior', 'manager', 'partner', 'eqr');
/** Judges pervasiveness, approves the opinion (which locks the engagement) and unlocks it. */
export const canDecideOpinion = among('partner');
/** Records a scope limitation against a criterion or objective. */
export const canRecordScopeLimitation = among('manager', 'partner');
/** Marks a criterion or objective in scope not applicable, with the reason, or removes the mark. */
export const canMarkNotApplicable = among('manager', 'partner');
/** Concludes whether the description fairly presents the system (element (a) of the opinion). */
export const canConcludeDescription = among('manager', 'partner');
/** Records or replaces management's assertion (the service organisation's statement under ISAE). */
export const canRecordAssertion = among('manager', 'partner');
/** Signs the engagement quality review. */
export const canSignQualityReview = among('eqr');

/** Reading the engagement, and the actions that only read (verifying a sample's selection): every role on the team. */
export const canReadEngagement = among('staff', 'senior', 'manager', 'partner', 'eqr', 'viewer');
