// The control and the population a route names in its path, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { findControl, findPopulation } from './queries.js';

export const controlInPath = engagementEntity('controlId', (req, engagementId, id) =>
  findControl(req.server.conn.db, engagementId, id),
);

export const populationInPath = engagementEntity('populationId', (req, engagementId, id) =>
  findPopulation(req.server.conn.db, engagementId, id),
);

/** The control of the population in the path (list after populationInPath). */
export const controlOfPopulation = engagementEntity('populationId', (req, engagementId) =>
  findControl(req.server.conn.db, engagementId, populationInPath.of(req).controlId),
);

/** A population that can still be worked on (C&A, replacing it): one replaced is no page any more. */
export const livePopulationInPath = engagementEntity('populationId', (req, engagementId, id) => {
  const population = findPopulation(req.server.conn.db, engagementId, id);
  return population?.status === 'replaced' ? undefined : population;
});

/** An uploaded population whose columns can be mapped (one generated, or replaced, has no mapping page). */
export const mappablePopulationInPath = engagementEntity('populationId', (req, engagementId, id) => {
  const population = findPopulation(req.server.conn.db, engagementId, id);
  const uploadPath = population?.status === 'replaced' ? null : population?.uploadPath;
  return population && uploadPath ? { ...population, uploadPath } : undefined;
});
