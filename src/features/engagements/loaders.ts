// The team member a route names in its path, on the request's engagement's team (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { listTeam } from '../../core/engagement/queries.js';

export const memberInPath = engagementEntity('memberId', (req, engagementId, id) =>
  listTeam(req.server.conn.db, engagementId).find((m) => m.memberId === id),
);
