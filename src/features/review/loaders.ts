// The workpaper and the review note a review route names in its path, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { findNote, findWorkpaper } from './queries.js';

export const reviewedWorkpaperInPath = engagementEntity('workpaperId', (req, engagementId, id) =>
  findWorkpaper(req.server.conn.db, engagementId, id),
);

/** Notes are never deleted: one that is not this engagement's is not found. */
export const noteInPath = engagementEntity('noteId', (req, engagementId, id) =>
  findNote(req.server.conn.db, engagementId, id),
);
