import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plural } from '../../domain/plural.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import {
  drawWorkpaperExtension,
  drawWorkpaperReplacements,
  markPrepared,
  saveWording,
  setConclusion,
  type ConclusionOutcome,
} from './conclusion-service.js';
import { conclusionForm, wordingForm } from './forms.js';
import { gridHref, workpaperLocals } from './presenter.js';
import { gridItemsPage, sampleShape } from './grid-queries.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementMethodology } from '../methodology/index.js';
import type { WorkpaperScope } from './scope.js';
import { isHtmx, renderWorkpaper } from './pages.js';
import { onWorkpaper, workpaperInPath } from './loaders.js';
import { loadWorkpaper } from './workpaper-data.js';
import { currentUser } from '../../core/auth/current-user.js';

const WP = '/controls/:controlId/workpaper/:populationId';

interface ConclusionSection {
  errors?: FieldErrors;
  conclusionInput?: Record<string, unknown>;
  wordingInput?: Record<string, unknown>;
  saved?: string;
}

/**
 * The conclusion card posts with htmx and gets the card back (errors beside the fields, 200 as the other inline
 * sections do); without JavaScript the page is rendered again or redirected to.
 */
export async function conclusionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  const answer = (
    req: FastifyRequest,
    reply: FastifyReply,
    scope: WorkpaperScope,
    section: ConclusionSection,
    failed: number | null,
  ) => {
    if (isHtmx(req)) {
      // The card comes back 200 whatever happened, as the other inline sections do: its messages say it.
      reply.code(200);
      const locals = workpaperLocals(req, loadWorkpaper(db, scope, 'none'), { ...section });
      return reply.header('HX-Trigger', 'workpaper-changed').page('testing/conclusion', locals);
    }
    if (failed === null) {
      req.session.flash = section.saved;
      return reply.redirect(`${scope.url}#conclusion`, 303);
    }
    return renderWorkpaper(req, reply.code(failed), scope, { ...section });
  };

  const savedMessage = (outcome: ConclusionOutcome) =>
    outcome.kind === 'set'
      ? 'Conclusion saved.'
      : 'This conclusion is softer than the figures support, so it is an override: your request and its rationale are recorded and wait for a manager or the engagement partner to approve them. The conclusion is set once approved.';
  const routes = typed(app);
  const onThisWorkpaper = { params: pathIds('controlId', 'populationId') };

  const conclusionOptions = { schema: { ...onThisWorkpaper, body: formOf(conclusionForm) }, preHandler: onWorkpaper };
  routes.post(`${WP}/conclusion`, conclusionOptions, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    const reading = req.body;
    if (!reading.ok) return answer(req, reply, scope, { errors: reading.errors, conclusionInput: reading.input }, 422);
    return actOrRerender(req, reply, {
      action: () => setConclusion(db, currentUser(req), scope, reading.value),
      done: savedMessage,
      back: `${scope.url}#conclusion`,
      htmx: (outcome) => answer(req, reply, scope, { saved: savedMessage(outcome) }, null),
      field: '_form',
      rerender: (errors) => answer(req, reply, scope, { errors, conclusionInput: reading.value }, reply.statusCode),
    });
  });

  const wordingOptions = { schema: { ...onThisWorkpaper, body: formOf(wordingForm) }, preHandler: onWorkpaper };
  routes.post(`${WP}/wording`, wordingOptions, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    const reading = req.body;
    if (!reading.ok) return answer(req, reply, scope, { errors: reading.errors, wordingInput: reading.input }, 422);
    const saved = 'Result wording saved.';
    return actOrRerender(req, reply, {
      action: () => saveWording(db, currentUser(req), scope, reading.value),
      done: saved,
      back: `${scope.url}#conclusion`,
      htmx: () => answer(req, reply, scope, { saved }, null),
      field: '_form',
      rerender: (errors) => answer(req, reply, scope, { errors, wordingInput: reading.value }, reply.statusCode),
    });
  });

  /** A draw refused (or a workpaper not ready to be marked prepared): the workpaper with the reason on top. */
  const alerted = (req: FastifyRequest, reply: FastifyReply) => (_errors: unknown, _input: unknown, refusal: Error) =>
    renderWorkpaper(req, reply.code(422), workpaperInPath.of(req), { alert: refusal.message });

  /** The first item drawn: the sample numbers on from the items it had. */
  const firstDrawn = (scope: WorkpaperScope, drawn: number) => {
    const { count } = sampleShape(db, scope.sample!.id);
    const first = gridItemsPage(db, scope.sample!.id, count - drawn, 1)[0];
    return first && scope.attributes[0]
      ? gridHref(scope, first.sampleItemId, scope.attributes[0].letter)
      : `${scope.url}#grid-section`;
  };

  const onIt = { schema: onThisWorkpaper, preHandler: onWorkpaper };
  routes.post(`${WP}/extend`, onIt, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    return actOrRerender(req, reply, {
      action: () =>
        drawWorkpaperExtension(app.conn, currentUser(req), scope, {
          limit: engagementMethodology(engagementOf(req).engagement).settings.largeSampleItems,
          role: engagementOf(req).membership.role,
        }),
      done: (added) =>
        `${plural(added, 'item')} drawn for the extension, continuing the sample's seeded sequence. Test them below.`,
      back: (added) => firstDrawn(scope, added),
      rerender: alerted(req, reply),
    });
  });

  routes.post(`${WP}/replacements`, onIt, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    return actOrRerender(req, reply, {
      action: () =>
        drawWorkpaperReplacements(app.conn, currentUser(req), scope, {
          limit: app.config.largeSampleItems,
          role: engagementOf(req).membership.role,
        }),
      done: (replaced) =>
        `${replaced.length === 1 ? 'A replacement was' : `${replaced.length} replacements were`} drawn for ${replaced.join(', ')}, continuing the sample's seeded sequence. Test ${replaced.length === 1 ? 'it' : 'them'} below.`,
      back: (replaced) => firstDrawn(scope, replaced.length),
      rerender: alerted(req, reply),
    });
  });

  routes.post(`${WP}/prepared`, onIt, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    return actOrRerender(req, reply, {
      action: () => markPrepared(db, currentUser(req), scope),
      done: 'Workpaper marked as prepared.',
      back: `${scope.url}#evaluation`,
      rerender: alerted(req, reply),
    });
  });
}
