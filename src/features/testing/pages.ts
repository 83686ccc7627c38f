// The workpaper and item pages as the testing and evidence routes render them: shared by several route files,
// so it lives outside any of them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { pageHolding, pageOf } from '../../core/http/paging.js';
import { pageQuery, readQuery } from '../../core/http/query.js';
import { listTickmarks } from '../tickmarks/index.js';
import { itemIndex, sampleShape } from './grid-queries.js';
import { workpaperLocals } from './presenter.js';
import type { Tx } from '../../db/connection.js';
import type { WorkpaperScope } from './scope.js';
import { loadWorkpaper, type WorkpaperData } from './workpaper-data.js';
import { GRID_PAGE_SIZE, type GridItem, type GridView } from './workpaper-grid.js';

export const isHtmx = (req: FastifyRequest) => req.headers['hx-request'] === 'true';

/**
 * The page of the grid a request asks for: the one holding `?item=`, else `?page=`, else the first. A route that
 * declares its query string passes it; a form's answer re-rendering the workpaper reads the page it came from.
 */
export function gridViewOf(
  req: FastifyRequest,
  scope: WorkpaperScope,
  asked: { page?: unknown; item?: unknown } = readQuery(req.query, pageQuery, { firstOfRepeated: true }),
): GridView {
  if (!scope.sample) return 'none';
  const { db } = req.server.conn;
  const { count } = sampleShape(db, scope.sample.id);
  const item = idParam(firstOf(asked.item));
  const index = Number.isNaN(item) ? null : itemIndex(db, scope.sample.id, item);
  return {
    page: index === null ? pageOf(asked.page, count, GRID_PAGE_SIZE) : pageHolding(index, count, GRID_PAGE_SIZE),
  };
}

export const firstOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

export function renderWorkpaper(
  req: FastifyRequest,
  reply: FastifyReply,
  scope: WorkpaperScope,
  extra: Record<string, unknown> = {},
) {
  const data = loadWorkpaper(req.server.conn.db, scope, gridViewOf(req, scope));
  return reply.page('testing/workpaper', workpaperLocals(req, data, extra));
}

export interface ItemPageExtras {
  errors?: FieldErrors;
  resultsInput?: Record<string, unknown>;
  notesInput?: Record<string, unknown>;
  evidenceError?: string;
}

/** A sampled item on its workpaper: the workpaper read for that item alone. */
export interface ItemOnPage {
  scope: WorkpaperScope;
  data: WorkpaperData;
  gi: GridItem;
}

/** The sampled item on the workpaper, or undefined (404) when it is not one of its sample's. */
export function itemOfScope(db: Tx, scope: WorkpaperScope, sampleItemId: number): ItemOnPage | undefined {
  const data = loadWorkpaper(db, scope, { items: [sampleItemId] });
  const gi = data.items.find((i) => i.item.sampleItemId === sampleItemId);
  return gi ? { scope, data, gi } : undefined;
}

export const renderItem = (
  req: FastifyRequest,
  reply: FastifyReply,
  found: ItemOnPage,
  extras: ItemPageExtras = {},
) => {
  const { data, gi } = found;
  return reply.page(
    'testing/item',
    workpaperLocals(req, data, {
      title: `${gi.item.key} — ${data.scope.control.reference}`,
      gi,
      legend: listTickmarks(req.server.conn.db, data.scope.engagementId),
      evidenceItem: { sampleItemId: gi.item.sampleItemId, key: gi.item.key },
      errors: extras.errors ?? {},
      resultsInput: extras.resultsInput ?? null,
      notesInput: extras.notesInput ?? null,
      evidenceError: extras.evidenceError ?? null,
    }),
  );
};
