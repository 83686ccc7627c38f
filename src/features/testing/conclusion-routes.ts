import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plural } from '../../domain/plural.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
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
import { isHtmx, renderWorkpaper, scopeFrom } from './pages.js';
import { loadWorkpaper } from './workpaper-data.js';
import { currentUser } from '../../core/auth/current-user.js';

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
      const locals = workpaperLocals(req, loadWorkpaper(db, scope, 'none'), { ...section });
      return reply.header('HX-Trigger', 'workpaper-changed').page('testing/conclusion', locals);
    }
    if (failed === null) {
      req.session.flash = section.saved;
      return reply.redirect(`${scope.url}#conclusion`, 303);
    }
    return renderWorkpaper(req, reply.code(failed), scope, { ...section });
  };

  const ruleFailure = (err: unknown): { code: number; errors: FieldErrors } => {
    if (!(err instanceof RuleError)) throw err;
    return { code: err.status, errors: err.formErrors('_form') };
  };

  app.post('/controls/:controlId/workpaper/:populationId/conclusion', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const parsed = parseForm(conclusionForm, req.body);
    if (!parsed.ok) return answer(req, reply, scope, { errors: parsed.errors, conclusionInput: parsed.input }, 422);
    let outcome: ConclusionOutcome;
    try {
      outcome = setConclusion(db, currentUser(req), scope, parsed.value);
    } catch (err) {
      const { code, errors } = ruleFailure(err);
      return answer(req, reply, scope, { errors, conclusionInput: parsed.value }, code);
    }
    const saved =
      outcome.kind === 'set'
        ? 'Conclusion saved.'
        : 'This conclusion is softer than the figures support, so it is an override: your request and its rationale are recorded and wait for a manager or the engagement partner to approve them. The conclusion is set once approved.';
    return answer(req, reply, scope, { saved }, null);
  });

  app.post('/controls/:controlId/workpaper/:populationId/wording', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const parsed = parseForm(wordingForm, req.body);
    if (!parsed.ok) return answer(req, reply, scope, { errors: parsed.errors, wordingInput: parsed.input }, 422);
    try {
      saveWording(db, currentUser(req), scope, parsed.value);
    } catch (err) {
      const { code, errors } = ruleFailure(err);
      return answer(req, reply, scope, { errors, wordingInput: parsed.value }, code);
    }
    return answer(req, reply, scope, { saved: 'Result wording saved.' }, null);
  });

  app.post('/controls/:controlId/workpaper/:populationId/extend', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    let added: number;
    try {
      added = drawWorkpaperExtension(app.conn, currentUser(req), scope, {
        limit: engagementMethodology(engagementOf(req).engagement).settings.largeSampleItems,
        role: engagementOf(req).membership.role,
      });
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      return renderWorkpaper(req, reply.code(422), scope, { alert: err.message });
    }
    req.session.flash = `${plural(added, 'item')} drawn for the extension, continuing the sample's seeded sequence. Test them below.`;
    // The first item drawn: the extension numbers on from the items the sample had.
    const { count } = sampleShape(db, scope.sample!.id);
    const first = gridItemsPage(db, scope.sample!.id, count - added, 1)[0];
    return reply.redirect(
      first && scope.attributes[0]
        ? gridHref(scope, first.sampleItemId, scope.attributes[0].letter)
        : `${scope.url}#grid-section`,
      303,
    );
  });

  app.post('/controls/:controlId/workpaper/:populationId/replacements', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    let replaced: string[];
    try {
      replaced = drawWorkpaperReplacements(app.conn, currentUser(req), scope, {
        limit: app.config.largeSampleItems,
        role: engagementOf(req).membership.role,
      });
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      return renderWorkpaper(req, reply.code(422), scope, { alert: err.message });
    }
    req.session.flash = `${replaced.length === 1 ? 'A replacement was' : `${replaced.length} replacements were`} drawn for ${replaced.join(', ')}, continuing the sample's seeded sequence. Test ${replaced.length === 1 ? 'it' : 'them'} below.`;
    const { count } = sampleShape(db, scope.sample!.id);
    const first = gridItemsPage(db, scope.sample!.id, count - replaced.length, 1)[0];
    return reply.redirect(
      first && scope.attributes[0]
        ? gridHref(scope, first.sampleItemId, scope.attributes[0].letter)
        : `${scope.url}#grid-section`,
      303,
    );
  });

  app.post('/controls/:controlId/workpaper/:populationId/prepared', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    try {
      markPrepared(db, currentUser(req), scope);
    } catch (err) {
      if (err instanceof RuleError) return renderWorkpaper(req, reply.code(422), scope, { alert: err.message });
      throw err;
    }
    req.session.flash = 'Workpaper marked as prepared.';
    return reply.redirect(`${scope.url}#evaluation`, 303);
  });
}
