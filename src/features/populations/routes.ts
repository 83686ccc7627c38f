import { RuleError } from '../../core/errors.js';
import path from 'node:path';
import { idParam } from '../../core/http/params.js';
import multipart from '@fastify/multipart';
import { rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DATE_FORMAT_LABELS,
  formatAmount,
  ISSUE_LABELS,
  itemDatingProblem,
  type IssueKind,
} from '../../domain/population-checks.js';
import { canCompleteCa, canImportPopulation, canWaiveCa } from '../../domain/roles.js';
import { caCompletionProblems, caState, tieOutFails } from '../../domain/completeness-accuracy.js';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { assertHeaderNames, ROW_LIMITS } from '../../core/files/row-limits.js';
import { checkSpreadsheet } from '../../core/files/spreadsheet-kind.js';
import { assertCsvShape, firstRows, UnreadableFileError } from '../../core/files/spreadsheet-rows.js';
import { receiveUpload, type ReceivedUpload } from '../../core/http/uploads.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { storeSourceFile } from './source-file.js';
import { guessColumns, guessDateFormat } from './column-guess.js';
import { issuesCsv } from './issues-csv.js';
import { caForm, caNotNeededForm, mappingForm, replaceForm } from './forms.js';
import type { ImportJobs } from './import-job.js';
import {
  activeSampleOfPopulation,
  caOf,
  findControl,
  findPopulation,
  firstItems,
  issueCounts,
  issueRows,
  livePopulations,
  populationsOfControl,
  type PopulationRow,
} from './queries.js';
import {
  completeCa,
  controlWindows,
  createUploadedPopulation,
  generatePeriodicPopulations,
  isPeriodic,
  markCaNotNeeded,
  replacePopulation,
  saveCa,
} from './service.js';
import { caFactsOf } from './ca-state.js';
import { userNames } from '../../core/auth/user-names.js';
import { calendarNote, regenerationNeeded } from './occurrence-basis.js';
import { tieOut } from './tie-out.js';
import { caConflict } from './ca-conflict.js';
import type { ConflictView } from '../../core/http/conflict.js';
import { StaleVersionError, versionOf } from '../../core/http/versions.js';
import { currentUser } from '../../core/auth/current-user.js';

type IdParams = { controlId?: string; populationId?: string };
/** Characters of a cell shown in the mapping preview. */
const PREVIEW_CHARS = 120;

