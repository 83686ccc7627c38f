// How large a sample may be, and when a manager must approve one before it is drawn: above the firm's limit
// (issue 12, item 9), or smaller than the size proposed for the control (issue 13, item 4).

import type { EngagementRoleName } from './roles.js';

/** The most items a sample may hold, extensions included: every page and action is built and tested for it. */
export const MAX_SAMPLE_SIZE = 10_000;

/** Managers and the engagement partner approve samples above the firm's limit or below the proposal. */
export function canApproveLargeSample(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

export type SizeDecision =
  /** Nothing to approve (within the limit, not below the proposal): drawn at once. */
  | { kind: 'within-limit' }
  /** Asked for by a manager or the partner: drawn at once, the asker recorded as approver. */
  | { kind: 'approved-by-asker'; grounds: string }
  /** Asked for by anyone else: kept pending, nothing drawn, until a manager approves. */
  | { kind: 'needs-approval'; grounds: string; message: string }
  | { kind: 'refused'; message: string };

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Why a selection of `size` items needs a manager's approval, in words for the trail and the pages (empty when
 * it needs none). A sample smaller than proposed gives less assurance than the control's risk called for.
 */
export function approvalGrounds(size: number, limit: number, proposed: number | null = null): string[] {
  const grounds: string[] = [];
  if (proposed !== null && size < proposed) grounds.push(`smaller than the proposed ${n(proposed)} items`);
  if (size > limit) grounds.push(`above the firm’s limit of ${n(limit)}`);
  return grounds;
}

/** "Smaller than the proposed 25 items": the grounds as recorded on the sample. */
const sentence = (grounds: string[]) => grounds.join(' and ').replace(/^./, (c) => c.toUpperCase());

/**
 * What a selection (or an extension to `size` items in all) of this size needs, asked for by `role`; `proposed`
 * is the size the table or the statistics proposed for a selection (none for an extension).
 */
export function sizeDecision(
  size: number,
  limit: number,
  role: EngagementRoleName,
  proposed: number | null = null,
): SizeDecision {
  if (size > MAX_SAMPLE_SIZE)
    return {
      kind: 'refused',
      message: `A sample holds at most ${n(MAX_SAMPLE_SIZE)} items; ${n(size)} is more. Test a population this large another way (data analytics, or split it).`,
    };
  const grounds = approvalGrounds(size, limit, proposed);
  if (grounds.length === 0) return { kind: 'within-limit' };
  if (canApproveLargeSample(role)) return { kind: 'approved-by-asker', grounds: sentence(grounds) };
  return {
    kind: 'needs-approval',
    grounds: sentence(grounds),
    message: `A sample of ${n(size)} items is ${grounds.join(' and ')}: a manager or the engagement partner must approve it.`,
  };
}

/** A selection smaller than the proposal must say why before a manager is asked to approve it; null when it may go on. */
export function smallerSampleProblem(size: number, proposed: number | null, reason: string | null): string | null {
  if (proposed === null || size >= proposed || reason?.trim()) return null;
  return `Say why the sample is smaller than the proposed ${n(proposed)} items: a manager or the engagement partner approves it before anything is drawn.`;
}
