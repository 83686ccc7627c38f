// The tickmark a route names in its path: one of the engagement's legend, or one deleted from it here (a second
// click on "Remove" says it is gone); any other id is the 404 page.
import { engagementEntity } from '../../core/engagement/loaders.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { listTickmarks } from './service.js';

export const tickmarkInPath = engagementEntity('tickmarkId', (req, engagementId, id) => {
  const known = listTickmarks(req.server.conn.db, engagementId).some((t) => t.id === id);
  return known || wasDeletedHere(req.server.conn.db, engagementId, 'tickmark', id) ? id : undefined;
});
