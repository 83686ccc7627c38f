// The workpaper a route names in its path (a control's window), and what it names on it: a sampled item, an
// item's exception cell, an anomaly or override proposal, an evidence file. Each from the request's engagement
// and its workpaper only (else the 404 page); list each after the ones it reads (see `onWorkpaper`).
import type { FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementEntity, type Loader } from '../../core/engagement/loaders.js';
import { notFound } from '../../core/errors.js';
import { controlInPath } from '../populations/index.js';
import { evidenceFile, findAnomaly, findOverride, workpaperOfPopulation } from './queries.js';
import { workpaperScope } from './scope.js';
import { itemOfScope, type ItemOnPage } from './pages.js';

/** The workpaper of the control's window in the path (list after controlInPath). */
export const workpaperInPath = engagementEntity('populationId', (req, _engagementId, populationId) =>
  workpaperScope(req.server.conn.db, engagementOf(req).engagement, controlInPath.of(req).id, populationId),
);

/** A route on one window's workpaper: its control, then the workpaper. */
export const onWorkpaper = [controlInPath.preHandler, workpaperInPath.preHandler];

/** The sampled item in the path, on the workpaper (list after onWorkpaper). */
export const itemInPath = engagementEntity('sampleItemId', (req, _engagementId, id) =>
  itemOfScope(req.server.conn.db, workpaperInPath.of(req), id),
);

/** A route on one item of a workpaper. */
export const onItem = [...onWorkpaper, itemInPath.preHandler];

export interface ExceptionCell {
  found: ItemOnPage;
  attribute: string;
}

/** The item's cell the path names by its attribute's letter (list after onItem); not an id, so loaded here. */
export const exceptionCellInPath: Loader<ExceptionCell> = (() => {
  const loaded = new WeakMap<FastifyRequest, ExceptionCell>();
  return {
    preHandler: async (req) => {
      const found = itemInPath.of(req);
      const { attribute } = req.params as { attribute?: unknown };
      if (!found.gi.cells.some((c) => c.attribute === attribute)) throw notFound();
      loaded.set(req, { found, attribute: attribute as string });
    },
    of(req) {
      const cell = loaded.get(req);
      if (!cell) throw new Error('the route does not load :attribute (add exceptionCellInPath to preHandler)');
      return cell;
    },
  };
})();

/** A route on one exception cell of an item. */
export const onExceptionCell = [...onItem, exceptionCellInPath.preHandler];

const workpaperRowOf = (req: FastifyRequest) =>
  workpaperOfPopulation(req.server.conn.db, workpaperInPath.of(req).population.id);

/** The anomaly proposal in the path, on this workpaper (list after onWorkpaper). */
export const anomalyInPath = engagementEntity('anomalyId', (req, _engagementId, id) => {
  const wp = workpaperRowOf(req);
  return wp && findAnomaly(req.server.conn.db, wp.id, id);
});

/** The override proposal in the path, on this workpaper (list after onWorkpaper). */
export const overrideInPath = engagementEntity('overrideId', (req, _engagementId, id) => {
  const wp = workpaperRowOf(req);
  return wp && findOverride(req.server.conn.db, wp.id, id);
});

/** The evidence file in the path, of the engagement (a workpaper's own file or not: the route decides). */
export const evidenceInPath = engagementEntity('evidenceId', (req, engagementId, id) =>
  evidenceFile(req.server.conn.db, engagementId, id),
);
