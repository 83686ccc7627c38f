import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementScope } from '../criteria/index.js';
import { planInput, controlView, detailsInput, type ControlView } from './presenter.js';
import { planRowsOf, readControlForm, readTestPlanForm, walkthroughForm } from './forms.js';
import { updateControl } from './service.js';
import { saveTestPlan, saveWalkthrough } from './test-plan-service.js';
import { idParam } from '../../core/http/params.js';
import { StaleVersionError, versionOf } from '../../core/http/versions.js';
import { sectionConflict, sectionVersion, type Section } from './conflicts.js';
import { currentUser } from '../../core/auth/current-user.js';

type Params = { Params: { controlId: string } };
type Refused = { ok: false; errors: FieldErrors; input: unknown };
type Save = (req: FastifyRequest, view: ControlView) => { ok: true } | Refused;

const TITLES: Record<Section, string> = {
  details: 'Edit control',
  'test-plan': 'Edit test plan',
  walkthrough: 'Record the walkthrough',
};

const isHtmx = (req: FastifyRequest) => req.headers['hx-request'] === 'true';

/**
 * The control page's sections edit in place: htmx fetches a section's form and posts it, getting the section
 * back; without JavaScript the same URLs serve a full page and redirect to the control page.
 */
export async function controlSectionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  /** `version`: the one the form is based on — the stored one, except when refusing input that was based on another. */
  const renderForm = (
    req: FastifyRequest,
    reply: FastifyReply,
    section: Section,
    view: ControlView,
    input: unknown,
    errors: FieldErrors,
    version = sectionVersion(view, section),
    conflict = null as ReturnType<typeof sectionConflict> | null,
  ) => {
    const data = {
      title: `${TITLES[section]} ${view.c.reference}`,
      ...view,
      input,
      errors,
      version,
      conflict,
      partial: `controls/${section}-form`,
      heading: TITLES[section],
    };
    return reply.page(isHtmx(req) ? `controls/${section}-form` : 'controls/section-page', data);
  };

  /** Someone saved the section after the form was opened: the form again, with the user's input, what is stored
   * now and its version, so that saving again is a decision taken with both in view. */
  const renderConflict = (
    req: FastifyRequest,
    reply: FastifyReply,
    section: Section,
    view: ControlView,
    input: unknown,
  ) => {
    const current = controlView(req, view.c.id);
    if (!current) return reply.callNotFound();
    return renderForm(
      req,
      reply.code(409),
      section,
      current,
      input,
      {},
      sectionVersion(current, section),
      sectionConflict(db, current.c.engagementId, current, section),
    );
  };

  const initialInput: Record<Section, (view: ControlView) => unknown> = {
    details: detailsInput,
    'test-plan': (view) => planInput(view.draft),
    walkthrough: (view) => view.walkthrough ?? { performedBy: '', conclusion: '' },
  };

  const saves: Record<Section, Save> = {
    details: (req, view) => {
      const { engagement } = engagementOf(req);
      const scope = engagementScope(db, app.config.rootDir, engagement);
      const parsed = readControlForm(req.body, engagement, scope);
      if (!parsed.ok) return parsed;
      updateControl(
        db,
        currentUser(req),
        engagement.id,
        view.c.id,
        scope,
        parsed.value.fields,
        parsed.value.criteria,
        versionOf(req.body),
      );
      return { ok: true };
    },
    'test-plan': (req, view) => {
      const parsed = readTestPlanForm(req.body);
      if (!parsed.ok) return { ok: false, errors: parsed.errors, input: parsed.rows };
      saveTestPlan(db, currentUser(req), engagementOf(req).engagement.id, view.c.id, parsed.plan, versionOf(req.body));
      return { ok: true };
    },
    walkthrough: (req, view) => {
      const parsed = parseForm(walkthroughForm, req.body);
      if (!parsed.ok) return parsed;
      if (!view.team.some((m) => m.userId === parsed.value.performedBy))
        return { ok: false, errors: { performedBy: 'Choose a member of the engagement team.' }, input: req.body };
      saveWalkthrough(
        db,
        currentUser(req),
        engagementOf(req).engagement.id,
        view.c.id,
        parsed.value,
        versionOf(req.body),
      );
      return { ok: true };
    },
  };

  for (const section of ['details', 'test-plan', 'walkthrough'] as const) {
    const path = `/controls/:controlId/${section}`;

    app.get<Params>(path, async (req, reply) => {
      const view = controlView(req, idParam(req.params.controlId));
      if (!view) return reply.callNotFound();
      if (!isHtmx(req)) return reply.redirect(view.base, 303);
      return reply.page(`controls/${section}`, { ...view });
    });

    app.get<Params>(`${path}/edit`, async (req, reply) => {
      const view = controlView(req, idParam(req.params.controlId));
      if (!view) return reply.callNotFound();
      return renderForm(req, reply, section, view, initialInput[section](view), {});
    });

    app.post<Params>(path, async (req, reply) => {
      const view = controlView(req, idParam(req.params.controlId));
      if (!view) return reply.callNotFound();
      let result: ReturnType<Save>;
      try {
        result = saves[section](req, view);
      } catch (err) {
        if (err instanceof StaleVersionError)
          return renderConflict(req, reply, section, view, section === 'test-plan' ? planRowsOf(req.body) : req.body);
        if (!(err instanceof RuleError)) throw err;
        result = { ok: false, errors: err.formErrors('_form'), input: req.body };
      }
      // htmx swaps only 2xx answers by default, so a refused inline form comes back 200 with its errors.
      if (!result.ok)
        return renderForm(
          req,
          reply.code(isHtmx(req) ? 200 : 422),
          section,
          view,
          result.input,
          result.errors,
          versionOf(req.body),
        );
      if (!isHtmx(req)) {
        req.session.flash = 'Saved.';
        return reply.redirect(view.base, 303);
      }
      const updated = controlView(req, view.c.id)!;
      return reply.page(`controls/${section}`, { ...updated, saved: true });
    });
  }
}
