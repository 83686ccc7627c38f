import type { ControlDraft } from '../../domain/matrix-rows.js';
import type { DefaultedControlColumn } from '../controls/index.js';

type Defaulted = DefaultedControlColumn & keyof ControlDraft;

/**
 * A demo control as written in the data files: procedures as the matrix writes them ("Inspection: …"), and a
 * field whose column has a default (the calendar, a field added later) left out when the demo keeps it.
 */
export type DemoControl = Omit<ControlDraft, 'procedures' | Defaulted> &
  Partial<Pick<ControlDraft, Defaulted>> & { procedures: string[] };
