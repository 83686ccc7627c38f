import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { saveCells } from './cell-service.js';
import { anomalyForm, exceptionForm, notesForm, readItemResults } from './forms.js';
import { proposeAnomaly } from './anomaly-service.js';
import { engagementOf } from '../../core/engagement/access.js';
import { saveException, saveItemNotes } from './item-service.js';
import { CELL_LABELS } from './cell-markup.js';
import { gridHref, workpaperLocals } from './presenter.js';
import { controlChoices, exceptionOf } from './queries.js';
import type { WorkpaperScope } from './scope.js';
import { isHtmx, renderItem, type ItemOnPage } from './pages.js';
import { exceptionCellInPath, itemInPath, onExceptionCell, onItem } from './loaders.js';
import { loadWorkpaper } from './workpaper-data.js';
import { currentUser } from '../../core/auth/current-user.js';

const ITEM = '/controls/:controlId/workpaper/:populationId/items/:sampleItemId';
const itemParams = pathIds('controlId', 'populationId', 'sampleItemId');
const cellParams = itemParams.extend({ attribute: z.string() });
/** The results form's fields are named after the test plan's attributes, so it is read once the item is loaded. */
const resultsFields = z.record(z.string(), z.unknown());

/** The item page's data read again, to show what someone else saved meanwhile. */
const reloaded = (db: FastifyInstance['conn']['db'], found: ItemOnPage) => {
  const data = loadWorkpaper(db, found.scope, { items: [found.gi.item.sampleItemId] });
  return { ...found, data, gi: data.items.find((i) => i.item.sampleItemId === found.gi.item.sampleItemId) ?? found.gi };
};

/** Marks someone else changed meanwhile: the whole form is refused (409), each beside its attribute. */
function conflictsRefused(outcomes: ReturnType<typeof saveCells>): void {
  const conflicts = outcomes.flatMap((o) => (o.status === 'conflict' ? [o] : []));
  if (conflicts.length === 0) return;
  const fields = Object.fromEntries(
    conflicts.map((c) => [
      `result-${c.current.attribute}`,
      `Someone else marked this ${c.current.result ? CELL_LABELS[c.current.result] : 'blank'} meanwhile; nothing on this form was saved. Check and save again.`,
    ]),
  );
  throw new RuleError('Someone else changed these marks meanwhile.', { status: 409, fields });
}

