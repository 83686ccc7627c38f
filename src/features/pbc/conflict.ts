import type { Tx } from '../../db/connection.js';
import { PBC_STATUS_LABELS } from '../../domain/pbc.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import type { PbcRow } from './service.js';

/** What a refused edit of a request shows as stored now, and who saved it when. */
export function requestConflict(db: Tx, r: PbcRow): ConflictView {
  return conflictView(db, {
    engagementId: r.engagementId,
    entityId: r.id,
    changes: [{ entity: 'pbc-request', actions: ['create', 'update'] }],
    what: `request ${r.reference}`,
    fields: [
      ['Reference', r.reference],
      ['What is requested', r.description],
      ['Controls served', r.controls.join(', ')],
      ['Client owner', r.ownerName],
      ['Owner’s email', r.ownerEmail],
      ['Due', r.dueDate ? fmt.date(r.dueDate) : null],
      ['Status', PBC_STATUS_LABELS[r.status] ?? r.status],
      ['What answered it', r.answer],
    ],
  });
}
