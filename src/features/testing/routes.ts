import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, queryOf, typed } from '../../core/http/contract.js';
import { pageQuery } from '../../core/http/query.js';
import { engagementOf } from '../../core/engagement/access.js';
import { CSRF_HOLE, PageCache, fillCsrf } from '../../core/http/page-cache.js';
import { type ControlRow, controlInPath } from '../populations/index.js';
import { saveCell, passBlankCells, type CellOutcome } from './cell-service.js';
import { bulkForm, cellForm, cellTargetOf } from './forms.js';
import { CELL_LABELS, type CellState } from './cell-markup.js';
import { cellLocals, gridHref, workpaperLocals } from './presenter.js';
import { userNames } from '../../core/auth/user-names.js';
import { workpaperScope, type WorkpaperScope } from './scope.js';
import { loadWorkpaper } from './workpaper-data.js';
import { gridCellOf } from './workpaper-grid.js';
import { gridViewOf, isHtmx, renderWorkpaper } from './pages.js';
import { onWorkpaper, workpaperInPath } from './loaders.js';
import { currentUser } from '../../core/auth/current-user.js';

const WP = '/controls/:controlId/workpaper/:populationId';
const wpParams = pathIds('controlId', 'populationId');
const gridQuery = queryOf(pageQuery, { firstOfRepeated: true });
type GridQuery = { page?: string; item?: string };

function cellMessage(req: FastifyRequest, outcome: CellOutcome): CellState {
  if (outcome.status === 'saved') return { state: 'saved', message: 'Saved' };
  const { current, attempted } = outcome;
  const who = userNames(req.server.conn.db, [current.updatedBy]).get(current.updatedBy) ?? 'Someone';
  const now = current.result ? CELL_LABELS[current.result] : 'blank';
  const yours = attempted.result ? CELL_LABELS[attempted.result] : 'clearing';
  return {
    state: 'conflict',
    message: `${who} changed this cell to ${now} at ${current.updatedAt.slice(11, 16)} UTC; your ${yours} was not saved.`,
  };
}

type CellTarget = { sampleItemId: number; attribute: string };

/** The grid's answer to a mark: always the cell as stored now, whatever happened to the mark. */
function cellAnswer(req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, target: CellTarget, mark: Mark) {
  const stored = gridCellOf(req.server.conn.db, scope, target.sampleItemId, target.attribute);
  const refused = 'refused' in mark ? mark.refused : null;
  if (!stored)
    return reply
      .code(422)
      .type('text/plain')
      .send(refused ?? 'That cell is not on this workpaper.');
  const state: CellState =
    'refused' in mark ? { state: 'refused', message: `Not saved: ${mark.refused}` } : cellMessage(req, mark.outcome);
  return reply
    .code(refused ? 422 : state.state === 'conflict' ? 409 : 200)
    .page('testing/cell', cellLocals(stored.cell, stored.itemKey, state));
}

type Mark = { outcome: CellOutcome } | { refused: string };

