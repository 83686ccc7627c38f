import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageQuery, readQuery } from '../../core/http/query.js';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm } from '../../core/http/forms.js';
import { CSRF_HOLE, PageCache, fillCsrf } from '../../core/http/page-cache.js';
import { idParam } from '../../core/http/params.js';
import { findControl } from '../populations/index.js';
import { saveCell, passBlankCells, type CellOutcome } from './cell-service.js';
import { bulkForm, cellForm } from './forms.js';
import { CELL_LABELS, type CellState } from './cell-markup.js';
import { cellLocals, gridHref, workpaperLocals } from './presenter.js';
import { userNames } from '../../core/auth/user-names.js';
import type { WorkpaperScope } from './scope.js';
import { gridCellOf, loadWorkpaper } from './workpaper-data.js';
import { gridViewOf, isHtmx, renderWorkpaper, scopeFrom, type WorkpaperParams } from './pages.js';
import { currentUser } from '../../core/auth/current-user.js';

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

/** Validates and saves one posted mark; a refusal comes back as its message, with the cell it was aimed at. */
function attemptMark(conn: FastifyInstance['conn'], req: FastifyRequest, scope: WorkpaperScope) {
  const parsed = parseForm(cellForm, req.body);
  const raw = (req.body ?? {}) as Record<string, string>;
  const target = parsed.ok ? parsed.value : { sampleItemId: idParam(raw.item), attribute: String(raw.attribute ?? '') };
  if (!parsed.ok) return { target, outcome: null, refused: Object.values(parsed.errors)[0]! };
  try {
    return { target, outcome: saveCell(conn, currentUser(req), scope, parsed.value), refused: null };
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    return { target, outcome: null, refused: err.message };
  }
}

export async function testingRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  // The workpaper is the page auditors reload most: kept rendered per window and engagement role until the
  // engagement's evidence changes. Role is all that differs between readers; their session goes in the layout.
  const workpapers = new PageCache(app.conn.sqlite, app.config.pageCache ? 100 : 0);

  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const { engagement, membership } = engagementOf(req);
    const params = req.params as WorkpaperParams;
    // The page asked for is part of the key as asked: the page it names only changes with the database.
    const query = readQuery(req.query, pageQuery, { firstOfRepeated: true });
    const key = `${params.controlId}/${params.populationId ?? ''}/${membership.role}?page=${query.page ?? ''}&item=${query.item ?? ''}`;
    const cached = workpapers.get(engagement.id, key);
    const body = cached && fillCsrf(cached, reply.generateCsrf());
    if (body) return reply.header('x-page-cache', 'hit').pageAround(body, { title: cached.title });

    const stamp = workpapers.stamp(engagement.id);
    const scope = scopeFrom(req);
    if (scope) {
      const locals = workpaperLocals(req, loadWorkpaper(db, scope, gridViewOf(req, scope)));
      const rendered = {
        title: locals.title,
        body: await reply.renderBody('testing/workpaper', { ...locals, csrfToken: CSRF_HOLE }),
      };
      const kept = workpapers.put(engagement.id, key, stamp, rendered);
      reply.header('x-page-cache', 'miss');
      const filled = fillCsrf(kept, reply.generateCsrf());
      return filled ? reply.pageAround(filled, { title: rendered.title }) : renderWorkpaper(req, reply, scope);
    }
    // A control without a population yet has no workpaper: say where to start rather than 404.
    const control =
      params.populationId === undefined ? findControl(db, engagement.id, idParam(params.controlId)) : undefined;
    if (!control) return reply.callNotFound();
    return reply.page('testing/no-population', {
      title: `Workpaper — ${control.reference}`,
      control,
      controlUrl: `/engagements/${engagement.id}/controls/${control.id}`,
    });
  };
  app.get('/controls/:controlId/workpaper', page);
  app.get('/controls/:controlId/workpaper/:populationId', page);

  app.get('/controls/:controlId/workpaper/:populationId/evaluation', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    return reply.page('testing/evaluation', workpaperLocals(req, loadWorkpaper(db, scope, 'none')));
  });

  /** One mark. From the grid (fetch) the answer is the cell itself: 200 saved, 409 someone else's change kept, 422 refused. */
  app.post('/controls/:controlId/workpaper/:populationId/cells', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const { target, outcome, refused } = attemptMark(app.conn, req, scope);
    if (!isHtmx(req)) {
      if (outcome?.status === 'saved')
        return reply.redirect(gridHref(scope, target.sampleItemId, target.attribute), 303);
      req.session.flash = refused ?? cellMessage(req, outcome!).message;
      return reply.redirect(`${scope.url}/items/${target.sampleItemId}`, 303);
    }
    // The answer is always the cell as stored now, whatever happened to the mark.
    const stored = gridCellOf(db, scope, target.sampleItemId, target.attribute);
    if (!stored)
      return reply
        .code(422)
        .type('text/plain')
        .send(refused ?? 'That cell is not on this workpaper.');
    const state: CellState = refused
      ? { state: 'refused', message: `Not saved: ${refused}` }
      : cellMessage(req, outcome!);
    return reply
      .code(refused ? 422 : state.state === 'conflict' ? 409 : 200)
      .page('testing/cell', cellLocals(stored.cell, stored.itemKey, state));
  });

  app.post('/controls/:controlId/workpaper/:populationId/bulk-pass', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const parsed = parseForm(bulkForm, req.body);
    // The column is passed on the page of the grid it was asked from, the cells the tester has in view.
    const view = gridViewOf(req, scope, req.body as object);
    let message: string;
    try {
      if (!parsed.ok) throw new RuleError(Object.values(parsed.errors)[0]!);
      const target =
        'attribute' in parsed.value && typeof view === 'object' && 'page' in view
          ? { ...parsed.value, page: view.page }
          : parsed.value;
      const passed = passBlankCells(app.conn, currentUser(req), scope, target);
      message = `${passed} blank ${passed === 1 ? 'cell' : 'cells'} marked as passed.`;
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      message = err.message;
    }
    if (isHtmx(req))
      return reply
        .header('HX-Trigger', 'workpaper-changed')
        .page('testing/grid', workpaperLocals(req, loadWorkpaper(db, scope, view), { gridMessage: message }));
    req.session.flash = message;
    const page = typeof view === 'object' && 'page' in view ? `?page=${view.page.number}` : '';
    return reply.redirect(`${scope.url}${page}#grid-section`, 303);
  });
}
