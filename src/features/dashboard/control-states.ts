// Each control's review state for the dashboard, from its workpapers (one per tested window).
import type { Tx } from '../../db/connection.js';
import { workpaperState, type WorkpaperState } from '../../domain/review.js';
import { signoffsOf, startedWorkpapers, workpapersOfEngagement } from '../review/index.js';

export interface ControlState {
  controlId: number;
  reference: string;
  state: WorkpaperState;
}

const ORDER: WorkpaperState[] = ['not-started', 'in-testing', 'prepared', 'reviewed'];

/** A control is as far along as its least advanced window; any stale sign-off makes it stale. */
export function combineStates(states: readonly WorkpaperState[]): WorkpaperState {
  if (states.length === 0) return 'not-started';
  if (states.includes('stale')) return 'stale';
  const least = Math.min(...states.map((s) => ORDER.indexOf(s)));
  if (least === 0 && states.some((s) => s !== 'not-started')) return 'in-testing';
  return ORDER[least]!;
}

export function controlStates(
  db: Tx,
  engagementId: number,
  secondReviewRequired: boolean,
  allControls: { id: number; reference: string }[],
): ControlState[] {
  const papers = workpapersOfEngagement(db, engagementId);
  const ids = papers.map((p) => p.workpaper.id);
  const signed = signoffsOf(db, ids);
  const started = startedWorkpapers(db, ids);
  const byControl = new Map<number, WorkpaperState[]>();
  for (const { workpaper: wp } of papers) {
    const state = workpaperState({
      changedAt: wp.changedAt,
      preparedBy: wp.preparedBy,
      preparedAt: wp.preparedAt,
      signoffs: signed.filter((s) => s.workpaperId === wp.id),
      secondReviewRequired,
      started: started.has(wp.id),
    });
    byControl.set(wp.controlId, [...(byControl.get(wp.controlId) ?? []), state]);
  }
  return allControls.map((c) => ({
    controlId: c.id,
    reference: c.reference,
    state: combineStates(byControl.get(c.id) ?? []),
  }));
}
