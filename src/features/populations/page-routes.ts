// A population's page: its items and issues, its completeness and accuracy (C&A) record, and replacing it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { formatAmount, ISSUE_LABELS, type IssueKind } from '../../domain/population-checks.js';
import { canCompleteCa, canWaiveCa } from '../../domain/roles.js';
import { caCompletionProblems, caState, tieOutFails } from '../../domain/completeness-accuracy.js';
import { engagementOf } from '../../core/engagement/access.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { FieldErrors } from '../../core/http/forms.js';
import type { ConflictView } from '../../core/http/conflict.js';
import { versionOf } from '../../core/http/versions.js';
import { currentUser } from '../../core/auth/current-user.js';
import { userNames } from '../../core/auth/user-names.js';
import { issuesCsv } from './issues-csv.js';
import { caForm, caNotNeededForm, replaceForm, versionedForm } from './forms.js';
import type { ImportJobs } from './import-job.js';
import { livePopulationInPath, populationInPath } from './loaders.js';
import {
  activeSampleOfPopulation,
  caOf,
  findControl,
  firstItems,
  issueCounts,
  issueRows,
  type PopulationRow,
} from './queries.js';
import { completeCa, markCaNotNeeded, saveCa } from './ca-service.js';
import { isPeriodic, replacePopulation } from './service.js';
import { caFactsOf } from './ca-state.js';
import { calendarNote, regenerationNeeded } from './occurrence-basis.js';
import { tieOut } from './tie-out.js';
import { caConflict } from './ca-conflict.js';

