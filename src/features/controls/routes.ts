import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canEditControls } from '../../domain/roles.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, queryOf, typed } from '../../core/http/contract.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { engagementScope } from '../criteria/index.js';
import { CONTROL_LABELS } from './labels.js';
import { filterLines, isFiltered, matrixHref, matrixLines, readMatrixQuery, sortLines } from './matrix.js';
import { readControlForm } from './forms.js';
import { createControl, deleteControl } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';
import { controlRowInPath, controlViewInPath } from './loaders.js';

/** The matrix's filters, each read leniently by readMatrixQuery (an old bookmark's value is ignored). */
const matrixQuery = queryOf(z.record(z.string(), z.string()));
/** The control form's fields, read in the handler against the engagement's period and scope. */
const controlFields = formOf(z.record(z.string(), z.unknown()));

/** The matrix, creating a control, the control page and deleting one. */
export async function controlRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const routes = typed(app);

  routes.get('/controls', { schema: { querystring: matrixQuery } }, async (req, reply) => {
    const { engagement, membership } = engagementOf(req);
    const q = readMatrixQuery(req.query);
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

  routes.get('/controls/new', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return renderNew(
      req,
      reply,
      { implementedFrom: engagement.periodStart, risk: 'higher', controlType: 'preventive', criteria: [] },
      {},
    );
  });

  routes.post('/controls', { schema: { body: controlFields } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const parsed = readControlForm(req.body.input, engagement, scope);
    if (!parsed.ok) return renderNew(req, reply.code(422), parsed.input, parsed.errors);
    const { fields, criteria } = parsed.value;
    return actOrRerender(req, reply, {
      action: () => createControl(db, currentUser(req), engagement.id, scope, fields, criteria),
      done: (row) => `Control ${row.reference} added. Write its test plan below.`,
      back: (row) => `/engagements/${engagement.id}/controls/${row.id}`,
      field: '_form',
      rerender: (errors, input) => renderNew(req, reply, input, errors),
    });
  });

  const ofControl = { params: pathIds('controlId') };
  routes.get(
    '/controls/:controlId',
    { schema: ofControl, preHandler: controlViewInPath.preHandler },
    async (req, reply) => {
      const view = controlViewInPath.of(req);
      return reply.page('controls/show', { title: `${view.c.reference} — Controls`, ...view, errors: {} });
    },
  );

  const deleteOptions = { schema: ofControl, preHandler: controlRowInPath.preHandler };
  routes.post('/controls/:controlId/delete', deleteOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const removed = deleteControl(db, currentUser(req), engagement.id, controlRowInPath.of(req).id);
    // Deleted by someone else since the preHandler read it: no such control any more.
    if (!removed) return reply.callNotFound();
    req.session.flash = `Control ${removed.reference} deleted, with its test plan and walkthrough.`;
    return reply.redirect(`/engagements/${engagement.id}/controls`, 303);
  });
}
