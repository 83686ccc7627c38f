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