export async function populationPageRoutes(app: FastifyInstance, opts: { jobs: ImportJobs }): Promise<void> {
  const { conn } = app;
  const { db } = conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  /** `caRefusal`: the version refused C&A input was based on, or what someone else stored meanwhile. */
  const renderPopulation = async (
    req: FastifyRequest,
    reply: FastifyReply,
    population: PopulationRow,
    errors: FieldErrors = {},
    caInput?: Record<string, unknown>,
    caRefusal: { version?: number; conflict?: ConflictView } = {},
  ) => {
    const ca = caOf(db, population.id);
    const facts = caFactsOf(db, population);
    const control = findControl(db, population.engagementId, population.controlId);
    const { engagement, membership } = engagementOf(req);
    const periodic = population.kind === 'periodic' && control && isPeriodic(control.frequency);
    return reply.page('populations/show', {
      title: `Population — ${population.label}`,
      population,
      control,
      calendar: periodic
        ? calendarNote(db, engagement, control, { start: population.windowStart, end: population.windowEnd })
        : null,
      regeneration: control ? regenerationNeeded(db, engagement, control, population) : null,
      issues: issueRows(db, population.id, 100),
      issueCounts: issueCounts(db, population.id) as Partial<Record<IssueKind, number>>,
      issueLabels: ISSUE_LABELS,
      items: firstItems(db, population.id, 25),
      total: formatAmount(BigInt(population.amountTotal)),
      ca,
      caValues: caInput ?? ca ?? {},
      caVersion: caRefusal.version ?? ca?.version ?? 0,
      conflict: caRefusal.conflict ?? null,
      ties: ca ? tieOut(population, ca) : null,
      caState: caState(facts),
      caMissing: caCompletionProblems(facts.record, facts.ties),
      tieOutFails: tieOutFails(facts.ties),
      caNames: userNames(db, [ca?.completedBy ?? null, ca?.notNeededBy ?? null]),
      sample: activeSampleOfPopulation(db, population.id) ?? null,
      canCompleteCa: canCompleteCa(membership.role),
      canWaiveCa: canWaiveCa(membership.role),
      errors,
    });
  };

  /** Someone saved the C&A record after the form was opened (409): what is stored now, to decide again. */
  const renderCaConflict = (req: FastifyRequest, reply: FastifyReply, population: PopulationRow, input?: object) =>
    renderPopulation(req, reply.code(409), population, {}, input as Record<string, unknown> | undefined, {
      conflict: caConflict(db, population.engagementId, population.id),
    });

  /** A C&A decision: done, refused beside the C&A section (422), or based on an older record (409). */
  const decideCa = (
    req: FastifyRequest,
    reply: FastifyReply,
    population: PopulationRow,
    write: () => void,
    done: string,
  ) =>
    actOrRerender(req, reply, {
      action: write,
      done,
      back: `${base(req)}/populations/${population.id}#ca`,
      field: 'ca',
      rerender: (errors) => renderPopulation(req, reply.code(422), population, errors),
      onStale: () => renderCaConflict(req, reply, population),
    });

  const routes = typed(app);
  const ofPopulation = { params: pathIds('populationId') };
  const loaded = { schema: ofPopulation, preHandler: populationInPath.preHandler };
  const live = <T>(form: z.ZodType<T>) => ({
    schema: { ...ofPopulation, body: formOf(form) },
    preHandler: livePopulationInPath.preHandler,
  });

  routes.get('/populations/:populationId', loaded, async (req, reply) => {
    const population = populationInPath.of(req);
    if (opts.jobs.isRunning(population.id))
      return reply.redirect(`${base(req)}/populations/${population.id}/progress`, 303);
    return renderPopulation(req, reply, population);
  });

  routes.get('/populations/:populationId/issues.csv', loaded, async (req, reply) => {
    const population = populationInPath.of(req);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="population-${population.id}-issues.csv"`)
      .send(issuesCsv(conn.sqlite, population.id));
  });

  routes.post('/populations/:populationId/ca', live(caForm), async (req, reply) => {
    const population = livePopulationInPath.of(req);
    const parsed = req.body;
    const basedOn = versionOf(parsed.input);
    if (!parsed.ok)
      return renderPopulation(req, reply.code(422), population, parsed.errors, parsed.input, { version: basedOn });
    return actOrRerender(req, reply, {
      action: () => saveCa(db, currentUser(req), population, parsed.value, basedOn),
      done: 'Completeness and accuracy evidence saved.',
      back: `${base(req)}/populations/${population.id}#ca`,
      rerender: (errors, input) => renderPopulation(req, reply, population, errors, input),
      onStale: () => renderCaConflict(req, reply, population, parsed.input),
    });
  });

  routes.post('/populations/:populationId/ca/complete', live(versionedForm), async (req, reply) => {
    const population = livePopulationInPath.of(req);
    const basedOn = versionOf(req.body.input);
    const write = () => completeCa(db, currentUser(req), population, basedOn);
    return decideCa(req, reply, population, write, 'Completeness and accuracy marked complete.');
  });

  routes.post('/populations/:populationId/ca/not-needed', live(caNotNeededForm), async (req, reply) => {
    const population = livePopulationInPath.of(req);
    const parsed = req.body;
    const basedOn = versionOf(parsed.input);
    if (!parsed.ok) {
      const errors = { notNeededReason: parsed.errors.reason ?? 'Give the reason.' };
      return renderPopulation(req, reply.code(422), population, errors, undefined, { version: basedOn });
    }
    const write = () => markCaNotNeeded(db, currentUser(req), population, parsed.value.reason, basedOn);
    return decideCa(
      req,
      reply,
      population,
      write,
      'Completeness and accuracy marked not needed; the reason is recorded and shown on the workpaper.',
    );
  });

  routes.post('/populations/:populationId/replace', live(replaceForm), async (req, reply) => {
    const population = livePopulationInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok) return renderPopulation(req, reply.code(422), population, parsed.errors);
    const { reason } = parsed.value;
    return actOrRerender(req, reply, {
      action: () => replacePopulation(db, currentUser(req), population, reason),
      done: 'Population replaced; its selection was discarded and both stay in the history.',
      back: `${base(req)}/controls/${population.controlId}/population`,
      rerender: (errors) => renderPopulation(req, reply, population, errors),
    });
  });
}
