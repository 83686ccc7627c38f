import { RuleError } from '../../core/errors.js';
import { and, asc, eq, ne } from 'drizzle-orm';
import { PAPER_LABELS, paperOf, type Paper } from '../../domain/paper.js';
import type { Db, Tx } from '../../db/connection.js';
import { engagementMembers, users, type EngagementRole } from '../../db/schema/index.js';
import { roleChangeProblem, teamProblem } from '../../domain/team.js';
import { defaultEngagementRole } from '../../domain/roles.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import { seedTickmarkLegend } from '../tickmarks/index.js';
import { startingMethodology, type Methodology } from '../methodology/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import { assertBasedOn } from '../../core/http/versions.js';
import type { EngagementInput } from './forms.js';
import {
  getEngagement,
  insertEngagement,
  listTeam,
  updateEngagement,
  type EngagementRow,
} from '../../core/engagement/queries.js';

const ENGAGEMENT_FIELDS = [
  'clientName',
  'systemName',
  'framework',
  'reportType',
  'periodStart',
  'periodEnd',
  'plannedReportDate',
  'paperSize',
  'categories',
  'status',
] as const;

export function activeUsers(db: Db, firmRole?: string) {
  const where = firmRole
    ? and(eq(users.active, true), eq(users.firmRole, firmRole as 'partner'))
    : and(eq(users.active, true), ne(users.firmRole, 'admin'));
  return db
    .select({ id: users.id, name: users.name, email: users.email, firmRole: users.firmRole })
    .from(users)
    .where(where)
    .orderBy(asc(users.name))
    .all();
}

/**
 * Creates the engagement with its partner and, unless an administrator, its creator on the team. It keeps a copy
 * of the firm's methodology as it stands now (`defaults`: the firm's settings before any were saved).
 */
/** `defaultPaper`: the firm's paper, for a form that did not choose one. */
export function createEngagement(
  db: Db,
  actor: CurrentUser,
  input: EngagementInput,
  partnerUserId: number,
  defaults: Methodology,
  defaultPaper: Paper = 'letter',
): EngagementRow {
  return db.transaction((tx) => {
    const partner = tx.select().from(users).where(eq(users.id, partnerUserId)).get();
    if (!partner?.active || partner.firmRole !== 'partner')
      throw new RuleError('Choose an active partner of the firm as engagement partner.');
    const engagement = insertEngagement(tx, {
      ...input,
      paperSize: input.paperSize ?? defaultPaper,
      methodology: startingMethodology(tx, defaults),
    });
    appendAudit(tx, actor.id, {
      engagementId: engagement.id,
      entity: 'engagement',
      entityId: engagement.id,
      action: 'create',
      changes: diff(null, engagement, [...ENGAGEMENT_FIELDS, 'methodology']),
    });
    addMember(tx, actor.id, engagement.id, partnerUserId, 'partner');
    // A partner opening an engagement for another partner joins it as a manager: a team has one partner.
    const creatorRole = defaultEngagementRole(actor.firmRole);
    if (creatorRole && actor.id !== partnerUserId)
      addMember(tx, actor.id, engagement.id, actor.id, creatorRole === 'partner' ? 'manager' : creatorRole);
    seedTickmarkLegend(tx, actor.id, engagement.id);
    return engagement;
  });
}

/** `basedOn`: the engagement's version the form showed; a save based on an older one is refused (StaleVersionError). */
export function editEngagement(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: EngagementInput,
  basedOn: number,
): EngagementRow {
  return db.transaction((tx) => {
    const before = getEngagement(tx, id)!;
    assertBasedOn(before.version, basedOn);
    const after = updateEngagement(tx, id, input);
    const changes = diff(before, after, [...ENGAGEMENT_FIELDS]);
    if (Object.keys(changes).length > 0)
      appendAudit(tx, actor.id, { engagementId: id, entity: 'engagement', entityId: id, action: 'update', changes });
    return after;
  });
}

