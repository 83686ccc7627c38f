import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extendedSampleSize } from '../../domain/evaluation.js';
import { statisticalSampleSize, upperDeviationLimit } from '../../domain/sample-size.js';
import type { DateRange } from '../../domain/types.js';
import { engagementOf } from '../engagements/access.js';
import { parseForm, type FieldErrors } from '../shared/forms.js';
import { queryValues } from '../shared/query.js';
import { itemsPerDate } from '../populations/frame.js';
import { findControl, findPopulation, livePopulations, type ControlRow, type PopulationRow } from '../populations/queries.js';
import { PopulationRuleError } from '../populations/service.js';
import { timelineSvg } from '../populations/timeline-svg.js';
import { calculatorForm, extendForm, selectionForm, sizingForm, type SizingFormValue } from './forms.js';
import { activeSampleOf, findSample, itemsOfSample, samplesOfControl, type SampleRow } from './queries.js';
import { createSample, extendSample, verifySample } from './service.js';
import { proposeSize, type SizingInput } from './sizing.js';

const idOf = (v: string | undefined) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : NaN);

export function sizingInput(v: SizingFormValue): SizingInput {
  if (v.sizing === 'table') return { sizing: 'table' };
  return { sizing: 'statistical', confidence: v.confidence === '90' ? 0.9 : 0.95, tolerableRate: v.tolerableRate! / 100, expectedRate: (v.expectedRate ?? 0) / 100 };
}

function proposalFor(control: ControlRow, population: PopulationRow, v: SizingFormValue) {
  return proposeSize({ frequency: control.frequency, nature: control.nature, risk: control.risk, populationSize: population.sampleableCount, window: { start: population.windowStart, end: population.windowEnd } }, sizingInput(v));
}

