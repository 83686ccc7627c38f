// Which role may use which route: the one place that decides. Every write route, and every route outside an
// engagement, has a row here (the app refuses to start otherwise, and refuses a row no route answers to);
// reading a page of an engagement takes only a place on its team. The rules themselves are in domain/roles.ts.
import * as roles from '../../domain/roles.js';
import type { EngagementRoleName } from '../../domain/roles.js';
import { canApproveLargeSample } from '../../domain/sample-approval.js';

/** The writes a locked engagement still takes; every other write is refused (423) once the opinion is approved. */
export interface LockExemption {
  /** Accepted while the engagement is locked (approved). */
  whenLocked: true;
  /** Accepted even once it is archived (read-only for good). */
  whenArchived?: true;
}

interface TeamRule {
  kind: 'team';
  allowed: (role: EngagementRoleName) => boolean;
  action: string;
  lockExemption?: LockExemption;
}

export type RouteRule =
  | { kind: 'signed-in' }
  | { kind: 'firm'; allowed: (firmRole: string) => boolean; refusal: string }
  | TeamRule;

const signedIn: RouteRule = { kind: 'signed-in' };
const firm = (allowed: (firmRole: string) => boolean, refusal: string): RouteRule => ({
  kind: 'firm',
  allowed,
  refusal,
});
const team = (allowed: (role: EngagementRoleName) => boolean, action: string): TeamRule => ({
  kind: 'team',
  allowed,
  action,
});

/** The same team rule, for a write a locked engagement still accepts. */
const evenWhenLocked = (rule: TeamRule, exemption: LockExemption = { whenLocked: true }): TeamRule => ({
  ...rule,
  lockExemption: exemption,
});

const E = '/engagements/:engagementId';
const WP = `${E}/controls/:controlId/workpaper/:populationId`;

