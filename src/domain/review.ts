// Review of a workpaper: who may sign off at which level, when a sign-off has gone stale, who clears a note.
import { hasAtLeast, type EngagementRoleName } from './roles.js';

export const SIGNOFF_LEVELS = ['reviewed', 'second-review'] as const;
export type SignoffLevel = (typeof SIGNOFF_LEVELS)[number];
export const SIGNOFF_LABELS: Record<SignoffLevel | 'prepared', string> = {
  prepared: 'Prepared',
  reviewed: 'Reviewed',
  'second-review': 'Second-level review',
};

export interface Signoff {
  level: SignoffLevel;
  userId: number;
  signedAt: string;
}

export interface WorkpaperReviewFacts {
  /** The last change to the work itself (results, evidence, exceptions, conclusion). */
  changedAt: string | null;
  preparedBy: number | null;
  preparedAt: string | null;
  signoffs: readonly Signoff[];
  secondReviewRequired: boolean;
  /** Whether any result has been recorded yet. */
  started: boolean;
}

export type WorkpaperState = 'not-started' | 'in-testing' | 'prepared' | 'reviewed' | 'stale';
export const WORKPAPER_STATE_LABELS: Record<WorkpaperState, string> = {
  'not-started': 'Not started',
  'in-testing': 'In testing',
  prepared: 'Prepared',
  reviewed: 'Reviewed',
  stale: 'Stale sign-off',
};

/** A sign-off made before the latest change to the work no longer vouches for it. */
export function isStale(signedAt: string, changedAt: string | null): boolean {
  return changedAt !== null && changedAt > signedAt;
}

/** The latest sign-off at each level; re-signing replaces an older one. */
export function currentSignoffs(signoffs: readonly Signoff[]): Partial<Record<SignoffLevel, Signoff>> {
  const latest: Partial<Record<SignoffLevel, Signoff>> = {};
  for (const s of signoffs) if (!latest[s.level] || latest[s.level]!.signedAt < s.signedAt) latest[s.level] = s;
  return latest;
}

export function workpaperState(f: WorkpaperReviewFacts): WorkpaperState {
  const current = currentSignoffs(f.signoffs);
  const signed = [f.preparedAt, current.reviewed?.signedAt, current['second-review']?.signedAt].filter(
    (s): s is string => !!s,
  );
  if (signed.some((at) => isStale(at, f.changedAt))) return 'stale';
  if (!f.preparedAt) return f.started ? 'in-testing' : 'not-started';
  const reviewed = !!current.reviewed && (!f.secondReviewRequired || !!current['second-review']);
  return reviewed ? 'reviewed' : 'prepared';
}

/** What the audit trail says someone recorded on a workpaper. */
export const WORK_KINDS = ['result', 'exception', 'conclusion', 'evidence', 'item-notes'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
const WORK_LABELS: Record<WorkKind, [one: string, many: string]> = {
  result: ['a test result', 'test results'],
  exception: ['an exception record', 'exception records'],
  conclusion: ['the conclusion or its wording', 'the conclusion or its wording'],
  evidence: ['an evidence file', 'evidence files'],
  'item-notes': [
    'notes, tickmarks or an evidence reference on an item',
    'notes, tickmarks or evidence references on items',
  ],
};

export interface RecordedWork {
  userId: number;
  kind: WorkKind;
  /** How many trail entries of this kind the person made. */
  entries: number;
}

/**
 * Segregation of duties, whoever pressed "Prepared": a reviewer must not have recorded any of the work under
 * review. Null when `reviewerId` recorded none of it; otherwise the reason, naming what they recorded.
 */
export function reviewerIndependenceProblem(reviewerId: number, work: readonly RecordedWork[]): string | null {
  const own = WORK_KINDS.flatMap((kind) => {
    const entries = work.filter((w) => w.userId === reviewerId && w.kind === kind).reduce((n, w) => n + w.entries, 0);
    return entries === 0 ? [] : [entries === 1 ? WORK_LABELS[kind][0] : `${WORK_LABELS[kind][1]} (${entries} entries)`];
  });
  if (own.length === 0) return null;
  const list = own.length === 1 ? own[0] : `${own.slice(0, -1).join(', ')} and ${own.at(-1)}`;
  return `You recorded ${list} on this workpaper, so you cannot review it: a reviewer must have done none of the work, whoever marked it prepared.`;
}

export interface SignoffRequest {
  level: SignoffLevel;
  userId: number;
  role: EngagementRoleName;
  facts: WorkpaperReviewFacts;
  openNotes: number;
  /** Who recorded what on the workpaper, from the audit trail. */
  work: readonly RecordedWork[];
}

/** Why this person may not sign at this level now, or null when they may. */
export function signoffProblem({ level, userId, role, facts, openNotes, work }: SignoffRequest): string | null {
  if (!facts.preparedAt || isStale(facts.preparedAt, facts.changedAt))
    return 'The workpaper must be marked prepared (again, after the latest change) before it is reviewed.';
  if (facts.preparedBy === userId) return 'The preparer cannot review their own workpaper.';
  const didTheWork = reviewerIndependenceProblem(userId, work);
  if (didTheWork) return didTheWork;
  if (openNotes > 0)
    return `${openNotes} review note${openNotes === 1 ? ' is' : 's are'} still open; clear ${openNotes === 1 ? 'it' : 'them'} before signing.`;
  if (level === 'reviewed') return hasAtLeast(role, 'senior') ? null : 'A review sign-off needs a senior or above.';
  if (!(role === 'manager' || role === 'partner' || role === 'eqr'))
    return 'The second-level review is signed by a manager or the engagement partner.';
  const first = currentSignoffs(facts.signoffs).reviewed;
  if (!first || isStale(first.signedAt, facts.changedAt)) return 'The first-level review comes before the second.';
  if (first.userId === userId) return 'The second-level review must be by someone other than the first reviewer.';
  return null;
}

export const NOTE_STATUSES = ['open', 'responded', 'cleared'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** Only the note's author, or someone more senior on the team, clears it. */
export function mayClearNote(
  note: { authorId: number; authorRole: EngagementRoleName },
  user: { id: number; role: EngagementRoleName },
): boolean {
  if (note.authorId === user.id) return true;
  return hasAtLeast(user.role, note.authorRole) && !hasAtLeast(note.authorRole, user.role);
}

/** A note blocks sign-off and completion until it is cleared, whoever last wrote in it. */
export function isOpen(status: NoteStatus): boolean {
  return status !== 'cleared';
}

// ---------------------------------------------------------------------------------------------------------
// The engagement quality review.

export interface QualityReviewFacts {
  /** The team's quality reviewers, each with when they took the role (null: not known). */
  reviewers: readonly { userId: number; since: string | null }[];
  /** The quality-review signature on record, if any. */
  signature: { userId: number; signedAt: string } | null;
}

/**
 * Why the quality review does not yet allow approval, or null when it does (or none is required: no quality
 * reviewer on the team). A signature counts only while its signer holds the role, and only when given since
 * they were appointed: one by someone who has left the role, or from before the current appointment, does not.
 */
export function qualityReviewProblem({ reviewers, signature }: QualityReviewFacts): string | null {
  if (reviewers.length === 0) return null;
  if (!signature) return 'The engagement quality reviewer has not signed off.';
  const signer = reviewers.find((r) => r.userId === signature.userId);
  if (!signer)
    return 'The quality review on record was signed by someone who is not the engagement quality reviewer now; the reviewer appointed must sign it.';
  if (signer.since === null || signer.since > signature.signedAt)
    return 'The quality review on record was signed before the current appointment as engagement quality reviewer; it must be signed again.';
  return null;
}
