// The workpaper and item pages as the testing and evidence routes render them, and the workpaper a request
// names: shared by several route files, so it lives outside any of them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { pageHolding, pageOf } from '../../core/http/paging.js';
import { pageQuery, readQuery } from '../../core/http/query.js';
import { listTickmarks } from '../tickmarks/index.js';
import { itemIndex, sampleShape } from './grid-queries.js';
import { workpaperLocals } from './presenter.js';
import { workpaperScope, type WorkpaperScope } from './scope.js';
import { GRID_PAGE_SIZE, loadWorkpaper, type GridView } from './workpaper-data.js';

export type WorkpaperParams = { controlId: string; populationId?: string };

export const isHtmx = (req: FastifyRequest) => req.headers['hx-request'] === 'true';

/** The workpaper a request names, or undefined (404) when the ids do not belong together or to the engagement. */
export function scopeFrom(req: FastifyRequest): WorkpaperScope | undefined {
  const params = req.params as WorkpaperParams;
  const populationId = params.populationId === undefined ? undefined : idParam(params.populationId);
  return workpaperScope(req.server.conn.db, engagementOf(req).engagement, idParam(params.controlId), populationId);
}

/** The page of the grid a request asks for: the one holding `?item=`, else `?page=`, else the first. */
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

export type ItemParams = { sampleItemId: string; attribute?: string };

export interface ItemPageExtras {
  errors?: FieldErrors;
  resultsInput?: Record<string, unknown>;
  notesInput?: Record<string, unknown>;
  evidenceError?: string;
}

/** The sampled item a request names on its workpaper, or undefined (404). */
export const itemOnPage = (req: FastifyRequest) => {
  const scope = scopeFrom(req);
  if (!scope) return undefined;
  const id = idParam((req.params as ItemParams).sampleItemId);
  const data = loadWorkpaper(req.server.conn.db, scope, { items: Number.isNaN(id) ? [] : [id] });
  const gi = data.items.find((i) => i.item.sampleItemId === id);
  return gi ? { scope, data, gi } : undefined;
};

export const renderItem = (
  req: FastifyRequest,
  reply: FastifyReply,
  found: NonNullable<ReturnType<typeof itemOnPage>>,
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
