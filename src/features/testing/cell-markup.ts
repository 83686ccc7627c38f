// One grid cell's markup. The grid has hundreds of cells and an eta include per cell cost more than the rest of
// the page together, so the grid template and a save's answer both call this instead of a partial.
import type { GridCell } from './workpaper-grid.js';

export const CELL_LABELS = { pass: 'Pass', exception: 'Exception', na: 'N/A' } as const;

/** The state a cell shows after a save: saved, someone else's change kept, or refused. */
export interface CellState {
  state: 'saved' | 'conflict' | 'refused';
  message: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const cellId = (c: { sampleItemId: number; attribute: string }) => `cell-${c.sampleItemId}-${c.attribute}`;

export function cellMarkup(c: GridCell, itemKey: string, state: CellState | null, tabindex: 0 | -1): string {
  const classes = `cell is-${c.result ?? 'blank'}${state ? ` state-${state.state}` : ''}`;
  const label = c.result ? CELL_LABELS[c.result] : 'Not marked';
  let extra = '';
  if (c.result === 'na') extra += ` <span class="na-reason">${escapeHtml(c.naReason)}</span>`;
  if (c.result === 'exception' && !c.hasRecord) extra += ' <span class="needs-record">record needed</span>';
  if (state) extra += ` <span class="cell-state">${escapeHtml(state.message)}</span>`;
  return (
    `<td id="${cellId(c)}" class="${classes}" tabindex="${tabindex}" data-item="${c.sampleItemId}" data-attribute="${escapeHtml(c.attribute)}" ` +
    `data-version="${c.version}" data-key="${escapeHtml(itemKey)}"><span class="mark"><span class="visually-hidden">${label}</span></span>${extra}</td>`
  );
}