/** An item's own page: its marks (the grid's fallback without JavaScript), notes, tickmarks and evidence. */
export async function itemRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);
  const itemUrl = (scope: WorkpaperScope, id: number) => `${scope.url}/items/${id}`;

  routes.get(ITEM, { schema: { params: itemParams }, preHandler: onItem }, async (req, reply) =>
    renderItem(req, reply, itemInPath.of(req)),
  );

  const resultsOptions = { schema: { params: itemParams, body: formOf(resultsFields) }, preHandler: onItem };
  routes.post(`${ITEM}/results`, resultsOptions, async (req, reply) => {
    const found = itemInPath.of(req);
    const { scope, gi } = found;
    const input = req.body.input;
    const parsed = readItemResults(
      input,
      gi.item.sampleItemId,
      scope.attributes.map((a) => a.letter),
    );
    if (!parsed.ok)
      return renderItem(req, reply.code(422), found, { errors: parsed.errors, resultsInput: parsed.input });
    const cells = parsed.value;
    return actOrRerender(req, reply, {
      action: () => conflictsRefused(saveCells(app.conn, currentUser(req), scope, cells)),
      done: `Results of ${gi.item.key} saved.`,
      back: `${itemUrl(scope, gi.item.sampleItemId)}#results`,
      rerender: (errors, _input, refusal) =>
        refusal.status === 409
          ? renderItem(req, reply, reloaded(db, found), { errors, resultsInput: input })
          : renderItem(req, reply.code(422), found, { errors: { _form: refusal.message }, resultsInput: input }),
    });
  });

  const notesOptions = { schema: { params: itemParams, body: formOf(notesForm) }, preHandler: onItem };
  routes.post(`${ITEM}/notes`, notesOptions, async (req, reply) => {
    const found = itemInPath.of(req);
    const { scope, gi } = found;
    const reading = req.body;
    if (!reading.ok)
      return renderItem(req, reply.code(422), found, { errors: reading.errors, notesInput: reading.input });
    const notes = reading.value;
    return actOrRerender(req, reply, {
      action: () => saveItemNotes(db, currentUser(req), scope, gi.item.sampleItemId, notes),
      done: `Notes on ${gi.item.key} saved.`,
      back: gridHref(scope, gi.item.sampleItemId, scope.attributes[0]?.letter ?? 'A'),
      field: 'notes',
      // What is stored now, with the notes as typed and the version they would now replace.
      rerender: (errors) => {
        const fresh = reloaded(db, found);
        return renderItem(req, reply, fresh, {
          errors,
          notesInput: { ...notes, version: fresh.gi.tested?.version ?? 0 },
        });
      },
    });
  });

  const renderException = (
    req: FastifyRequest,
    reply: FastifyReply,
    found: ItemOnPage,
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

  const EXCEPTION = `${ITEM}/exceptions/:attribute`;
  routes.get(EXCEPTION, { schema: { params: cellParams }, preHandler: onExceptionCell }, async (req, reply) => {
    const { found, attribute } = exceptionCellInPath.of(req);
    return renderException(req, reply, found, attribute);
  });

  const exceptionOptions = { schema: { params: cellParams, body: formOf(exceptionForm) }, preHandler: onExceptionCell };
  routes.post(EXCEPTION, exceptionOptions, async (req, reply) => {
    const { found, attribute } = exceptionCellInPath.of(req);
    const reading = req.body;
    const code = isHtmx(req) ? 200 : 422;
    if (!reading.ok) return renderException(req, reply.code(code), found, attribute, reading.errors, reading.input);
    const record = reading.value;
    const id = found.gi.item.sampleItemId;
    return actOrRerender(req, reply, {
      action: () => saveException(db, currentUser(req), found.scope, id, attribute, record),
      done: `Exception record for ${found.gi.item.key}, attribute ${attribute}, saved.`,
      back: gridHref(found.scope, id, attribute),
      field: '_form',
      rerender: (errors, input, refusal) => {
        const version = exceptionOf(db, id, attribute)?.version ?? 0;
        const status = refusal.status === 409 ? 409 : code;
        return renderException(req, reply.code(status), found, attribute, errors, { ...input, version });
      },
    });
  });

  const anomalyOptions = { schema: { params: cellParams, body: formOf(anomalyForm) }, preHandler: onExceptionCell };
  routes.post(`${EXCEPTION}/anomaly`, anomalyOptions, async (req, reply) => {
    const { found, attribute } = exceptionCellInPath.of(req);
    const reading = req.body;
    if (!reading.ok) return renderException(req, reply.code(422), found, attribute, reading.errors);
    const proposal = reading.value;
    const id = found.gi.item.sampleItemId;
    const actor = { user: currentUser(req), role: engagementOf(req).membership.role };
    return actOrRerender(req, reply, {
      action: () => proposeAnomaly(db, actor, found.scope, id, attribute, proposal),
      done: `The anomaly on ${found.gi.item.key}, attribute ${attribute}, is proposed and waits for a manager or the engagement partner.`,
      back: `${found.scope.url}/items/${id}/exceptions/${attribute}#anomaly`,
      rerender: (_errors, _input, refusal) =>
        renderException(
          req,
          reply,
          found,
          attribute,
          { anomaly: refusal.message },
          {
            ...(exceptionOf(db, id, attribute) ?? {}),
            anomalyReason: proposal.reason,
          },
        ),
    });
  });
}
