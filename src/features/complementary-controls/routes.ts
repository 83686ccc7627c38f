import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { canEditControls } from '../../domain/roles.js';
import { idParam } from '../../core/http/params.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
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

type Params = { Params: { complementaryId: string } };

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
  ): { ok: true; values: ComplementaryValues } | { ok: false; errors: FieldErrors } => {
    const { engagement } = engagementOf(req);
    const parsed = parseForm(complementaryForm(vocabularyOf(engagement.framework)), req.body);
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
    write: (values: ComplementaryValues) => void,
  ) => {
    const form = readForm(req);
    if (!form.ok) return render(req, reply.code(422), template, { ...extra, errors: form.errors, input: req.body });
    return actOrRerender(req, reply, {
      action: () => write(form.values),
      done: `${form.values.kind.toUpperCase()} ${form.values.reference} saved.`,
      back: url(req),
      rerender: (errors, input) => render(req, reply, template, { ...extra, errors, input }),
    });
  };

  app.get('/complementary-controls', async (req, reply) => render(req, reply, 'complementary-controls/list', {}));

  app.post('/complementary-controls', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return save(req, reply, 'complementary-controls/list', {}, (values) =>
      addComplementary(
        db,
        currentUser(req),
        engagement.id,
        engagementScope(db, app.config.rootDir, engagement),
        values,
      ),
    );
  });

  app.get<Params>('/complementary-controls/:complementaryId/edit', async (req, reply) => {
    const item = listComplementary(db, engagementOf(req).engagement.id).find(
      (c) => c.id === idParam(req.params.complementaryId),
    );
    if (!item) return reply.callNotFound();
    return render(req, reply, 'complementary-controls/edit', { item, input: item, title: `Edit ${item.reference}` });
  });

  app.post<Params>('/complementary-controls/:complementaryId', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const item = listComplementary(db, engagement.id).find((c) => c.id === idParam(req.params.complementaryId));
    if (!item) return reply.callNotFound();
    return save(req, reply, 'complementary-controls/edit', { item }, (values) =>
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

  app.post<Params>('/complementary-controls/:complementaryId/delete', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const id = idParam(req.params.complementaryId);
    const removed = deleteComplementary(db, currentUser(req), engagement.id, id);
    if (!removed && !wasDeletedHere(db, engagement.id, 'complementary-control', id)) return reply.callNotFound();
    req.session.flash = removed ? 'Complementary control deleted.' : 'That complementary control was already deleted.';
    return reply.redirect(url(req), 303);
  });
}
