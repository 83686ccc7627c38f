import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { users } from '../../db/schema/index.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import { caOf } from './queries.js';

/** What a refused save of the completeness-and-accuracy record shows as stored now, and who saved it when. */
export function caConflict(db: Tx, engagementId: number, populationId: number): ConflictView {
  const ca = caOf(db, populationId);
  const completedBy = ca?.completedBy
    ? db.select({ name: users.name }).from(users).where(eq(users.id, ca.completedBy)).get()?.name
    : null;
  return conflictView(db, {
    engagementId,
    entityId: populationId,
    changes: [{ entity: 'population-ca', actions: ['update', 'complete', 'not-needed'] }],
    what: 'the completeness and accuracy record',
    fields: [
      ['Source system', ca?.sourceSystem],
      ['Extracted by', ca?.extractedBy],
      ['Extracted on', ca?.extractedOn ? fmt.date(ca.extractedOn) : null],
      [
        'Client’s record count',
        ca?.clientCount === null || ca?.clientCount === undefined ? null : fmt.number(ca.clientCount),
      ],
      ['Client’s control total', ca?.clientTotal],
      ['Report or query used', ca?.reportUsed],
      ['Procedures performed', ca?.procedures],
      ['Explanation of a tie-out difference', ca?.tieOutExplanation],
      [
        'Marked complete',
        ca?.completedAt ? `${fmt.timestamp(ca.completedAt)}${completedBy ? ` by ${completedBy}` : ''}` : 'Not yet',
      ],
      ['Marked not needed', ca?.notNeededReason ? `${fmt.timestamp(ca.notNeededAt!)}: ${ca.notNeededReason}` : null],
    ],
  });
}
