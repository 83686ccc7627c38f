import { actOrRerender } from '../../core/http/actions.js';
import { randomInt } from 'node:crypto';
import { formOf, pathIds, queryOf, typed } from '../../core/http/contract.js';
import { plural } from '../../domain/plural.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DateRange } from '../../domain/types.js';
import { canApproveLargeSample } from '../../domain/sample-approval.js';
import { engagementOf } from '../../core/engagement/access.js';
import {
  configuredMethodology,
  engagementMethodology,
  firmMethodologyOf,
  type Methodology,
} from '../methodology/index.js';
import { pageOf } from '../../core/http/paging.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { pageQuery, queryValues } from '../../core/http/query.js';
import {
  caGate,
  type ControlRow,
  controlInPath,
  controlOfPopulation,
  findControl,
  findPopulation,
  populationInPath,
  itemsPerDate,
  livePopulations,
  type PopulationRow,
  timelineSvg,
} from '../populations/index.js';
import { userNames } from '../../core/auth/user-names.js';
import { approveSample, declineSample } from './approval.js';
import { calculate } from './calculator.js';
import { calculatorForm, declineForm, selectionForm, sizingForm, type SizingFormValue } from './forms.js';
import { sampleInPath } from './loaders.js';
import { openSampleOf, sampleItemsPage, sampleSummary, samplesOfControl, type SampleRow } from './queries.js';
import { createSample, type SizePolicy } from './service.js';
import { verifySample } from './verify.js';

/** Items of a sample listed on one page of it. */
export const SAMPLE_PAGE_SIZE = 100;
import { proposeSize, type SizingInput } from './sizing.js';
import { currentUser } from '../../core/auth/current-user.js';

const isPicked = (method: string) => method === 'haphazard' || method === 'judgmental';

/** The flash of a selection that waits for a manager's approval before it is drawn. */
const awaitingApproval = (sample: SampleRow) =>
  `The population is frozen. The sample of ${plural(sample.plannedSize, 'item')} is ${(sample.approvalGrounds ?? '').replace(/^./, (c) => c.toLowerCase())}: it is drawn once a manager or the engagement partner approves it.`;

export function sizingInput(v: SizingFormValue): SizingInput {
  if (v.sizing === 'table') return { sizing: 'table' };
  return {
    sizing: 'statistical',
    confidence: v.confidence === '90' ? 0.9 : 0.95,
    tolerableRate: v.tolerableRate! / 100,
    expectedRate: (v.expectedRate ?? 0) / 100,
  };
}

function proposalFor(control: ControlRow, population: PopulationRow, v: SizingFormValue, rules: Methodology) {
  return proposeSize(
    {
      frequency: control.frequency,
      nature: control.nature,
      risk: control.risk,
      populationSize: population.sampleableCount,
      window: { start: population.windowStart, end: population.windowEnd },
      rules,
    },
    sizingInput(v),
  );
}

/** The sizing fields as typed, for redisplay when they do not parse yet. */
function sizingFieldsOf(raw: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    sizing: raw.sizing === 'statistical' ? 'statistical' : 'table',
    confidence: raw.confidence === '90' ? '90' : '95',
    tolerableRate: str(raw.tolerableRate),
    expectedRate: str(raw.expectedRate),
  } as const;
}

