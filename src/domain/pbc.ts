// The PBC ("provided by client") request list: statuses and when a request is overdue.
import type { IsoDate } from './types.js';

export const PBC_STATUSES = ['open', 'submitted', 'accepted', 'returned'] as const;
export type PbcStatus = (typeof PBC_STATUSES)[number];
export const PBC_STATUS_LABELS: Record<PbcStatus, string> = {
  open: 'Open',
  submitted: 'Submitted',
  accepted: 'Accepted',
  returned: 'Returned to client',
};

/** Waiting on the client (open, or returned for rework) past its due date. `today` is a plain calendar date. */
export function isOverdue(request: { status: PbcStatus; dueDate: IsoDate | null }, today: IsoDate): boolean {
  return (
    (request.status === 'open' || request.status === 'returned') && request.dueDate !== null && request.dueDate < today
  );
}

/** The next free reference in the PBC-001 series. */
export function nextReference(existing: readonly string[]): string {
  const numbers = existing
    .map((r) => /^PBC-(\d+)$/i.exec(r)?.[1])
    .filter((n): n is string => !!n)
    .map(Number);
  const next = (numbers.length ? Math.max(...numbers) : 0) + 1;
  return `PBC-${String(next).padStart(3, '0')}`;
}
