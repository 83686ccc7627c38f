import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementScope } from '../criteria/index.js';
import { planInput, controlView, detailsInput, type ControlView } from './presenter.js';
import { planRowsOf, readControlForm, readTestPlanForm, walkthroughForm } from './forms.js';
import { updateControl } from './service.js';
import { saveTestPlan, saveWalkthrough } from './test-plan-service.js';
import { versionOf } from '../../core/http/versions.js';
import { sectionConflict, sectionVersion, type Section } from './conflicts.js';
import { currentUser } from '../../core/auth/current-user.js';
import { controlViewInPath } from './loaders.js';

type Refused = { ok: false; errors: FieldErrors; input: unknown };
/** A section's form read: the write it asks for, or why not with what to show back. */
type Read = (
  req: FastifyRequest,
  view: ControlView,
  input: Record<string, unknown>,
) => { ok: true; write: () => void } | Refused;

/** A section's fields, read in the handler: the control form against the engagement, the plan row by row. */
const sectionFields = formOf(z.record(z.string(), z.unknown()));

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

  const reads: Record<Section, Read> = {
    details: (req, view, input) => {
      const { engagement } = engagementOf(req);
      const scope = engagementScope(db, app.config.rootDir, engagement);
      const parsed = readControlForm(input, engagement, scope);
      if (!parsed.ok) return parsed;
      const { fields, criteria } = parsed.value;
      const write = () =>
        void updateControl(db, currentUser(req), engagement.id, view.c.id, scope, fields, criteria, versionOf(input));
      return { ok: true, write };
    },
    'test-plan': (req, view, input) => {
      const parsed = readTestPlanForm(input);
      if (!parsed.ok) return { ok: false, errors: parsed.errors, input: parsed.rows };
      const engagementId = engagementOf(req).engagement.id;
      const write = () => saveTestPlan(db, currentUser(req), engagementId, view.c.id, parsed.plan, versionOf(input));
      return { ok: true, write };
    },
    walkthrough: (req, view, input) => {
      const parsed = parseForm(walkthroughForm, input);
      if (!parsed.ok) return parsed;
      if (!view.team.some((m) => m.userId === parsed.value.performedBy))
        return { ok: false, errors: { performedBy: 'Choose a member of the engagement team.' }, input };
      const engagementId = engagementOf(req).engagement.id;
      const write = () =>
        void saveWalkthrough(db, currentUser(req), engagementId, view.c.id, parsed.value, versionOf(input));
      return { ok: true, write };
    },
  };

  const routes = typed(app);
  const ofControl = { schema: { params: pathIds('controlId') }, preHandler: controlViewInPath.preHandler };
  const saveOptions = { ...ofControl, schema: { ...ofControl.schema, body: sectionFields } };

  for (const section of ['details', 'test-plan', 'walkthrough'] as const) {
    const path = `/controls/:controlId/${section}`;

    routes.get(path, ofControl, async (req, reply) => {
      const view = controlViewInPath.of(req);
      if (!isHtmx(req)) return reply.redirect(view.base, 303);
      return reply.page(`controls/${section}`, { ...view });
    });

    routes.get(`${path}/edit`, ofControl, async (req, reply) => {
      const view = controlViewInPath.of(req);
      return renderForm(req, reply, section, view, initialInput[section](view), {});
    });

    routes.post(path, saveOptions, async (req, reply) => {
      const view = controlViewInPath.of(req);
      const { input } = req.body;
      // htmx swaps only 2xx answers by default, so a refused inline form comes back 200 with its errors.
      const refuse = (errors: FieldErrors, shown: unknown) =>
        renderForm(req, reply.code(isHtmx(req) ? 200 : 422), section, view, shown, errors, versionOf(input));
      const read = reads[section](req, view, input);
      if (!read.ok) return refuse(read.errors, read.input);
      const fragment = () => reply.page(`controls/${section}`, { ...controlView(req, view.c.id)!, saved: true });
      return actOrRerender(req, reply, {
        action: read.write,
        field: '_form',
        rerender: (errors) => refuse(errors, input),
        onStale: () => renderConflict(req, reply, section, view, section === 'test-plan' ? planRowsOf(input) : input),
        ...(isHtmx(req) ? { answer: fragment } : { done: 'Saved.', back: view.base }),
      });
    });
  }
}
