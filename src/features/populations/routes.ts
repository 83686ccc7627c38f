import path from 'node:path';
import multipart from '@fastify/multipart';
import { rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATE_FORMAT_LABELS, itemDatingProblem } from '../../domain/population-checks.js';
import { canImportPopulation } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { assertHeaderNames, ROW_LIMITS } from '../../core/files/row-limits.js';
import { checkSpreadsheet } from '../../core/files/spreadsheet-kind.js';
import { assertCsvShape, firstRows, UnreadableFileError } from '../../core/files/spreadsheet-rows.js';
import { receiveUpload, type ReceivedUpload } from '../../core/http/uploads.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { currentUser } from '../../core/auth/current-user.js';
import type { ControlRow } from './queries.js';
import { storeSourceFile } from './source-file.js';
import { guessColumns, guessDateFormat } from './column-guess.js';
import { mappingForm } from './forms.js';
import type { ImportJobs } from './import-job.js';
import { controlInPath, mappablePopulationInPath, populationInPath } from './loaders.js';
import { mappingPreview } from './mapping-preview.js';
import { populationPageRoutes } from './page-routes.js';
import { findControl, livePopulations, populationsOfControl, type PopulationRow } from './queries.js';
import { controlWindows, createUploadedPopulation, generatePeriodicPopulations, isPeriodic } from './service.js';
import { calendarNote, regenerationNeeded } from './occurrence-basis.js';