const creators = firm(roles.canCreateEngagement, 'Only managers, partners and administrators open engagements.');
const importers = firm(roles.canImportEngagement, 'Only managers, partners and administrators import engagements.');
const administrators = firm(roles.canAdministerUsers, 'Only administrators manage users.');
const methodologySetters = firm(roles.canSetFirmMethodology, 'Only administrators set the firm’s methodology.');
const engagementEditors = team(roles.canEditEngagement, 'edit the engagement');
const teamManagers = team(roles.canManageTeam, 'change the team');
const matrixEditors = team(roles.canEditControls, 'change the control matrix');
const planEditors = team(roles.canEditTestPlan, 'edit test plans and walkthroughs');
const populationImporters = team(roles.canImportPopulation, 'upload or map a population');
const testers = team(roles.canRecordTesting, 'record testing');
const requestEditors = team(roles.canEditRequests, 'edit the request list');
const opinionDeciders = team(roles.canDecideOpinion, 'decide on the opinion');
const limitationRecorders = team(roles.canRecordScopeLimitation, 'record scope limitations');
const notApplicableMarkers = team(roles.canMarkNotApplicable, 'mark criteria not applicable');
const noteAnswerers = team(roles.canAnswerReviewNote, 'answer review notes');

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /': signedIn,
  'GET /account/password': signedIn,
  'POST /account/password': signedIn,
  'GET /admin/users': administrators,
  'POST /admin/users': administrators,
  'POST /admin/users/:userId/role': administrators,
  'POST /admin/users/:userId/active': administrators,
  'POST /admin/users/:userId/password': administrators,
  'GET /admin/trusted-keys': administrators,
  'POST /admin/trusted-keys': administrators,
  'POST /admin/trusted-keys/:keyId/remove': administrators,
  'GET /admin/methodology': methodologySetters,
  'POST /admin/methodology': methodologySetters,
  'GET /engagements': signedIn,
  'GET /engagements/new': creators,
  'POST /engagements': creators,
  'GET /engagements/import': importers,
  'POST /engagements/import': importers,

  [`POST ${E}/subservice-orgs`]: engagementEditors,
  [`POST ${E}/subservice-orgs/:orgId/remove`]: engagementEditors,
  [`GET ${E}/edit`]: engagementEditors,
  [`POST ${E}/edit`]: engagementEditors,
  [`POST ${E}/team`]: teamManagers,
  [`POST ${E}/team/:memberId/role`]: teamManagers,
  [`POST ${E}/team/:memberId/remove`]: teamManagers,

  [`GET ${E}/controls/new`]: matrixEditors,
  [`POST ${E}/controls`]: matrixEditors,
  [`POST ${E}/controls/:controlId/delete`]: team(roles.canDeleteControl, 'delete a control'),
  [`GET ${E}/controls/:controlId/details/edit`]: matrixEditors,
  [`POST ${E}/controls/:controlId/details`]: matrixEditors,
  [`GET ${E}/controls/:controlId/test-plan/edit`]: planEditors,
  [`POST ${E}/controls/:controlId/test-plan`]: planEditors,
  [`GET ${E}/controls/:controlId/walkthrough/edit`]: planEditors,
  [`POST ${E}/controls/:controlId/walkthrough`]: planEditors,
  [`POST ${E}/controls/:controlId/itgcs`]: matrixEditors,
  [`GET ${E}/controls/import`]: matrixEditors,
  [`POST ${E}/controls/import`]: matrixEditors,
  [`GET ${E}/controls/import/:importId`]: matrixEditors,
  [`POST ${E}/controls/import/:importId/confirm`]: matrixEditors,
  [`POST ${E}/controls/import/:importId/discard`]: matrixEditors,
  [`POST ${E}/objectives`]: matrixEditors,
  [`POST ${E}/objectives/:objectiveId`]: matrixEditors,
  [`POST ${E}/objectives/:objectiveId/move`]: matrixEditors,
  [`POST ${E}/objectives/:objectiveId/delete`]: matrixEditors,
  [`POST ${E}/complementary-controls`]: matrixEditors,
  [`GET ${E}/complementary-controls/:complementaryId/edit`]: matrixEditors,
  [`POST ${E}/complementary-controls/:complementaryId`]: matrixEditors,
  [`POST ${E}/complementary-controls/:complementaryId/delete`]: matrixEditors,
  [`POST ${E}/tickmarks`]: matrixEditors,
  [`POST ${E}/tickmarks/defaults`]: matrixEditors,
  [`POST ${E}/tickmarks/:tickmarkId`]: matrixEditors,
  [`POST ${E}/tickmarks/:tickmarkId/delete`]: matrixEditors,

  [`POST ${E}/holidays`]: team(roles.canEditHolidays, 'change the holiday calendar'),
  [`POST ${E}/holidays/upload`]: team(roles.canEditHolidays, 'change the holiday calendar'),
  [`POST ${E}/controls/:controlId/populations/generate`]: team(roles.canPreparePopulation, 'generate occurrences'),
  [`POST ${E}/controls/:controlId/populations/upload`]: populationImporters,
  [`POST ${E}/populations/:populationId/mapping`]: populationImporters,
  [`POST ${E}/populations/:populationId/ca`]: team(roles.canRecordCa, 'record completeness and accuracy'),
  [`POST ${E}/populations/:populationId/ca/complete`]: team(
    roles.canCompleteCa,
    'mark completeness and accuracy complete',
  ),
  [`POST ${E}/populations/:populationId/ca/not-needed`]: team(
    roles.canWaiveCa,
    'mark completeness and accuracy not needed',
  ),
  [`POST ${E}/populations/:populationId/replace`]: team(roles.canReplacePopulation, 'replace a population'),
  [`POST ${E}/populations/:populationId/samples`]: team(roles.canSelectSample, 'select a sample'),
  [`POST ${E}/samples/:sampleId/verify`]: team(roles.canReadEngagement, 'verify a selection'),
  [`POST ${E}/samples/:sampleId/approve`]: team(
    canApproveLargeSample,
    'approve a sample above the firm’s limit or below its proposed size',
  ),
  [`POST ${E}/samples/:sampleId/decline`]: team(
    canApproveLargeSample,
    'decline a sample above the firm’s limit or below its proposed size',
  ),

  [`POST ${WP}/cells`]: testers,
  [`POST ${WP}/bulk-pass`]: testers,
  [`POST ${WP}/items/:sampleItemId/results`]: testers,
  [`POST ${WP}/items/:sampleItemId/notes`]: testers,
  [`POST ${WP}/items/:sampleItemId/exceptions/:attribute`]: testers,
  [`POST ${WP}/conclusion`]: testers,
  [`POST ${WP}/wording`]: testers,
  [`POST ${WP}/extend`]: testers,
  [`POST ${WP}/replacements`]: testers,
  [`POST ${WP}/overrides`]: testers,
  [`POST ${WP}/overrides/:overrideId/approve`]: team(
    roles.canDecideOverride,
    'approve an override of the figures’ proposal',
  ),
  [`POST ${WP}/overrides/:overrideId/decline`]: team(
    roles.canDecideOverride,
    'decline an override of the figures’ proposal',
  ),
  [`POST ${WP}/items/:sampleItemId/exceptions/:attribute/anomaly`]: team(roles.canProposeAnomaly, 'propose an anomaly'),
  [`POST ${WP}/anomalies/:anomalyId/approve`]: team(roles.canDecideAnomaly, 'approve an anomaly'),
  [`POST ${WP}/anomalies/:anomalyId/decline`]: team(roles.canDecideAnomaly, 'decline an anomaly'),
  [`POST ${WP}/prepared`]: testers,
  [`POST ${WP}/evidence`]: testers,
  [`POST ${WP}/items/:sampleItemId/evidence`]: testers,
  [`POST ${WP}/evidence/:evidenceId/supersede`]: testers,
  [`POST ${WP}/evidence/:evidenceId/delete`]: testers,

  [`POST ${E}/workpapers/:workpaperId/signoffs`]: team(roles.canSignOff, 'sign off a review'),
  [`POST ${E}/workpapers/:workpaperId/notes`]: team(roles.canRaiseReviewNote, 'raise review notes'),
  [`POST ${E}/review-notes/:noteId/responses`]: noteAnswerers,
  [`POST ${E}/review-notes/:noteId/clear`]: noteAnswerers,

  [`POST ${E}/opinion/pervasiveness`]: opinionDeciders,
  [`POST ${E}/opinion/scope-limitations`]: limitationRecorders,
  [`POST ${E}/opinion/scope-limitations/:limitationId/remove`]: limitationRecorders,
  [`POST ${E}/opinion/not-applicable`]: notApplicableMarkers,
  [`POST ${E}/opinion/not-applicable/:exclusionId/remove`]: notApplicableMarkers,
  [`POST ${E}/opinion/description`]: team(roles.canConcludeDescription, 'conclude on the description'),
  [`POST ${E}/assertion`]: team(roles.canRecordAssertion, 'record management’s assertion'),
  [`POST ${E}/opinion/quality-review`]: team(roles.canSignQualityReview, 'sign the quality review'),
  [`POST ${E}/opinion/approve`]: opinionDeciders,
  // The partner unlocking it, with a reason: the one way back into the work.
  [`POST ${E}/opinion/unlock`]: evenWhenLocked(opinionDeciders),
  [`POST ${E}/audit-trail/verify`]: team(roles.canVerifyTrail, 'run the audit-trail check'),

  [`POST ${E}/pbc`]: requestEditors,
  [`GET ${E}/pbc/:requestId/edit`]: requestEditors,
  [`POST ${E}/pbc/:requestId`]: requestEditors,
  [`POST ${E}/pbc/import`]: requestEditors,
  // Creates the next engagement and only reads this one, so even an archived engagement is rolled forward.
  [`POST ${E}/roll-forward`]: evenWhenLocked(team(roles.canRollForward, 'roll the engagement forward'), {
    whenLocked: true,
    whenArchived: true,
  }),
  [`GET ${E}/archive/export`]: team(roles.canExportEngagement, 'export the engagement'),
  // Archiving is what a locked (approved) engagement is for.
  [`POST ${E}/archive`]: evenWhenLocked(team(roles.canArchiveEngagement, 'archive the engagement')),
};

