import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canEditControls } from '../../domain/roles.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { idParam } from '../../core/http/params.js';
import { queryValues } from '../../core/http/query.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementScope } from '../criteria/index.js';
import { CONTROL_LABELS } from './labels.js';
import { filterLines, isFiltered, matrixHref, matrixLines, readMatrixQuery, sortLines } from './matrix.js';
import { readControlForm } from './forms.js';
import { controlView } from './presenter.js';
import { createControl, deleteControl } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

/** The matrix, creating a control, the control page and deleting one. */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  app.get('/controls', async (req, reply) => {
    const { engagement, membership } = engagementOf(req);
    const q = readMatrixQuery(queryValues(req.query));
    const all = matrixLines(db, engagement.id);
    const lines = sortLines(filterLines(all, q), q);
    const base = `/engagements/${engagement.id}/controls`;
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const data = {
      title: `Controls — ${engagement.clientName}`,
      lines,
      total: all.length,
      q,
      base,
      filtered: isFiltered(q),
      scope,
      labels: CONTROL_LABELS,
      href: matrixHref,
      canEdit: canEditControls(membership.role),
    };
    const tableOnly = req.headers['hx-request'] === 'true' && req.headers['hx-history-restore-request'] !== 'true';
    return reply.page(tableOnly ? 'controls/matrix-table' : 'controls/matrix', data);
  });

  const renderNew = (req: FastifyRequest, reply: FastifyReply, input: Record<string, unknown>, errors: FieldErrors) => {
    const { engagement } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    return reply.page('controls/new', {
      title: 'New control',
      input,
      errors,
      scopeItems: scope.items,
      scopeKind: scope.kind,
      labels: CONTROL_LABELS,
      base: `/engagements/${engagement.id}/controls`,
    });
  };

  app.get('/controls/new', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return renderNew(
      req,
      reply,
      { implementedFrom: engagement.periodStart, risk: 'higher', controlType: 'preventive', criteria: [] },
      {},
    );
  });

  app.post('/controls', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const parsed = readControlForm(req.body, engagement, scope);
    if (!parsed.ok) return renderNew(req, reply.code(422), parsed.input, parsed.errors);
    try {
      const row = createControl(db, currentUser(req), engagement.id, scope, parsed.value.fields, parsed.value.criteria);
      req.session.flash = `Control ${row.reference} added. Write its test plan below.`;
      return reply.redirect(`/engagements/${engagement.id}/controls/${row.id}`, 303);
    } catch (err) {
      if (err instanceof RuleError)
        return renderNew(req, reply.code(422), req.body as Record<string, unknown>, err.formErrors('_form'));
      throw err;
    }
  });

  app.get<{ Params: { controlId: string } }>('/controls/:controlId', async (req, reply) => {
    const view = controlView(req, idParam(req.params.controlId));
    if (!view) return reply.callNotFound();
    return reply.page('controls/show', { title: `${view.c.reference} — Controls`, ...view, errors: {} });
  });

  app.post<{ Params: { controlId: string } }>('/controls/:controlId/delete', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const removed = deleteControl(db, currentUser(req), engagement.id, idParam(req.params.controlId));
    if (!removed) return reply.callNotFound();
    req.session.flash = `Control ${removed.reference} deleted, with its test plan and walkthrough.`;
    return reply.redirect(`/engagements/${engagement.id}/controls`, 303);
  });
}
