import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { canEditControls } from '../../domain/roles.js';
import { z } from 'zod';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { listSubserviceOrgs } from '../../core/engagement/queries.js';
import { engagementScope } from '../criteria/index.js';
import { complementaryForm } from './forms.js';
import { vocabularyOf } from '../../domain/vocabulary.js';
import {
  addComplementary,
  deleteComplementary,
  editComplementary,
  listComplementary,
  type ComplementaryValues,
} from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

import { complementaryIdInPath, complementaryInPath } from './loaders.js';

/** The form's fields, read in the handler: its messages use the engagement's words, and criteria its scope. */
const complementaryFields = formOf(z.record(z.string(), z.unknown()));

/** CUECs and CSOCs: listed in the report and mapped to criteria or objectives, never tested. */
export async function complementaryRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/complementary-controls`;

  const render = (req: FastifyRequest, reply: FastifyReply, template: string, extra: Record<string, unknown>) => {
    const { engagement, membership } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const carveOuts = listSubserviceOrgs(db, engagement.id).filter((o) => o.method === 'carve-out');
    return reply.page(template, {
      title: 'Complementary controls',
      base: url(req),
      items: listComplementary(db, engagement.id),
      carveOuts,
      scopeItems: scope.items,
      scopeKind: scope.kind,
      canEdit: canEditControls(membership.role),
      errors: {},
      input: { kind: 'cuec', criteria: [] },
      ...extra,
    });
  };

  /** Validates the form against the scope; the caller decides where a refusal is shown. */
  const readForm = (
    req: FastifyRequest,
    input: Record<string, unknown>,
  ): { ok: true; values: ComplementaryValues } | { ok: false; errors: FieldErrors } => {
    const { engagement } = engagementOf(req);
    const parsed = parseForm(complementaryForm(vocabularyOf(engagement.framework)), input);
    if (!parsed.ok) return parsed;
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const criteria: string[] = [];
    for (const ref of parsed.value.criteria) {
      const r = scope.resolve(ref);
      if (!r.ok)
        return { ok: false, errors: { criteria: `${r.message.charAt(0).toUpperCase()}${r.message.slice(1)}.` } };
      criteria.push(r.reference);
    }
    return { ok: true, values: { ...parsed.value, criteria: [...new Set(criteria)] } };
  };

  const save = (
    req: FastifyRequest,
    reply: FastifyReply,
    template: string,
    extra: Record<string, unknown>,
    input: Record<string, unknown>,
    write: (values: ComplementaryValues) => void,
  ) => {
    const form = readForm(req, input);
    if (!form.ok) return render(req, reply.code(422), template, { ...extra, errors: form.errors, input });
    return actOrRerender(req, reply, {
      action: () => write(form.values),
      done: `${form.values.kind.toUpperCase()} ${form.values.reference} saved.`,
      back: url(req),
      rerender: (errors, input) => render(req, reply, template, { ...extra, errors, input }),
    });
  };

  const routes = typed(app);
  const ofItem = { params: pathIds('complementaryId') };
  routes.get('/complementary-controls', async (req, reply) => render(req, reply, 'complementary-controls/list', {}));

  routes.post('/complementary-controls', { schema: { body: complementaryFields } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    return save(req, reply, 'complementary-controls/list', {}, req.body.input, (values) =>
      addComplementary(
        db,
        currentUser(req),
        engagement.id,
        engagementScope(db, app.config.rootDir, engagement),
        values,
      ),
    );
  });

  const editPage = { schema: ofItem, preHandler: complementaryInPath.preHandler };
  routes.get('/complementary-controls/:complementaryId/edit', editPage, async (req, reply) => {
    const item = complementaryInPath.of(req);
    return render(req, reply, 'complementary-controls/edit', { item, input: item, title: `Edit ${item.reference}` });
  });

  const editOptions = { ...editPage, schema: { ...ofItem, body: complementaryFields } };
  routes.post('/complementary-controls/:complementaryId', editOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const item = complementaryInPath.of(req);
    return save(req, reply, 'complementary-controls/edit', { item }, req.body.input, (values) =>
      editComplementary(
        db,
        currentUser(req),
        engagement.id,
        item.id,
        engagementScope(db, app.config.rootDir, engagement),
        values,
      ),
    );
  });

  const deleteOptions = { schema: ofItem, preHandler: complementaryIdInPath.preHandler };
  routes.post('/complementary-controls/:complementaryId/delete', deleteOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const removed = deleteComplementary(db, currentUser(req), engagement.id, complementaryIdInPath.of(req));
    req.session.flash = removed ? 'Complementary control deleted.' : 'That complementary control was already deleted.';
    return reply.redirect(url(req), 303);
  });
}
