// The CUEC or CSOC a route names in its path, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { listComplementary } from './service.js';

export const complementaryInPath = engagementEntity('complementaryId', (req, engagementId, id) =>
  listComplementary(req.server.conn.db, engagementId).find((c) => c.id === id),
);

/** The id of one of the engagement's complementary controls, or of one deleted here (to say it is gone). */
export const complementaryIdInPath = engagementEntity('complementaryId', (req, engagementId, id) => {
  const { db } = req.server.conn;
  const known = listComplementary(db, engagementId).some((c) => c.id === id);
  return known || wasDeletedHere(db, engagementId, 'complementary-control', id) ? id : undefined;
});
