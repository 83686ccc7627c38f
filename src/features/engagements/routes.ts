import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canCreateEngagement, canEditEngagement, canImportEngagement } from '../../domain/roles.js';
import { engagementDateWarnings } from '../../domain/report-dates.js';
import { PAPER_LABELS, paperForCountry, paperOf } from '../../domain/paper.js';
import { priorExceptions } from '../roll-forward/index.js';
import { engagementFileDates } from '../archive/index.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { engagementForm, newEngagementForm, subserviceForm } from './forms.js';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { capitalized, vocabularyOf } from '../../domain/vocabulary.js';
import { getEngagement, listEngagementsForUser, listSubserviceOrgs, listTeam } from '../../core/engagement/queries.js';
import { activeUsers, createEngagement, editEngagement, engagementConflict } from './service.js';
import { addSubserviceOrg, removeSubserviceOrg } from './subservice-service.js';
import { versionOf } from '../../core/http/versions.js';
import {
  configuredMethodology,
  engagementMethodology,
  filePolicyOf,
  methodologySummary,
  SIZE_ROWS,
} from '../methodology/index.js';
import { holidaysOf } from '../holidays/index.js';
import { assertionSummary } from '../assertion/index.js';
import { currentUser } from '../../core/auth/current-user.js';

/** `/engagements` and `/engagements/new`: outside any one engagement. */
export async function engagementListRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const renderNew = (reply: FastifyReply, input: Record<string, unknown>, errors: FieldErrors) =>
    reply.page('engagements/form', {
      title: 'New engagement',
      input,
      errors,
      partners: activeUsers(db, 'partner'),
      isNew: true,
      defaultPaper: paperForCountry(app.config.firmCountry),
      paperLabels: PAPER_LABELS,
    });

  const routes = typed(app);
  app.get('/engagements', async (req, reply) =>
    reply.page('engagements/list', {
      title: 'Engagements',
      rows: listEngagementsForUser(db, currentUser(req).id),
      canCreate: canCreateEngagement(currentUser(req).firmRole),
      canImport: canImportEngagement(currentUser(req).firmRole),
    }),
  );

  app.get('/engagements/new', async (_req, reply) => {
    return renderNew(reply, { framework: 'soc2', reportType: 'type2', categories: [] }, {});
  });

  routes.post('/engagements', { schema: { body: formOf(newEngagementForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return renderNew(reply.code(422), parsed.input, parsed.errors);
    const { partnerUserId, ...input } = parsed.value;
    const user = currentUser(req);
    return actOrRerender(req, reply, {
      action: () =>
        createEngagement(
          db,
          user,
          input,
          partnerUserId,
          configuredMethodology(app.config),
          paperForCountry(app.config.firmCountry),
        ),
      done: (engagement) => `Engagement for ${engagement.clientName} created.`,
      back: (engagement) =>
        listTeam(db, engagement.id).some((m) => m.userId === user.id)
          ? `/engagements/${engagement.id}`
          : '/engagements',
      field: 'partnerUserId',
      status: 422,
      rerender: (errors, typedIn) => renderNew(reply, typedIn, errors),
    });
  });
}

/** Routes inside one engagement; registered in the scope that checks team membership. */
export async function engagementRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  const renderShow = (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
  ) => {
    const { engagement, membership } = engagementOf(req);
    return reply.page('engagements/show', {
      title: engagement.clientName,
      team: listTeam(db, engagement.id),
      subserviceOrgs: listSubserviceOrgs(db, engagement.id),
      periodWarnings: engagementDateWarnings(engagement),
      paper: PAPER_LABELS[paperOf(engagement)],
      holidayCount: holidaysOf(db, engagement.id).length,
      assertion: assertionSummary(db, engagement),
      priorExceptions: priorExceptions(db, engagement.rolledFromId),
      dates: engagementFileDates(db, engagement),
      policy: filePolicyOf(engagement),
      methodology: engagementMethodology(engagement),
      methodologySummary: methodologySummary(engagementMethodology(engagement).settings),
      methodologySizeRows: SIZE_ROWS,
      canEdit: canEditEngagement(membership.role),
      errors,
      input,
    });
  };

  const routes = typed(app);
  app.get('/', async (req, reply) => renderShow(req, reply));

  routes.post('/subservice-orgs', { schema: { body: formOf(subserviceForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return renderShow(req, reply.code(422), parsed.errors, parsed.input);
    const { engagement } = engagementOf(req);
    addSubserviceOrg(db, currentUser(req), engagement.id, parsed.value);
    req.session.flash = `${capitalized(vocabularyOf(engagement.framework).subserviceOrganization)} added.`;
    return reply.redirect(`/engagements/${engagement.id}`, 303);
  });

  const removeOptions = { schema: { params: pathIds('orgId') } };
  routes.post('/subservice-orgs/:orgId/remove', removeOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const id = req.params.orgId;
    const removed = removeSubserviceOrg(db, currentUser(req), engagement.id, id);
    if (!removed && !wasDeletedHere(db, engagement.id, 'subservice-org', id)) return reply.callNotFound();
    const org = vocabularyOf(engagement.framework).subserviceOrganization;
    req.session.flash = removed ? `${capitalized(org)} removed.` : `That ${org} was already removed.`;
    return reply.redirect(`/engagements/${engagement.id}`, 303);
  });

  app.get('/edit', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return reply.page('engagements/form', {
      title: `Edit ${engagement.clientName}`,
      input: { ...engagement, paperSize: paperOf(engagement) },
      errors: {},
      isNew: false,
      version: engagement.version,
      paperLabels: PAPER_LABELS,
    });
  });

  routes.post('/edit', { schema: { body: formOf(engagementForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const title = `Edit ${engagement.clientName}`;
    const parsed = req.body;
    const basedOn = versionOf(parsed.input);
    if (!parsed.ok)
      return reply.code(422).page('engagements/form', {
        title,
        input: parsed.input,
        errors: parsed.errors,
        isNew: false,
        version: basedOn,
        paperLabels: PAPER_LABELS,
      });
    const value = parsed.value;
    return actOrRerender(req, reply, {
      action: () => editEngagement(db, currentUser(req), engagement.id, value, basedOn),
      done: ['Engagement saved.', ...engagementDateWarnings(value)].join(' '),
      back: `/engagements/${engagement.id}`,
      rerender: (errors, input) =>
        reply.page('engagements/form', {
          title,
          input,
          errors,
          isNew: false,
          version: basedOn,
          paperLabels: PAPER_LABELS,
        }),
      onStale: () => {
        const current = getEngagement(db, engagement.id)!;
        return reply.code(409).page('engagements/form', {
          title,
          input: parsed.input,
          errors: {},
          isNew: false,
          version: current.version,
          conflict: engagementConflict(db, current),
          paperLabels: PAPER_LABELS,
        });
      },
    });
  });
}