export const ENGAGEMENT_PREFIX = E;

/** Reading any page of an engagement: its team, every role on it. */
const READ = team(roles.canReadEngagement, 'open this page');

/** The rule for a route; undefined when the table has none (the app does not start then, see below). */
export function ruleFor(route: { method: string; url: string }): RouteRule | undefined {
  // A HEAD request is the GET without its body (fastify adds one to every GET route).
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const rule = ROUTE_RULES[`${method} ${route.url}`];
  if (rule || method !== 'GET' || !route.url.startsWith(`${E}`)) return rule;
  return READ;
}

/** Which writes a locked or archived engagement still accepts, from the route's rule. */
export function lockExemptionOf(route: { method: string; url: string }): LockExemption | undefined {
  const rule = ruleFor(route);
  return rule?.kind === 'team' ? rule.lockExemption : undefined;
}

/** Every route needs a rule and every rule a route; engagement routes take team rules, the others firm ones. */
export function routeRuleProblems(routes: readonly { method: string; url: string; public: boolean }[]): string[] {
  const governed = routes.filter((r) => !r.public && !r.url.startsWith('/static/'));
  const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
  const problems: string[] = [];
  for (const route of governed) {
    const rule = ruleFor(route);
    const inEngagement = route.url === E || route.url.startsWith(`${E}/`);
    if (!rule) problems.push(`${route.method} ${route.url} has no row in route-rules.ts: say which roles may use it`);
    else if (inEngagement !== (rule.kind === 'team'))
      problems.push(
        `${route.method} ${route.url} needs a ${inEngagement ? 'team' : 'firm or signed-in'} rule in route-rules.ts`,
      );
  }
  for (const key of Object.keys(ROUTE_RULES))
    if (!keys.has(key)) problems.push(`route-rules.ts has a row for ${key}, which no route answers to`);
  return problems;
}