export async function samplingRoutes(app: FastifyInstance): Promise<void> {
  const { conn } = app;
  const { db } = conn;
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  const renderSampling = async (req: FastifyRequest, reply: FastifyReply, control: ControlRow, errors: FieldErrors = {}, input: Record<string, unknown> = {}, forPopulation?: number) => {
    const sizing = parseForm(sizingForm, { ...queryValues(req.query), ...input });
    const sizingValue = sizing.ok ? sizing.value : sizingForm.parse({});
    const windows = livePopulations(db, control.id)
      .filter((p) => p.status !== 'importing')
      .map((population) => ({ population, sample: activeSampleOf(db, population.id) ?? null, proposal: proposalFor(control, population, sizingValue) }));
    return reply.page('sampling/control', {
      title: `Sampling — ${control.reference}`,
      control,
      windows,
      history: samplesOfControl(db, control.id).filter((s) => s.status === 'discarded'),
      values: { method: 'random', seed: String(randomInt(1, 2 ** 31)), spreadBy: 'quarter', ...sizingValue, ...input },
      forPopulation: forPopulation ?? null,
      errors: sizing.ok ? errors : { ...sizing.errors, ...errors },
    });
  };

  app.get<{ Params: { controlId: string } }>('/controls/:controlId/sampling', async (req, reply) => {
    const control = findControl(db, engagementOf(req).engagement.id, idOf(req.params.controlId));
    if (!control) return reply.callNotFound();
    return renderSampling(req, reply, control);
  });

  app.post<{ Params: { populationId: string } }>('/populations/:populationId/samples', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const population = findPopulation(db, engagement.id, idOf(req.params.populationId));
    const control = population && findControl(db, engagement.id, population.controlId);
    if (!population || !control) return reply.callNotFound();
    const parsed = parseForm(selectionForm, req.body);
    if (!parsed.ok) return renderSampling(req, reply.code(422), control, parsed.errors, parsed.input, population.id);
    const v = parsed.value;
    const proposal = proposalFor(control, population, v);
    const size = v.overrideSize ?? proposal.size;
    if (size === null) return renderSampling(req, reply.code(422), control, { tolerableRate: proposal.rationale }, req.body as Record<string, unknown>, population.id);
    try {
      const sample = createSample(conn, req.user!, engagement.id, population.id, {
        method: v.method,
        seed: v.seed,
        size,
        sizing: v.sizing,
        confidence: v.confidence === '90' ? 0.9 : 0.95,
        tolerableRate: v.sizing === 'statistical' ? v.tolerableRate! / 100 : null,
        expectedRate: v.sizing === 'statistical' ? (v.expectedRate ?? 0) / 100 : null,
        sizeRationale: v.overrideSize === null ? proposal.rationale : `${proposal.rationale} Overridden to ${size}.`,
        overrideReason: v.overrideSize === null ? null : v.overrideReason,
        pickedKeys: v.pickedKeys,
        selectionReason: v.selectionReason,
        spreadBy: v.spreadBy,
        interimEnd: v.interimEnd,
      });
      return reply.redirect(`${base(req)}/samples/${sample.id}`, 303);
    } catch (err) {
      if (err instanceof PopulationRuleError) return renderSampling(req, reply.code(422), control, { _form: err.message }, req.body as Record<string, unknown>, population.id);
      throw err;
    }
  });

  const renderSample = async (req: FastifyRequest, reply: FastifyReply, sample: SampleRow, extra: Record<string, unknown> = {}) => {
    const population = findPopulation(db, sample.engagementId, sample.populationId)!;
    const items = itemsOfSample(db, sample.id);
    const window: DateRange = { start: population.windowStart, end: population.windowEnd };
    return reply.page('sampling/sample', {
      title: `Sample — ${population.label}`,
      sample,
      population,
      control: findControl(db, sample.engagementId, sample.controlId),
      items,
      timeline: timelineSvg({ period: window, itemsPerDate: itemsPerDate(conn.sqlite, population.id), selectedDates: items.map((i) => i.itemDate).filter((d): d is string => d !== null) }),
      verification: null,
      errors: {},
      ...extra,
    });
  };

  const sampleFrom = (req: FastifyRequest) => findSample(db, engagementOf(req).engagement.id, idOf((req.params as { sampleId: string }).sampleId));

  app.get('/samples/:sampleId', async (req, reply) => {
    const sample = sampleFrom(req);
    return sample ? renderSample(req, reply, sample) : reply.callNotFound();
  });

  app.post('/samples/:sampleId/verify', async (req, reply) => {
    const sample = sampleFrom(req);
    if (!sample) return reply.callNotFound();
    const verification = verifySample(conn, sample);
    if (req.headers['hx-request'] === 'true') return reply.page('sampling/verification', { verification });
    return renderSample(req, reply, sample, { verification });
  });

  app.post('/samples/:sampleId/extend', async (req, reply) => {
    const sample = sampleFrom(req);
    if (!sample) return reply.callNotFound();
    const parsed = parseForm(extendForm, req.body);
    if (!parsed.ok) return renderSample(req, reply.code(422), sample, { errors: parsed.errors });
    try {
      const added = extendSample(conn, req.user!, sample, parsed.value.additional);
      req.session.flash = `${added} items added to the sample, continuing the same seeded sequence.`;
    } catch (err) {
      if (err instanceof PopulationRuleError) return renderSample(req, reply.code(422), sample, { errors: { additional: err.message } });
      throw err;
    }
    return reply.redirect(`${base(req)}/samples/${sample.id}`, 303);
  });

  app.get('/sampling-calculator', async (req, reply) => {
    const query = queryValues(req.query);
    const parsed = parseForm(calculatorForm, query);
    const values = parsed.ok ? parsed.value : null;
    const confidence = values?.confidence === '90' ? 0.9 : 0.95;
    const result = values && {
      size: values.tolerableRate !== null && (values.expectedRate ?? 0) < values.tolerableRate ? statisticalSampleSize({ confidence, tolerableRate: values.tolerableRate / 100, expectedRate: (values.expectedRate ?? 0) / 100 }) : undefined,
      upperLimit: values.sampleSize !== null && values.deviations <= values.sampleSize ? upperDeviationLimit({ confidence, sampleSize: values.sampleSize, deviations: values.deviations }) : undefined,
      extended: values.sampleSize !== null && values.deviations > 0 ? safeExtension(confidence, values.sampleSize, values.deviations) : undefined,
    };
    return reply.page('sampling/calculator', { title: 'Sampling calculator', values: query, result, errors: parsed.ok ? {} : parsed.errors });
  });
}

function safeExtension(confidence: number, plannedSize: number, deviations: number): number | null {
  try {
    return extendedSampleSize({ confidence, plannedSize, deviations });
  } catch {
    return null;
  }
}
