// The sample a route names in its path, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { findSample } from './queries.js';

export const sampleInPath = engagementEntity('sampleId', (req, engagementId, id) =>
  findSample(req.server.conn.db, engagementId, id),
);
