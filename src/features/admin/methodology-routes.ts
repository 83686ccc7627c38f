// Administration → Methodology: the firm's sample-size table, extension policy, pro rata, file policy and
// large-sample limit. Each save is recorded in the trail; engagements opened afterwards keep a copy of the settings.
import { actOrRerender } from '../../core/http/actions.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sizesWithoutRuleOfThumb, type Methodology } from '../../domain/methodology.js';
import {
  configuredMethodology,
  firmMethodologyOf,
  methodologySummary,
  saveFirmMethodology,
  SIZE_ROWS,
  type FirmMethodology,
} from '../methodology/index.js';
import type { ConflictView } from '../../core/http/conflict.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { versionOf } from '../../core/http/versions.js';
import { inputOf, methodologyFromForm, ruleOfThumbSlots, type MethodologyInput } from './methodology-form.js';
import { currentUser } from '../../core/auth/current-user.js';

const PAGE = '/admin/methodology';

interface Shown {
  input?: MethodologyInput;
  errors?: FieldErrors;
  /** The version the form carries: the stored one, except that a refused form keeps the one it was based on. */
  version?: number;
  conflict?: ConflictView;
}

function conflictOf(firm: FirmMethodology): ConflictView {
  return {
    what: 'the firm’s methodology',
    by: firm.savedBy,
    at: firm.savedAt,
    fields: methodologySummary(firm.settings).map(([label, value]) => ({ label, value })),
  };
}

function savedFlash(changed: number, first: boolean): string {
  if (changed === 0) return 'Nothing changed: the firm’s methodology is as it was.';
  // The first save records every value in the trail, changed from the defaults or not.
  const what = first
    ? `all ${changed} settings recorded for the first time`
    : `${changed} setting${changed === 1 ? '' : 's'} changed`;
  return `Methodology saved (${what}). Engagements opened from now on start with these settings; engagements already opened keep the ones they started with.`;
}

/** Registered inside the administrators-only admin scope. */
export async function methodologyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const defaults: Methodology = configuredMethodology(app.config);

  const render = (reply: FastifyReply, shown: Shown = {}) => {
    const firm = firmMethodologyOf(db, defaults);
    const input = shown.input ?? inputOf(firm.settings);
    return reply.page('admin/methodology', {
      title: 'Methodology',
      firm,
      input,
      sizeRows: SIZE_ROWS,
      ruleOfThumbRows: ruleOfThumbSlots(input.ruleOfThumb),
      withoutRuleOfThumb: firm.settings.extension === 'rule-of-thumb' ? sizesWithoutRuleOfThumb(firm.settings) : [],
      version: shown.version ?? firm.version,
      errors: shown.errors ?? {},
      conflict: shown.conflict ?? null,
    });
  };

  app.get(PAGE, async (_req, reply) => render(reply));

  app.post(PAGE, async (req: FastifyRequest, reply) => {
    const { input, settings } = methodologyFromForm(req.body);
    const basedOn = versionOf(req.body);
    return actOrRerender(req, reply, {
      action: () => saveFirmMethodology(db, currentUser(req), settings, basedOn, defaults),
      done: (changed) => savedFlash(changed, basedOn === 0),
      back: PAGE,
      rerender: (errors) => render(reply, { input, errors, version: basedOn }),
      onStale: () => {
        const current = firmMethodologyOf(db, defaults);
        return render(reply.code(409), { input, conflict: conflictOf(current), version: current.version });
      },
    });
  });
}