export async function samplingRoutes(app: FastifyInstance): Promise<void> {
  const { conn } = app;
  const { db } = conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;
  // The engagement's copy of the firm's methodology: its table, pro rata and large-sample limit.
  const rulesOf = (req: FastifyRequest): Methodology => engagementMethodology(engagementOf(req).engagement).settings;
  const policyOf = (req: FastifyRequest): SizePolicy => ({
    limit: rulesOf(req).largeSampleItems,
    role: engagementOf(req).membership.role,
  });

  const renderSampling = async (
    req: FastifyRequest,
    reply: FastifyReply,
    control: ControlRow,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
    forPopulation?: number,
  ) => {
    const raw = { ...queryValues(req.query), ...input };
    const sizing = parseForm(sizingForm, raw);
    // Statistics chosen but not yet complete (no tolerable rate): the fields stay, with what was typed, and no size
    // is proposed until they are complete, rather than falling back to the table.
    const shown = sizing.ok ? sizing.value : sizingFieldsOf(raw);
    const proposalOf = (population: PopulationRow) =>
      sizing.ok
        ? proposalFor(control, population, sizing.value, rulesOf(req))
        : { size: null, rationale: Object.values(sizing.errors)[0] ?? 'Complete the statistical sizing.' };
    const windows = livePopulations(db, control.id)
      .filter((p) => p.status !== 'importing')
      .map((population) => ({
        population,
        sample: openSampleOf(db, population.id) ?? null,
        proposal: proposalOf(population),
        caProblem: caGate(db, population),
      }));
    return reply.page('sampling/control', {
      title: `Sampling — ${control.reference}`,
      control,
      largeSampleItems: rulesOf(req).largeSampleItems,
      windows,
      history: samplesOfControl(db, control.id).filter((s) => s.status === 'discarded'),
      values: { method: 'random', seed: String(randomInt(1, 2 ** 31)), spreadBy: 'quarter', ...shown, ...input },
      forPopulation: forPopulation ?? null,
      errors: sizing.ok ? errors : { ...sizing.errors, ...errors },
    });
  };

  const routes = typed(app);
  routes.get(
    '/controls/:controlId/sampling',
    { schema: { params: pathIds('controlId') }, preHandler: controlInPath.preHandler },
    async (req, reply) => renderSampling(req, reply, controlInPath.of(req)),
  );

  const createOptions = {
    schema: { params: pathIds('populationId'), body: formOf(selectionForm) },
    preHandler: [populationInPath.preHandler, controlOfPopulation.preHandler],
  };
  routes.post('/populations/:populationId/samples', createOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const population = populationInPath.of(req);
    const control = controlOfPopulation.of(req);
    const parsed = req.body;
    if (!parsed.ok) return renderSampling(req, reply.code(422), control, parsed.errors, parsed.input, population.id);
    const v = parsed.value;
    const proposal = proposalFor(control, population, v, rulesOf(req));
    const size = v.overrideSize ?? proposal.size;
    if (size === null)
      return renderSampling(
        req,
        reply.code(422),
        control,
        { tolerableRate: proposal.rationale },
        parsed.input,
        population.id,
      );
    return actOrRerender(req, reply, {
      action: () =>
        createSample(
          conn,
          currentUser(req),
          engagement.id,
          population.id,
          {
            method: v.method,
            seed: v.seed,
            size,
            sizing: v.sizing,
            confidence: v.confidence === '90' ? 0.9 : 0.95,
            tolerableRate: v.sizing === 'statistical' ? v.tolerableRate! / 100 : null,
            expectedRate: v.sizing === 'statistical' ? (v.expectedRate ?? 0) / 100 : null,
            sizeRationale:
              v.overrideSize === null ? proposal.rationale : `${proposal.rationale} Overridden to ${size}.`,
            proposedSize: proposal.size,
            // Picked items have no size to override, but fewer than proposed need the same reason.
            overrideReason: v.overrideSize === null && !isPicked(v.method) ? null : v.overrideReason,
            pickedKeys: v.pickedKeys,
            selectionReason: v.selectionReason,
            spreadBy: v.spreadBy,
            interimEnd: v.interimEnd,
          },
          policyOf(req),
        ),
      done: (sample) => (sample.status === 'pending' ? awaitingApproval(sample) : undefined),
      back: (sample) => `${base(req)}/samples/${sample.id}`,
      field: '_form',
      rerender: (errors, input) => renderSampling(req, reply.code(422), control, errors, input, population.id),
    });
  });

  /** The sample page lists its items a page at a time; the timeline and the figures cover all of them. */
  const renderSample = async (
    req: FastifyRequest,
    reply: FastifyReply,
    sample: SampleRow,
    extra: Record<string, unknown> = {},
    pageAsked?: string,
  ) => {
    const population = findPopulation(db, sample.engagementId, sample.populationId)!;
    const summary = sampleSummary(conn.sqlite, sample.id);
    const page = pageOf(pageAsked, summary.count, SAMPLE_PAGE_SIZE);
    const window: DateRange = { start: population.windowStart, end: population.windowEnd };
    const { membership } = engagementOf(req);
    return reply.page('sampling/sample', {
      title: `Sample — ${population.label}`,
      sample,
      population,
      control: findControl(db, sample.engagementId, sample.controlId),
      items: sampleItemsPage(db, sample.id, page.offset, page.size),
      itemCount: summary.count,
      hasAmounts: summary.withAmount > 0,
      page,
      largeSampleItems: rulesOf(req).largeSampleItems,
      canApprove: canApproveLargeSample(membership.role),
      names: userNames(db, [sample.createdBy, sample.approvedBy]),
      timeline: timelineSvg({
        period: window,
        itemsPerDate: itemsPerDate(conn.sqlite, population.id),
        selectedDates: summary.dates,
      }),
      verification: null,
      errors: {},
      ...extra,
    });
  };

  const ofSample = { schema: { params: pathIds('sampleId') }, preHandler: sampleInPath.preHandler };

  routes.get(
    '/samples/:sampleId',
    { ...ofSample, schema: { ...ofSample.schema, querystring: queryOf(pageQuery, { firstOfRepeated: true }) } },
    async (req, reply) => renderSample(req, reply, sampleInPath.of(req), {}, req.query.page),
  );

  routes.post('/samples/:sampleId/verify', ofSample, async (req, reply) => {
    const sample = sampleInPath.of(req);
    const verification = await verifySample(conn, sample);
    if (req.headers['hx-request'] === 'true') return reply.page('sampling/verification', { verification });
    return renderSample(req, reply, sample, { verification });
  });

  routes.post('/samples/:sampleId/approve', ofSample, async (req, reply) => {
    const sample = sampleInPath.of(req);
    return actOrRerender(req, reply, {
      action: () => approveSample(conn, currentUser(req), sample),
      done: `Sample of ${plural(sample.plannedSize, 'item')} approved and drawn.`,
      back: `${base(req)}/samples/${sample.id}`,
      field: 'decision',
      rerender: (errors) => renderSample(req, reply.code(409), sample, { errors }),
    });
  });

  const declineOptions = { ...ofSample, schema: { ...ofSample.schema, body: formOf(declineForm) } };
  routes.post('/samples/:sampleId/decline', declineOptions, async (req, reply) => {
    const sample = sampleInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok)
      return renderSample(req, reply.code(422), sample, {
        errors: { reason: parsed.errors.reason ?? 'Give the reason.' },
      });
    const { reason } = parsed.value;
    return actOrRerender(req, reply, {
      action: () => declineSample(conn, currentUser(req), sample, reason),
      done: 'Selection declined; the population can be sampled again.',
      back: `${base(req)}/controls/${sample.controlId}/sampling`,
      field: 'decision',
      rerender: (errors) => renderSample(req, reply.code(409), sample, { errors }),
    });
  });

  app.get('/sampling-calculator', async (req, reply) => {
    const query = queryValues(req.query);
    const parsed = parseForm(calculatorForm, query);
    const result = parsed.ok
      ? calculate(parsed.value, firmMethodologyOf(db, configuredMethodology(app.config)).settings.maxDeviationsToExtend)
      : null;
    return reply.page('sampling/calculator', {
      title: 'Sampling calculator',
      values: query,
      result,
      errors: parsed.ok ? {} : parsed.errors,
    });
  });
}
