import type { FastifyInstance } from 'fastify';
import { coverage } from '../../domain/coverage.js';
import { canEditControls } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementScope } from '../criteria/index.js';
import { CONTROL_LABELS, matrixLines } from '../controls/index.js';
import { listComplementary } from '../complementary-controls/index.js';
import { exclusionsOf } from '../opinion/index.js';
import { typed } from '../../core/http/contract.js';

export async function coverageRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  typed(app).get('/coverage', async (req, reply) => {
    const { engagement, membership } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const controls = matrixLines(db, engagement.id).map((l) => ({ ...l, reference: l.control.reference }));
    const result = coverage(
      scope.items,
      controls,
      listComplementary(db, engagement.id),
      exclusionsOf(db, engagement.id),
    );
    return reply.page('coverage/show', {
      title: `Coverage — ${engagement.clientName}`,
      scopeKind: scope.kind,
      coverage: result,
      base: `/engagements/${engagement.id}`,
      labels: CONTROL_LABELS,
      canEdit: canEditControls(membership.role),
    });
  });
}