export async function populationRoutes(app: FastifyInstance, opts: { jobs: ImportJobs }): Promise<void> {
  const { conn } = app;
  const { db } = conn;
  const { jobs } = opts;
  const uploadDir = path.join(app.config.dataDir, 'uploads');
  const storage = EvidenceStorage.under(app.config.dataDir);
  await app.register(multipart, {
    limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
  });

  const controlFrom = (req: FastifyRequest) =>
    findControl(db, engagementOf(req).engagement.id, idParam((req.params as IdParams).controlId));
  const populationFrom = (req: FastifyRequest) =>
    findPopulation(db, engagementOf(req).engagement.id, idParam((req.params as IdParams).populationId));
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  const renderControl = async (req: FastifyRequest, reply: FastifyReply, error: string | null = null) => {
    const { engagement } = engagementOf(req);
    const control = controlFrom(req);
    if (!control) return reply.callNotFound();
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

  app.get('/controls/:controlId/population', async (req, reply) => renderControl(req, reply));

  app.post('/controls/:controlId/populations/generate', async (req, reply) => {
    const control = controlFrom(req);
    if (!control) return reply.callNotFound();
    try {
      generatePeriodicPopulations(conn, currentUser(req), engagementOf(req).engagement, control);
    } catch (err) {
      if (err instanceof RuleError) return renderControl(req, reply.code(422), err.message);
      throw err;
    }
    req.session.flash = 'Occurrences generated.';
    return reply.redirect(`${base(req)}/controls/${control.id}/population`, 303);
  });

  app.post('/controls/:controlId/populations/upload', async (req, reply) => {
    const control = controlFrom(req);
    if (!control) return reply.callNotFound();
    let upload: ReceivedUpload | undefined;
    try {
      upload = await receiveUpload(req, uploadDir, app.config.maxUploadBytes);
      const sheet = await checkSpreadsheet(upload.file);
      if (sheet.kind === 'csv') await assertCsvShape(upload.file, sheet.delimiter);
      const header = (await firstRows(upload.file, sheet, 1))[0];
      if (!header) throw new UnreadableFileError('The file has no rows.');
      assertHeaderNames(header);
      const source = await storeSourceFile(storage, upload.file);
      const population = createUploadedPopulation(db, currentUser(req), engagementOf(req).engagement, control, {
        file: upload.file,
        kind: sheet.kind,
        sourceFile: upload.originalName,
        source,
        columns: header.map((h, i) => h.trim() || `Column ${i + 1}`),
        windowIndex: Number(upload.fields.window ?? '0'),
      });
      return reply.redirect(`${base(req)}/populations/${population.id}/mapping`, 303);
    } catch (err) {
      if (upload) rmSync(upload.file, { force: true });
      if (err instanceof RuleError) return renderControl(req, reply.code(422), err.message);
      throw err;
    }
  });

  /** The first rows, cut for display; a stored file that no longer reads (limits, damage) is said, not a 500. */
  const previewOf = async (population: PopulationRow): Promise<{ rows: string[][]; error: string | null }> => {
    if (!population.uploadPath) return { rows: [], error: null };
    try {
      const rows = await firstRows(population.uploadPath, population.uploadKind as 'csv' | 'xlsx', 11);
      return {
        rows: rows.map((row) =>
          row.map((cell) => (cell.length > PREVIEW_CHARS ? `${cell.slice(0, PREVIEW_CHARS)}…` : cell)),
        ),
        error: null,
      };
    } catch (err) {
      if (err instanceof UnreadableFileError)
        return { rows: [], error: `${err.message} Upload the file again once it is fixed.` };
      throw err;
    }
  };

  const renderMapping = async (
    _req: FastifyRequest,
    reply: FastifyReply,
    population: PopulationRow,
    errors: FieldErrors = {},
    input?: Record<string, unknown>,
  ) => {
    const read = await previewOf(population);
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

  app.get('/populations/:populationId/mapping', async (req, reply) => {
    const population = populationFrom(req);
    if (!population?.uploadPath || population.status === 'replaced') return reply.callNotFound();
    if (population.status === 'frozen') return reply.redirect(`${base(req)}/populations/${population.id}`, 303);
    return renderMapping(req, reply, population);
  });

  app.post('/populations/:populationId/mapping', async (req, reply) => {
    const population = populationFrom(req);
    if (!population?.uploadPath || population.status === 'replaced') return reply.callNotFound();
    if (population.status !== 'draft' || jobs.isRunning(population.id))
      return renderMapping(req, reply.code(409), population, {
        _form: 'This population is frozen or already being imported.',
      });
    const parsed = parseForm(mappingForm, req.body);
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
      return renderMapping(
        req,
        reply.code(422),
        population,
        { [dating.field]: dating.message },
        req.body as Record<string, unknown>,
      );
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

  app.get('/populations/:populationId/progress', async (req, reply) => {
    const population = populationFrom(req);
    if (!population) return reply.callNotFound();
    const progress = jobs.get(population.id);
    const target = `${base(req)}/populations/${population.id}`;
    if (!progress || progress.done) {
      if (req.headers['hx-request'] === 'true') return reply.header('HX-Redirect', target).code(204).send();
      return reply.redirect(target, 303);
    }
    return reply.page('populations/progress', { title: 'Importing…', population, progress, refreshSeconds: 2 });
  });

  app.get('/populations/:populationId', async (req, reply) => {
    const population = populationFrom(req);
    if (!population) return reply.callNotFound();
    if (jobs.isRunning(population.id)) return reply.redirect(`${base(req)}/populations/${population.id}/progress`, 303);
    return renderPopulation(req, reply, population);
  });

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
    const { engagement } = engagementOf(req);
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
      canCompleteCa: canCompleteCa(engagementOf(req).membership.role),
      canWaiveCa: canWaiveCa(engagementOf(req).membership.role),
      errors,
    });
  };

  app.get('/populations/:populationId/issues.csv', async (req, reply) => {
    const population = populationFrom(req);
    if (!population) return reply.callNotFound();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="population-${population.id}-issues.csv"`)
      .send(issuesCsv(conn.sqlite, population.id));
  });

  app.post('/populations/:populationId/ca', async (req, reply) => {
    const population = populationFrom(req);
    if (!population || population.status === 'replaced') return reply.callNotFound();
    const parsed = parseForm(caForm, req.body);
    const basedOn = versionOf(req.body);
    if (!parsed.ok)
      return renderPopulation(req, reply.code(422), population, parsed.errors, parsed.input, { version: basedOn });
    try {
      saveCa(db, currentUser(req), population, parsed.value, basedOn);
    } catch (err) {
      if (!(err instanceof StaleVersionError)) throw err;
      return renderPopulation(req, reply.code(409), population, {}, req.body as Record<string, unknown>, {
        conflict: caConflict(db, population.engagementId, population.id),
      });
    }
    req.session.flash = 'Completeness and accuracy evidence saved.';
    return reply.redirect(`${base(req)}/populations/${population.id}#ca`, 303);
  });

  app.post('/populations/:populationId/ca/complete', async (req, reply) => {
    const population = populationFrom(req);
    if (!population || population.status === 'replaced') return reply.callNotFound();
    try {
      completeCa(db, currentUser(req), population, versionOf(req.body));
    } catch (err) {
      if (err instanceof StaleVersionError)
        return renderPopulation(req, reply.code(409), population, {}, undefined, {
          conflict: caConflict(db, population.engagementId, population.id),
        });
      if (err instanceof RuleError) return renderPopulation(req, reply.code(422), population, { ca: err.message });
      throw err;
    }
    req.session.flash = 'Completeness and accuracy marked complete.';
    return reply.redirect(`${base(req)}/populations/${population.id}#ca`, 303);
  });

  app.post('/populations/:populationId/ca/not-needed', async (req, reply) => {
    const population = populationFrom(req);
    if (!population || population.status === 'replaced') return reply.callNotFound();
    const parsed = parseForm(caNotNeededForm, req.body);
    if (!parsed.ok)
      return renderPopulation(
        req,
        reply.code(422),
        population,
        { notNeededReason: parsed.errors.reason ?? 'Give the reason.' },
        undefined,
        { version: versionOf(req.body) },
      );
    try {
      markCaNotNeeded(db, currentUser(req), population, parsed.value.reason, versionOf(req.body));
    } catch (err) {
      if (err instanceof StaleVersionError)
        return renderPopulation(req, reply.code(409), population, {}, undefined, {
          conflict: caConflict(db, population.engagementId, population.id),
        });
      if (err instanceof RuleError) return renderPopulation(req, reply.code(422), population, { ca: err.message });
      throw err;
    }
    req.session.flash =
      'Completeness and accuracy marked not needed; the reason is recorded and shown on the workpaper.';
    return reply.redirect(`${base(req)}/populations/${population.id}#ca`, 303);
  });

  app.post('/populations/:populationId/replace', async (req, reply) => {
    const population = populationFrom(req);
    if (!population || population.status === 'replaced') return reply.callNotFound();
    const parsed = parseForm(replaceForm, req.body);
    if (!parsed.ok) return renderPopulation(req, reply.code(422), population, parsed.errors);
    replacePopulation(db, currentUser(req), population, parsed.value.reason);
    req.session.flash = 'Population replaced; its selection was discarded and both stay in the history.';
    return reply.redirect(`${base(req)}/controls/${population.controlId}/population`, 303);
  });
}
