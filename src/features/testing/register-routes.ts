import type { FastifyInstance } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { queryOf, typed } from '../../core/http/contract.js';
import { controlChoices, exceptionRegister } from './queries.js';
import { registerQuery } from './forms.js';
import { cellId } from './cell-markup.js';

/** The engagement's exceptions register: every recorded exception, filterable, each linking back to its cell. */
export async function exceptionRegisterRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  typed(app).get('/exceptions', { schema: { querystring: queryOf(registerQuery) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const filters = req.query;
    const rows = exceptionRegister(db, engagement.id, filters);
    const base = `/engagements/${engagement.id}`;
    const controls = controlChoices(db, engagement.id).sort((a, b) => a.reference.localeCompare(b.reference));
    const tableOnly = req.headers['hx-request'] === 'true' && req.headers['hx-history-restore-request'] !== 'true';
    return reply.page(tableOnly ? 'testing/register-table' : 'testing/register', {
      title: `Exceptions — ${engagement.clientName}`,
      rows: rows.map((r) => ({
        ...r,
        cellUrl: `${base}/controls/${r.controlId}/workpaper/${r.populationId}#${cellId(r.record)}`,
        recordUrl: `${base}/controls/${r.controlId}/workpaper/${r.populationId}/items/${r.record.sampleItemId}/exceptions/${r.record.attribute}`,
      })),
      controls,
      filters,
      base,
    });
  });
}
