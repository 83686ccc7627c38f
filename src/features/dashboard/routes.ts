import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { controls, exceptionRecords } from '../../db/schema/index.js';
import { WORKPAPER_STATE_LABELS, type WorkpaperState } from '../../domain/review.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementProposal } from '../opinion/index.js';
import { openNoteCount } from '../review/index.js';
import { controlStates } from './control-states.js';
import { vocabularyOf } from '../../domain/vocabulary.js';
import { typed } from '../../core/http/contract.js';

/** What each roll-up status reads as for a screen reader; a carved-out criterion reads as such, never "No controls". */
function dashboardStatusLabels(carvedOut: string): Record<string, string> {
  return {
    achieved: 'achieved',
    'not-achieved': 'not achieved',
    'scope-limited': 'scope limitation',
    'not-concluded': 'awaiting conclusions',
    'no-controls': 'no controls',
    'carved-out': carvedOut,
    'not-applicable': 'not applicable',
  };
}

const STATES: WorkpaperState[] = ['not-started', 'in-testing', 'prepared', 'reviewed', 'stale'];

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  typed(app).get('/dashboard', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const all = db
      .select({ id: controls.id, reference: controls.reference })
      .from(controls)
      .where(eq(controls.engagementId, engagement.id))
      .orderBy(controls.reference)
      .all();
    const states = controlStates(db, engagement.id, engagement.secondReviewRequired, all);
    const counts = Object.fromEntries(STATES.map((s) => [s, states.filter((c) => c.state === s).length])) as Record<
      WorkpaperState,
      number
    >;
    const exceptions = db
      .select({ status: exceptionRecords.status, n: sql<number>`count(*)` })
      .from(exceptionRecords)
      .where(eq(exceptionRecords.engagementId, engagement.id))
      .groupBy(exceptionRecords.status)
      .all();
    const { rollUp, decision, proposal } = engagementProposal(db, app.config.rootDir, engagement);
    const carvedOut = `${vocabularyOf(engagement.framework).carvedOutBy} (carved out)`;
    return reply.page('dashboard/page', {
      title: `Dashboard — ${engagement.clientName}`,
      total: all.length,
      counts,
      states: STATES,
      stateLabels: WORKPAPER_STATE_LABELS,
      stale: states.filter((c) => c.state === 'stale'),
      exceptions: {
        open: exceptions.find((e) => e.status === 'open')?.n ?? 0,
        resolved: exceptions.find((e) => e.status === 'resolved')?.n ?? 0,
      },
      openNotes: openNoteCount(db, { engagementId: engagement.id }),
      rollUp,
      statusLabels: dashboardStatusLabels(carvedOut),
      csocLine: carvedOut,
      proposal,
      decision,
    });
  });
}
