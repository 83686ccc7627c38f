// A manager's (or the partner's) decision on a selection above the firm's limit: approved, it is drawn exactly
// as asked (same seed, size and design, over the population frozen when it was asked for); declined, it is
// kept as history and the population can be sampled again.
import { RuleError } from '../../core/errors.js';
import { and, eq } from 'drizzle-orm';
import type { Connection, Tx } from '../../db/connection.js';
import { samples } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { caGate, findPopulation } from '../populations/index.js';
import { insertSampleItems, type SampleRow } from './queries.js';
import { datesFor, drawOfSample } from './draw.js';

function assertPending(sample: SampleRow): void {
  if (sample.status !== 'pending') throw new RuleError('This selection is not awaiting approval.');
}

/** Updates the row only while it is still pending, so two decisions at once cannot both land. */
function decide(tx: Tx, sample: SampleRow, values: Partial<SampleRow>): SampleRow {
  const after = tx
    .update(samples)
    .set(values)
    .where(and(eq(samples.id, sample.id), eq(samples.status, 'pending')))
    .returning()
    .get();
  if (!after) throw new RuleError('Someone else decided on this selection meanwhile.');
  return after;
}

export async function approveSample(conn: Connection, actor: CurrentUser, sample: SampleRow): Promise<SampleRow> {
  // The population is frozen: its dates, read a step at a time beforehand, are the ones it was frozen with.
  const dates = await datesFor(conn, sample.populationId, sample.method);
  return conn.db.transaction((tx) => {
    assertPending(sample);
    const population = findPopulation(tx, sample.engagementId, sample.populationId)!;
    // The draw happens now: a C&A reopened since the request was made stops it as it stops a selection.
    const caProblem = caGate(tx, population);
    if (caProblem) throw new RuleError(caProblem);
    const picks = (sample.design?.picks as number[] | undefined) ?? [];
    const { positions } = drawOfSample(population, sample, picks, dates);
    const at = new Date().toISOString();
    const after = decide(tx, sample, { status: 'active', approvedBy: actor.id, approvedAt: at });
    insertSampleItems(conn.sqlite, sample.id, sample.populationId, positions, 0, 0);
    appendAudit(tx, actor.id, {
      engagementId: sample.engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'approve',
      changes: {
        status: ['pending', 'active'],
        size: [null, positions.length],
        approvedBy: [null, actor.email],
        approvedAt: [null, at],
      },
    });
    return after;
  });
}

export function declineSample(conn: Connection, actor: CurrentUser, sample: SampleRow, reason: string): SampleRow {
  return conn.db.transaction((tx) => {
    assertPending(sample);
    const after = decide(tx, sample, { status: 'discarded', discardedReason: `Declined by ${actor.name}: ${reason}` });
    appendAudit(tx, actor.id, {
      engagementId: sample.engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'decline',
      changes: { status: ['pending', 'discarded'], reason: [null, reason] },
    });
    return after;
  });
}