export async function testingRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);

  // The workpaper is the page auditors reload most: kept rendered per window and engagement role until the
  // engagement's evidence changes. Role is all that differs between readers; their session goes in the layout.
  const workpapers = new PageCache(app.conn.sqlite, app.config.pageCache ? 100 : 0);

  /** The workpaper page; `asked` is the window the path names ('' when it names none). */
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    scope: WorkpaperScope,
    query: GridQuery,
    asked: number | '',
  ) => {
    const { engagement, membership } = engagementOf(req);
    // The page asked for is part of the key as asked: the page it names only changes with the database.
    const key = `${scope.control.id}/${asked}/${membership.role}?page=${query.page ?? ''}&item=${query.item ?? ''}`;
    const cached = workpapers.get(engagement.id, key);
    const body = cached && fillCsrf(cached, reply.generateCsrf());
    if (body) return reply.header('x-page-cache', 'hit').pageAround(body, { title: cached.title });

    const stamp = workpapers.stamp(engagement.id);
    const locals = workpaperLocals(req, loadWorkpaper(db, scope, gridViewOf(req, scope, query)));
    const rendered = {
      title: locals.title,
      body: await reply.renderBody('testing/workpaper', { ...locals, csrfToken: CSRF_HOLE }),
    };
    const kept = workpapers.put(engagement.id, key, stamp, rendered);
    reply.header('x-page-cache', 'miss');
    const filled = fillCsrf(kept, reply.generateCsrf());
    return filled ? reply.pageAround(filled, { title: rendered.title }) : renderWorkpaper(req, reply, scope);
  };

  /** A control without a population yet has no workpaper: say where to start rather than 404. */
  const noPopulation = (req: FastifyRequest, reply: FastifyReply, control: ControlRow) =>
    reply.page('testing/no-population', {
      title: `Workpaper — ${control.reference}`,
      control,
      controlUrl: `/engagements/${engagementOf(req).engagement.id}/controls/${control.id}`,
    });

  // Without a window named, the control's first sampled window (or its first window).
  routes.get(
    '/controls/:controlId/workpaper',
    { schema: { params: pathIds('controlId'), querystring: gridQuery }, preHandler: controlInPath.preHandler },
    async (req, reply) => {
      const control = controlInPath.of(req);
      const scope = workpaperScope(db, engagementOf(req).engagement, control.id);
      return scope ? page(req, reply, scope, req.query, '') : noPopulation(req, reply, control);
    },
  );
  routes.get(
    WP,
    { schema: { params: wpParams, querystring: gridQuery }, preHandler: onWorkpaper },
    async (req, reply) => page(req, reply, workpaperInPath.of(req), req.query, req.params.populationId),
  );

  routes.get(`${WP}/evaluation`, { schema: { params: wpParams }, preHandler: onWorkpaper }, async (req, reply) =>
    reply.page('testing/evaluation', workpaperLocals(req, loadWorkpaper(db, workpaperInPath.of(req), 'none'))),
  );

  /** One mark. From the grid (fetch) the answer is the cell itself: 200 saved, 409 someone else's change kept, 422 refused. */
  const cellOptions = { schema: { params: wpParams, body: formOf(cellForm) }, preHandler: onWorkpaper };
  routes.post(`${WP}/cells`, cellOptions, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    const reading = req.body;
    const target = reading.ok ? reading.value : cellTargetOf(reading.input);
    const itemPage = `${scope.url}/items/${target.sampleItemId}`;
    return actOrRerender(req, reply, {
      action: () => {
        if (!reading.ok) throw new RuleError(Object.values(reading.errors)[0]!);
        return saveCell(app.conn, currentUser(req), scope, reading.value);
      },
      done: (outcome) => (outcome.status === 'saved' ? undefined : cellMessage(req, outcome).message),
      back: (outcome) =>
        outcome.status === 'saved' ? gridHref(scope, target.sampleItemId, target.attribute) : itemPage,
      htmx: (outcome) => cellAnswer(req, reply, scope, target, { outcome }),
      rerender: (_errors, _input, refusal) => {
        if (isHtmx(req)) return cellAnswer(req, reply, scope, target, { refused: refusal.message });
        req.session.flash = refusal.message;
        return reply.redirect(itemPage, 303);
      },
    });
  });

  const bulkOptions = { schema: { params: wpParams, body: formOf(bulkForm) }, preHandler: onWorkpaper };
  routes.post(`${WP}/bulk-pass`, bulkOptions, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    const reading = req.body;
    // The column is passed on the page of the grid it was asked from, the cells the tester has in view.
    const view = gridViewOf(req, scope, reading.input);
    const back = `${scope.url}${typeof view === 'object' && 'page' in view ? `?page=${view.page.number}` : ''}#grid-section`;
    const passedMessage = (passed: number) => `${passed} blank ${passed === 1 ? 'cell' : 'cells'} marked as passed.`;
    const grid = (message: string) =>
      reply
        .code(200)
        .header('HX-Trigger', 'workpaper-changed')
        .page('testing/grid', workpaperLocals(req, loadWorkpaper(db, scope, view), { gridMessage: message }));
    return actOrRerender(req, reply, {
      action: () => {
        if (!reading.ok) throw new RuleError(Object.values(reading.errors)[0]!);
        const target =
          'attribute' in reading.value && typeof view === 'object' && 'page' in view
            ? { ...reading.value, page: view.page }
            : reading.value;
        return passBlankCells(app.conn, currentUser(req), scope, target);
      },
      done: passedMessage,
      back,
      htmx: (passed) => grid(passedMessage(passed)),
      // A refusal is shown where the count would have been, as the answer to the request, not as an error.
      rerender: (_errors, _input, refusal) => {
        if (isHtmx(req)) return grid(refusal.message);
        req.session.flash = refusal.message;
        return reply.redirect(back, 303);
      },
    });
  });
}
