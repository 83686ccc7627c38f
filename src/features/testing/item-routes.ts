import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { saveCells } from './cell-service.js';
import { anomalyForm, exceptionForm, notesForm, readItemResults } from './forms.js';
import { proposeAnomaly } from './anomaly-service.js';
import { engagementOf } from '../../core/engagement/access.js';
import { saveException, saveItemNotes } from './item-service.js';
import { CELL_LABELS } from './cell-markup.js';
import { gridHref, workpaperLocals } from './presenter.js';
import { controlChoices, exceptionOf } from './queries.js';
import type { WorkpaperScope } from './scope.js';
import { isHtmx, itemOnPage, renderItem, type ItemParams } from './pages.js';
import { loadWorkpaper } from './workpaper-data.js';
import { currentUser } from '../../core/auth/current-user.js';

/** The item page's data read again, to show what someone else saved meanwhile. */
const reloaded = (db: FastifyInstance['conn']['db'], found: NonNullable<ReturnType<typeof itemOnPage>>) => {
  const data = loadWorkpaper(db, found.scope, { items: [found.gi.item.sampleItemId] });
  return { ...found, data, gi: data.items.find((i) => i.item.sampleItemId === found.gi.item.sampleItemId) ?? found.gi };
};

/** An item's own page: its marks (the grid's fallback without JavaScript), notes, tickmarks and evidence. */
export async function itemRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const itemUrl = (scope: WorkpaperScope, id: number) => `${scope.url}/items/${id}`;

  app.get('/controls/:controlId/workpaper/:populationId/items/:sampleItemId', async (req, reply) => {
    const found = itemOnPage(req);
    return found ? renderItem(req, reply, found) : reply.callNotFound();
  });

  app.post('/controls/:controlId/workpaper/:populationId/items/:sampleItemId/results', async (req, reply) => {
    const found = itemOnPage(req);
    if (!found) return reply.callNotFound();
    const { scope, gi } = found;
    const parsed = readItemResults(
      req.body,
      gi.item.sampleItemId,
      scope.attributes.map((a) => a.letter),
    );
    if (!parsed.ok)
      return renderItem(req, reply.code(422), found, { errors: parsed.errors, resultsInput: parsed.input });
    try {
      const outcomes = saveCells(app.conn, currentUser(req), scope, parsed.value);
      const conflicts = outcomes.flatMap((o) => (o.status === 'conflict' ? [o] : []));
      if (conflicts.length > 0) {
        const errors = Object.fromEntries(
          conflicts.map((c) => [
            `result-${c.current.attribute}`,
            `Someone else marked this ${c.current.result ? CELL_LABELS[c.current.result] : 'blank'} meanwhile; nothing on this form was saved. Check and save again.`,
          ]),
        );
        return renderItem(req, reply.code(409), reloaded(db, found), {
          errors,
          resultsInput: req.body as Record<string, unknown>,
        });
      }
    } catch (err) {
      if (err instanceof RuleError)
        return renderItem(req, reply.code(422), found, {
          errors: { _form: err.message },
          resultsInput: req.body as Record<string, unknown>,
        });
      throw err;
    }
    req.session.flash = `Results of ${gi.item.key} saved.`;
    return reply.redirect(`${itemUrl(scope, gi.item.sampleItemId)}#results`, 303);
  });

  app.post('/controls/:controlId/workpaper/:populationId/items/:sampleItemId/notes', async (req, reply) => {
    const found = itemOnPage(req);
    if (!found) return reply.callNotFound();
    const { scope, gi } = found;
    const parsed = parseForm(notesForm, req.body);
    if (!parsed.ok) return renderItem(req, reply.code(422), found, { errors: parsed.errors, notesInput: parsed.input });
    try {
      saveItemNotes(db, currentUser(req), scope, gi.item.sampleItemId, parsed.value);
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      const fresh = reloaded(db, found);
      return renderItem(req, reply.code(err.status), fresh, {
        errors: err.formErrors('notes'),
        notesInput: { ...parsed.value, version: fresh.gi.tested?.version ?? 0 },
      });
    }
    req.session.flash = `Notes on ${gi.item.key} saved.`;
    return reply.redirect(gridHref(scope, gi.item.sampleItemId, scope.attributes[0]?.letter ?? 'A'), 303);
  });

  const renderException = (
    req: FastifyRequest,
    reply: FastifyReply,
    found: NonNullable<ReturnType<typeof itemOnPage>>,
    attribute: string,
    errors: FieldErrors = {},
    input: Record<string, unknown> | null = null,
  ) => {
    const { scope, data, gi } = found;
    const record = exceptionOf(db, gi.item.sampleItemId, attribute) ?? null;
    const controls = controlChoices(db, scope.engagementId).filter((c) => c.id !== scope.control.id);
    const attr = scope.attributes.find((a) => a.letter === attribute)!;
    return reply.page(
      'testing/exception',
      workpaperLocals(req, data, {
        title: `Exception — ${gi.item.key} ${attribute}`,
        gi,
        attr,
        record,
        controls,
        errors,
        input: input ?? record ?? {},
      }),
    );
  };

  const exceptionCell = (req: FastifyRequest) => {
    const found = itemOnPage(req);
    const attribute = (req.params as ItemParams).attribute ?? '';
    const cell = found?.gi.cells.find((c) => c.attribute === attribute);
    return found && cell ? { found, attribute, cell } : undefined;
  };

  app.get(
    '/controls/:controlId/workpaper/:populationId/items/:sampleItemId/exceptions/:attribute',
    async (req, reply) => {
      const target = exceptionCell(req);
      return target ? renderException(req, reply, target.found, target.attribute) : reply.callNotFound();
    },
  );

  app.post(
    '/controls/:controlId/workpaper/:populationId/items/:sampleItemId/exceptions/:attribute',
    async (req, reply) => {
      const target = exceptionCell(req);
      if (!target) return reply.callNotFound();
      const { found, attribute } = target;
      const parsed = parseForm(exceptionForm, req.body);
      const code = isHtmx(req) ? 200 : 422;
      if (!parsed.ok) return renderException(req, reply.code(code), found, attribute, parsed.errors, parsed.input);
      try {
        saveException(db, currentUser(req), found.scope, found.gi.item.sampleItemId, attribute, parsed.value);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        const version = exceptionOf(db, found.gi.item.sampleItemId, attribute)?.version ?? 0;
        return renderException(
          req,
          reply.code(err.status === 409 ? 409 : code),
          found,
          attribute,
          err.formErrors('_form'),
          { ...(req.body as object), version },
        );
      }
      req.session.flash = `Exception record for ${found.gi.item.key}, attribute ${attribute}, saved.`;
      return reply.redirect(gridHref(found.scope, found.gi.item.sampleItemId, attribute), 303);
    },
  );

  app.post(
    '/controls/:controlId/workpaper/:populationId/items/:sampleItemId/exceptions/:attribute/anomaly',
    async (req, reply) => {
      const target = exceptionCell(req);
      if (!target) return reply.callNotFound();
      const { found, attribute } = target;
      const parsed = parseForm(anomalyForm, req.body);
      if (!parsed.ok) return renderException(req, reply.code(422), found, attribute, parsed.errors);
      try {
        proposeAnomaly(
          db,
          { user: currentUser(req), role: engagementOf(req).membership.role },
          found.scope,
          found.gi.item.sampleItemId,
          attribute,
          parsed.value,
        );
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        return renderException(
          req,
          reply.code(err.status),
          found,
          attribute,
          { anomaly: err.message },
          { ...(exceptionOf(db, found.gi.item.sampleItemId, attribute) ?? {}), anomalyReason: parsed.value.reason },
        );
      }
      req.session.flash = `The anomaly on ${found.gi.item.key}, attribute ${attribute}, is proposed and waits for a manager or the engagement partner.`;
      return reply.redirect(
        `${found.scope.url}/items/${found.gi.item.sampleItemId}/exceptions/${attribute}#anomaly`,
        303,
      );
    },
  );
}