/** What a refused edit shows as stored now, and who last changed it (an edit, the approval, unlocking…). */
export function engagementConflict(db: Tx, e: EngagementRow): ConflictView {
  return conflictView(db, {
    engagementId: e.id,
    entityId: e.id,
    changes: [
      { entity: 'engagement', actions: ['create', 'update', 'unlock', 'archive', 'roll-forward'] },
      { entity: 'opinion', actions: ['approve'] },
    ],
    what: 'the engagement',
    fields: [
      ['Client', e.clientName],
      ['System', e.systemName],
      ['Framework', fmt.FRAMEWORK_LABELS[e.framework] ?? e.framework],
      ['Report type', fmt.reportTypeLabel(e.framework, e.reportType)],
      e.reportType === 'type1'
        ? ['As of', fmt.date(e.periodEnd)]
        : ['Reporting period', fmt.period(e.periodStart, e.periodEnd)],
      ['Planned report date', e.plannedReportDate ? fmt.date(e.plannedReportDate) : null],
      ['Paper', PAPER_LABELS[paperOf(e)]],
      ['Status', fmt.STATUS_LABELS[e.status] ?? e.status],
      ['Categories in scope', ['Security', ...e.categories.map((c) => fmt.CATEGORY_LABELS[c] ?? c)].join(', ')],
    ],
  });
}

function addMember(tx: Tx, actorId: number, engagementId: number, userId: number, role: EngagementRole): void {
  const row = tx
    .insert(engagementMembers)
    .values({ engagementId, userId, role, roleSince: new Date().toISOString() })
    .returning()
    .get();
  appendAudit(tx, actorId, {
    engagementId,
    entity: 'team-member',
    entityId: row.id,
    action: 'create',
    changes: { userId: [null, userId], role: [null, role] },
  });
}

/** Team changes are applied, then the whole team is checked; a broken rule rolls everything back. */
function changeTeam(db: Db, engagementId: number, change: (tx: Tx) => void): void {
  db.transaction((tx) => {
    change(tx);
    const problem = teamProblem(listTeam(tx, engagementId));
    if (problem) throw new RuleError(problem);
  });
}

/** Who changes the team, and their role on it: appointing the quality reviewer is the partner's alone. */
export interface TeamActor {
  user: CurrentUser;
  role: EngagementRole;
}

function refuseChange(
  tx: Tx,
  actor: TeamActor,
  userId: number,
  from: EngagementRole | null,
  to: EngagementRole | null,
): void {
  const user = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!user || (to !== null && !user.active)) throw new RuleError('Choose an active user.');
  const problem = roleChangeProblem({ actorRole: actor.role, firmRole: user.firmRole, from, to });
  if (problem) throw new RuleError(problem);
}

export function addTeamMember(
  db: Db,
  actor: TeamActor,
  engagementId: number,
  userId: number,
  role: EngagementRole,
): void {
  changeTeam(db, engagementId, (tx) => {
    const existing = tx
      .select()
      .from(engagementMembers)
      .where(and(eq(engagementMembers.engagementId, engagementId), eq(engagementMembers.userId, userId)))
      .get();
    const user = tx.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
    if (existing && user) throw new RuleError(`${user.name} is already on the team.`);
    refuseChange(tx, actor, userId, null, role);
    addMember(tx, actor.user.id, engagementId, userId, role);
  });
}

export function changeMemberRole(
  db: Db,
  actor: TeamActor,
  engagementId: number,
  memberId: number,
  role: EngagementRole,
): void {
  changeTeam(db, engagementId, (tx) => {
    const member = findMember(tx, engagementId, memberId);
    if (member.role === role) return;
    refuseChange(tx, actor, member.userId, member.role, role);
    tx.update(engagementMembers)
      .set({ role, roleSince: new Date().toISOString() })
      .where(eq(engagementMembers.id, memberId))
      .run();
    appendAudit(tx, actor.user.id, {
      engagementId,
      entity: 'team-member',
      entityId: memberId,
      action: 'update',
      changes: { role: [member.role, role] },
    });
  });
}

export function removeMember(db: Db, actor: TeamActor, engagementId: number, memberId: number): void {
  changeTeam(db, engagementId, (tx) => {
    const member = findMember(tx, engagementId, memberId);
    if (member.userId === actor.user.id)
      throw new RuleError('You cannot remove yourself; ask another manager or the partner.');
    refuseChange(tx, actor, member.userId, member.role, null);
    tx.delete(engagementMembers).where(eq(engagementMembers.id, memberId)).run();
    appendAudit(tx, actor.user.id, {
      engagementId,
      entity: 'team-member',
      entityId: memberId,
      action: 'delete',
      changes: { userId: [member.userId, null], role: [member.role, null] },
    });
  });
}

function findMember(tx: Tx, engagementId: number, memberId: number) {
  const member = tx
    .select()
    .from(engagementMembers)
    .where(and(eq(engagementMembers.id, memberId), eq(engagementMembers.engagementId, engagementId)))
    .get();
  if (!member) throw new RuleError('That person is no longer on the team.');
  return member;
}