export async function populationRoutes(app: FastifyInstance, opts: { jobs: ImportJobs }): Promise<void> {
  const { conn } = app;
  const { db } = conn;
  const { jobs } = opts;
  const uploadDir = path.join(app.config.dataDir, 'uploads');
  const storage = EvidenceStorage.under(app.config.dataDir);
  await app.register(multipart, {
    limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
  });

  await app.register(populationPageRoutes, { jobs });
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  const renderControl = async (
    req: FastifyRequest,
    reply: FastifyReply,
    control: ControlRow,
    error: string | null = null,
  ) => {
    const { engagement } = engagementOf(req);
    const live = livePopulations(db, control.id);
    return reply.page('populations/control', {
      title: `Population — ${control.reference}`,
      control,
      windows: controlWindows(engagement, control).map((w, index) => {
        const population = live.find((p) => p.windowStart === w.window.start) ?? null;
        const calendar = isPeriodic(control.frequency) ? calendarNote(db, engagement, control, w.window) : null;
        return {
          ...w,
          index,
          population,
          calendar,
          regeneration: population ? regenerationNeeded(db, engagement, control, population) : null,
        };
      }),
      history: populationsOfControl(db, control.id).filter((p) => p.status === 'replaced'),
      periodic: isPeriodic(control.frequency),
      canImport: canImportPopulation(engagementOf(req).membership.role),
      limits: ROW_LIMITS,
      error,
    });
  };

  const routes = typed(app);
  const ofControl = { schema: { params: pathIds('controlId') }, preHandler: controlInPath.preHandler };
  /** A refusal on the control's population page (422), the first message shown above the windows. */
  const refuseOnControl = (req: FastifyRequest, reply: FastifyReply, control: ControlRow) => (errors: FieldErrors) =>
    renderControl(req, reply.code(422), control, Object.values(errors)[0] ?? null);

  routes.get('/controls/:controlId/population', ofControl, async (req, reply) =>
    renderControl(req, reply, controlInPath.of(req)),
  );

  routes.post('/controls/:controlId/populations/generate', ofControl, async (req, reply) => {
    const control = controlInPath.of(req);
    return actOrRerender(req, reply, {
      action: () => generatePeriodicPopulations(conn, currentUser(req), engagementOf(req).engagement, control),
      done: 'Occurrences generated.',
      back: `${base(req)}/controls/${control.id}/population`,
      rerender: refuseOnControl(req, reply, control),
    });
  });

  /** Reads the upload's header and creates the draft population; a refused file is removed again. */
  const createFromUpload = async (req: FastifyRequest, control: ControlRow) => {
    let upload: ReceivedUpload | undefined;
    try {
      upload = await receiveUpload(req, uploadDir, app.config.maxUploadBytes);
      const sheet = await checkSpreadsheet(upload.file);
      if (sheet.kind === 'csv') await assertCsvShape(upload.file, sheet.delimiter);
      const header = (await firstRows(upload.file, sheet, 1))[0];
      if (!header) throw new UnreadableFileError('The file has no rows.');
      assertHeaderNames(header);
      const source = await storeSourceFile(storage, upload.file);
      return createUploadedPopulation(db, currentUser(req), engagementOf(req).engagement, control, {
        file: upload.file,
        kind: sheet.kind,
        sourceFile: upload.originalName,
        source,
        columns: header.map((h, i) => h.trim() || `Column ${i + 1}`),
        windowIndex: Number(upload.fields.window ?? '0'),
      });
    } catch (err) {
      if (upload) rmSync(upload.file, { force: true });
      throw err;
    }
  };

  // A multipart upload: no body schema (fastify does not parse it), the file is streamed in by the action.
  routes.post('/controls/:controlId/populations/upload', ofControl, async (req, reply) => {
    const control = controlInPath.of(req);
    return actOrRerender(req, reply, {
      action: () => createFromUpload(req, control),
      answer: (population) => reply.redirect(`${base(req)}/populations/${population.id}/mapping`, 303),
      rerender: refuseOnControl(req, reply, control),
    });
  });

  const renderMapping = async (
    _req: FastifyRequest,
    reply: FastifyReply,
    population: PopulationRow,
    errors: FieldErrors = {},
    input?: Record<string, unknown>,
  ) => {
    const read = await mappingPreview(population);
    if (read.error) errors = { _form: read.error, ...errors };
    const preview = read.rows;
    const guess = guessColumns(preview[0] ?? []);
    const dateColumn = input?.date !== undefined ? Number(input.date) : guess.date;
    const defaults = population.mapping ?? {
      header: true,
      ...guess,
      dateFormat: guessDateFormat(preview.slice(1).map((r) => (dateColumn === null ? '' : (r[dateColumn] ?? '')))),
    };
    return reply.page('populations/mapping', {
      title: 'Map the columns',
      population,
      control: findControl(db, population.engagementId, population.controlId),
      // A file that no longer reads (an upload from before the limits, say) offers nothing to map.
      columns: read.error ? [] : (population.columns ?? []),
      preview,
      values: input ?? { ...defaults, header: defaults.header ? 'on' : '' },
      dateFormats: DATE_FORMAT_LABELS,
      errors,
    });
  };

  const mappable = { params: pathIds('populationId') };
  routes.get(
    '/populations/:populationId/mapping',
    { schema: mappable, preHandler: mappablePopulationInPath.preHandler },
    async (req, reply) => {
      const population = mappablePopulationInPath.of(req);
      if (population.status === 'frozen') return reply.redirect(`${base(req)}/populations/${population.id}`, 303);
      return renderMapping(req, reply, population);
    },
  );

  const mapOptions = {
    schema: { ...mappable, body: formOf(mappingForm) },
    preHandler: mappablePopulationInPath.preHandler,
  };
  routes.post('/populations/:populationId/mapping', mapOptions, async (req, reply) => {
    const population = mappablePopulationInPath.of(req);
    if (population.status !== 'draft' || jobs.isRunning(population.id))
      return renderMapping(req, reply.code(409), population, {
        _form: 'This population is frozen or already being imported.',
      });
    const parsed = req.body;
    if (!parsed.ok) return renderMapping(req, reply.code(422), population, parsed.errors, parsed.input);
    const m = parsed.value;
    const control = findControl(db, population.engagementId, population.controlId);
    const window = { start: population.windowStart, end: population.windowEnd };
    const dating = itemDatingProblem({
      dateColumn: m.date,
      asAt: m.asAt,
      automated: control?.nature === 'automated',
      window,
    });
    if (dating)
      return renderMapping(req, reply.code(422), population, { [dating.field]: dating.message }, parsed.input);
    const job = jobs.start(conn, {
      populationId: population.id,
      engagementId: population.engagementId,
      userId: currentUser(req).id,
      file: population.uploadPath,
      kind: population.uploadKind as 'csv' | 'xlsx',
      mapping: {
        header: m.header,
        key: m.key!,
        date: m.date,
        ...(m.asAt ? { asAt: m.asAt } : {}),
        description: m.description,
        amount: m.amount,
        dateFormat: m.dateFormat,
      },
      window,
      description: `the import of ${population.sourceFile ?? 'an uploaded file'} for ${control?.reference ?? 'a control'}`,
    });
    job.catch((err) => req.log.error({ err }, 'population import failed'));
    // Small files finish at once; large ones show progress.
    const finished = await Promise.race([
      job.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1500)),
    ]);
    return reply.redirect(`${base(req)}/populations/${population.id}${finished ? '' : '/progress'}`, 303);
  });

  const progressOptions = { schema: mappable, preHandler: populationInPath.preHandler };
  routes.get('/populations/:populationId/progress', progressOptions, async (req, reply) => {
    const population = populationInPath.of(req);
    const progress = jobs.get(population.id);
    const target = `${base(req)}/populations/${population.id}`;
    if (!progress || progress.done) {
      if (req.headers['hx-request'] === 'true') return reply.header('HX-Redirect', target).code(204).send();
      return reply.redirect(target, 303);
    }
    return reply.page('populations/progress', { title: 'Importing…', population, progress, refreshSeconds: 2 });
  });
}
