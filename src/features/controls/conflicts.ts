// What a refused save of one of the control page's sections shows as stored now, and who saved it when.
import type { Tx } from '../../db/connection.js';
import { fieldTexts } from '../../domain/control-field-views.js';
import { writeAttributes, writeProcedures } from '../../domain/test-plan.js';
import type { ChangeKind } from '../../core/audit/last-change.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import type { ControlView } from './presenter.js';

export type Section = 'details' | 'test-plan' | 'walkthrough';

/** The version of the section's record the page shows (0: no walkthrough yet). */
export function sectionVersion(view: ControlView, section: Section): number {
  if (section === 'details') return view.c.version;
  if (section === 'test-plan') return view.c.planVersion;
  return view.walkthrough?.version ?? 0;
}

function detailsFields(view: ControlView): [string, string | null][] {
  return [
    ...fieldTexts(view.c, fmt),
    [view.scopeKind === 'criteria' ? 'Criteria' : 'Control objectives', view.draft.criteria.join(', ')],
  ];
}

function walkthroughFields(view: ControlView): [string, string | null][] {
  const w = view.walkthrough;
  if (!w) return [['Walkthrough', 'None recorded']];
  return [
    ['Date', fmt.date(w.performedOn)],
    ['Performed by', w.performedByName],
    ['What was traced', w.traced],
    ['Conclusion on design', view.labels.conclusion[w.conclusion] ?? w.conclusion],
    ['Design deficiency', w.deficiency],
  ];
}

const SECTIONS: Record<
  Section,
  { what: string; changes: ChangeKind[]; fields: (view: ControlView) => [string, string | null][] }
> = {
  details: {
    what: 'this control',
    changes: [{ entity: 'control', actions: ['create', 'update', 'import-create', 'import-update'] }],
    fields: detailsFields,
  },
  'test-plan': {
    what: 'the test plan',
    changes: [
      { entity: 'test-plan', actions: ['update'] },
      { entity: 'control', actions: ['import-create', 'import-update'] },
    ],
    fields: (view) => [
      ['Procedures', writeProcedures(view.draft.procedures)],
      ['Attributes', writeAttributes(view.draft.attributes)],
    ],
  },
  walkthrough: {
    what: 'the walkthrough',
    changes: [{ entity: 'walkthrough', actions: ['create', 'update'] }],
    fields: walkthroughFields,
  },
};

export function sectionConflict(db: Tx, engagementId: number, view: ControlView, section: Section): ConflictView {
  const s = SECTIONS[section];
  return conflictView(db, {
    engagementId,
    entityId: view.c.id,
    changes: s.changes,
    what: s.what,
    fields: s.fields(view),
  });
}
