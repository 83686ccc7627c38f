// The recorded assertion (or statement) a route names in its path, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { assertionFile } from './queries.js';

export const assertionInPath = engagementEntity('assertionId', (req, engagementId, id) =>
  assertionFile(req.server.conn.db, engagementId, id),
);
