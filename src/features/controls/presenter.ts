import type { FastifyRequest } from 'fastify';
import { canDeleteControl, canEditControls, canEditTestPlan } from '../../domain/roles.js';
import { testingWindows } from '../../domain/control-dates.js';
import { testStatus } from '../../domain/test-plan.js';
import type { DateRange } from '../../domain/types.js';
import type { ScopeItem } from '../../domain/criteria.js';
import type { ControlDraft } from '../../domain/matrix-rows.js';
import { pageFacts } from '../../domain/control-field-views.js';
import * as fmt from '../../core/format.js';
import { engagementOf } from '../../core/engagement/access.js';
import { listTeam, type TeamRow } from '../../core/engagement/queries.js';
import { engagementScope } from '../criteria/index.js';
import { loadControl, walkthroughsByControl, type ControlRow, type WalkthroughView } from './queries.js';
import { CONTROL_LABELS } from './labels.js';
import { itgcLinksOf, linkedItgcsOf, linkSetOf, type ItgcLink } from './itgc-links.js';
import { relianceGaps } from '../../domain/itgc-reliance.js';
import { listControls } from './queries.js';

/** Everything the control page and its inline sections show. */
export interface ControlView {
  c: ControlRow;
  draft: ControlDraft;
  /** The control's fields as the page lists them (CONTROL_FIELDS' display). */
  facts: ReturnType<typeof pageFacts>;
  walkthrough: WalkthroughView | null;
  windows: DateRange[];
  status: string;
  base: string;
  matrixUrl: string;
  scopeKind: 'criteria' | 'objectives';
  scopeItems: ScopeItem[];
  scopeTitles: Record<string, string>;
  team: TeamRow[];
  can: { details: boolean; plan: boolean; delete: boolean };
  labels: typeof CONTROL_LABELS;
  /** The ITGCs the control depends on, the other controls of the matrix it may link, and what stands in the way. */
  itgc: {
    links: ItgcLink[];
    candidates: { id: number; reference: string; description: string }[];
    linkSet: string;
    gaps: string[];
  };
}

export function controlView(req: FastifyRequest, controlId: number): ControlView | undefined {
  const { engagement, membership } = engagementOf(req);
  const { db } = req.server.conn;
  const stored = loadControl(db, engagement.id, controlId);
  if (!stored) return undefined;
  const { control, draft } = stored;
  const scope = engagementScope(db, req.server.config.rootDir, engagement);
  const walkthrough = walkthroughsByControl(db, engagement.id, control.id).get(control.id) ?? null;
  const matrixUrl = `/engagements/${engagement.id}/controls`;
  return {
    c: control,
    draft,
    facts: pageFacts(control, fmt),
    walkthrough,
    windows: testingWindows({ start: engagement.periodStart, end: engagement.periodEnd }, control),
    status: testStatus(draft.procedures.length, walkthrough),
    base: `${matrixUrl}/${control.id}`,
    matrixUrl,
    scopeKind: scope.kind,
    scopeItems: scope.items,
    scopeTitles: Object.fromEntries(scope.items.map((i) => [i.reference, i.title])),
    team: listTeam(db, engagement.id),
    can: {
      details: canEditControls(membership.role),
      plan: canEditTestPlan(membership.role),
      delete: canDeleteControl(membership.role),
    },
    labels: CONTROL_LABELS,
    itgc: itgcOf(db, engagement.id, control.id),
  };
}

function itgcOf(
  db: FastifyRequest['server']['conn']['db'],
  engagementId: number,
  controlId: number,
): ControlView['itgc'] {
  const links = itgcLinksOf(db, controlId);
  const candidates = listControls(db, engagementId)
    .filter((c) => c.id !== controlId)
    .map(({ id, reference, description }) => ({ id, reference, description }));
  return {
    links,
    candidates,
    linkSet: linkSetOf(links.map((l) => l.id)),
    gaps: relianceGaps(linkedItgcsOf(db, controlId)),
  };
}

/** The control form's values from a stored control, in the shape the form posts them. */
export function detailsInput(view: ControlView): Record<string, unknown> {
  return { ...view.c, isKey: view.c.isKey ? 'yes' : '', criteria: view.draft.criteria };
}

/** The plan form's rows from a stored plan, with two blank rows of each to add to. */
export function planInput(draft: ControlDraft) {
  const procedures = draft.procedures.map((p, i) => ({ kind: p.kind, text: p.text, order: String(i + 1) }));
  const n = procedures.length;
  procedures.push(
    { kind: 'inspection', text: '', order: String(n + 1) },
    { kind: 'inspection', text: '', order: String(n + 2) },
  );
  return { procedures, attributes: [...draft.attributes, '', ''] };
}
