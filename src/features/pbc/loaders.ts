// The request a route names in its path, from the request's engagement (else 404; requests are never deleted).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { listRequests } from './service.js';

export const requestInPath = engagementEntity('requestId', (req, engagementId, id) =>
  listRequests(req.server.conn.db, engagementId).find((r) => r.id === id),
);
