// How large a sample may be, and who must approve one above the firm's limit (issue 12, item 9).

import type { EngagementRoleName } from './roles.js';

/** The most items a sample may hold, extensions included: every page and action is built and tested for it. */
export const MAX_SAMPLE_SIZE = 10_000;

/** Managers and the engagement partner approve samples above the firm's limit. */
export function canApproveLargeSample(role: EngagementRoleName): boolean {
  return role === 'manager' || role === 'partner';
}

export type SizeDecision =
  /** Within the firm's limit: drawn at once. */
  | { kind: 'within-limit' }
  /** Above it, asked for by a manager or the partner: drawn at once, the asker recorded as approver. */
  | { kind: 'approved-by-asker' }
  /** Above it, asked for by anyone else: kept pending, nothing drawn, until a manager approves. */
  | { kind: 'needs-approval'; message: string }
  | { kind: 'refused'; message: string };

const n = (x: number) => x.toLocaleString('en-US');

/** What a selection (or an extension to `size` items in all) of this size needs, asked for by `role`. */
export function sizeDecision(size: number, limit: number, role: EngagementRoleName): SizeDecision {
  if (size > MAX_SAMPLE_SIZE) return { kind: 'refused', message: `A sample holds at most ${n(MAX_SAMPLE_SIZE)} items; ${n(size)} is more. Test a population this large another way (data analytics, or split it).` };
  if (size <= limit) return { kind: 'within-limit' };
  if (canApproveLargeSample(role)) return { kind: 'approved-by-asker' };
  return { kind: 'needs-approval', message: `A sample of ${n(size)} items is above the firm’s limit of ${n(limit)}: a manager or the engagement partner must approve it.` };
}
