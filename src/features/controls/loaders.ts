// The control a route names in its path, as the control page shows it, from the request's engagement (else 404).
import { engagementEntity } from '../../core/engagement/loaders.js';
import { controlView } from './presenter.js';
import { getControl } from './queries.js';

export const controlViewInPath = engagementEntity('controlId', (req, _engagementId, id) => controlView(req, id));

/** The control's stored row only (deleting it needs no page). */
export const controlRowInPath = engagementEntity('controlId', (req, engagementId, id) =>
  getControl(req.server.conn.db, engagementId, id),
);
