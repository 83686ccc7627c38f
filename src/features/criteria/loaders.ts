// The control objective a route names in its path: one of the engagement's, or one deleted here (the route
// then says it is gone); any other id is the 404 page.
import { engagementEntity } from '../../core/engagement/loaders.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { listObjectives } from './scope.js';

export const objectiveInPath = engagementEntity('objectiveId', (req, engagementId, id) => {
  const { db } = req.server.conn;
  if (listObjectives(db, engagementId).some((o) => o.id === id)) return { id, deleted: false };
  return wasDeletedHere(db, engagementId, 'control-objective', id) ? { id, deleted: true } : undefined;
});
