import type { ControlDraft } from '../../domain/matrix-rows.js';

/** A demo control as written in the data files: procedures as the matrix writes them ("Inspection: …"). */
export type DemoControl = Omit<ControlDraft, 'procedures' | 'calendar'> & { procedures: string[]; calendar?: ControlDraft['calendar'] };
