import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Connection } from './db/connection.js';
import security from './plugins/security.js';
import { useRouteContracts } from './core/http/contract.js';
import views from './plugins/views.js';
import authentication from './plugins/authentication.js';
import errors from './plugins/errors.js';
import { authRoutes } from './features/auth/routes.js';
import type { Clock } from './features/auth/index.js';
import { adminRoutes } from './features/admin/routes.js';
import { engagementListRoutes, engagementRoutes } from './features/engagements/routes.js';
import { teamRoutes } from './features/engagements/team-routes.js';
import { populationRoutes } from './features/populations/routes.js';
import { holidayRoutes } from './features/holidays/routes.js';
import { samplingRoutes } from './features/sampling/routes.js';
import { abandonInterruptedImports, ImportJobs } from './features/populations/index.js';
import {
  loadEngagementForMember,
  refuseWritesByViewers,
  requireFirmRole,
  requireRouteRole,
} from './core/engagement/access.js';
import { routeRuleProblems } from './core/http/route-rules.js';
import { EngagementJobs } from './core/engagement/jobs.js';
import { controlRoutes } from './features/controls/routes.js';
import { controlSectionRoutes } from './features/controls/section-routes.js';
import { itgcRoutes } from './features/itgc/routes.js';
import { controlImportRoutes } from './features/control-import/routes.js';
import { objectiveRoutes } from './features/criteria/objective-routes.js';
import { complementaryRoutes } from './features/complementary-controls/routes.js';
import { coverageRoutes } from './features/coverage/routes.js';
import { tickmarkRoutes } from './features/tickmarks/routes.js';
import { testingRoutes } from './features/testing/routes.js';
import { itemRoutes } from './features/testing/item-routes.js';
import { conclusionRoutes } from './features/testing/conclusion-routes.js';
import { overrideRoutes } from './features/testing/override-routes.js';
import { anomalyRoutes } from './features/testing/anomaly-routes.js';
import { exceptionRegisterRoutes } from './features/testing/register-routes.js';
import { evidenceRoutes } from './features/evidence/routes.js';
import { reviewRoutes } from './features/review/routes.js';
import { opinionRoutes } from './features/opinion/routes.js';
import { assertionRoutes } from './features/assertion/routes.js';
import { dashboardRoutes } from './features/dashboard/routes.js';
import { auditTrailRoutes } from './features/audit-trail/routes.js';
import { reportRoutes } from './features/reports/routes.js';
import { pbcRoutes } from './features/pbc/routes.js';
import { rollForwardRoutes } from './features/roll-forward/routes.js';
import { refuseWritesWhenLocked } from './core/engagement/lock.js';
import { PdfRenderer } from './features/workpaper-export/index.js';
import { workpaperExportRoutes } from './features/workpaper-export/routes.js';
import { archiveRoutes } from './features/archive/routes.js';
import { archiveImportRoutes } from './features/archive/import-routes.js';
import { loadInstanceKey } from './core/signing/index.js';
import { checkpointFileFor, TrailAnchor } from './features/audit-trail/index.js';
import { startHousekeeping } from './features/housekeeping/index.js';
import { configuredMethodology, keepConfiguredPolicyOnUpgrade } from './features/methodology/index.js';

export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** An already open database (tests share one); otherwise the app opens config.dbPath. */
  connection?: Connection;
  /** How often the trail's head is checkpointed while the app runs (tests shorten it). */
  checkpointEveryMs?: number;
  /** The clock of the log-in delay; the system's unless a test moves its own. */
  clock?: Clock;
}

/** Request headers larger than this are answered 431 (Node's own default, made explicit). */
const MAX_HEADER_BYTES = 16 * 1024;
/** A socket silent this long is closed: longer than the slowest silent work (a held log-in: 60 s; a PDF). */
const IDLE_SOCKET_MS = 5 * 60_000;
/** Idle keep-alive connections close after this: longer than a reverse proxy's usual 60 s, so the proxy closes first. */
const KEEP_ALIVE_MS = 65_000;

/** Timeouts and limits of the HTTP server, so a slow or stalled client cannot hold connections open for good. */
function serverLimits(config: Config): Partial<FastifyServerOptions> & { http: import('node:http').ServerOptions } {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: IDLE_SOCKET_MS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // How often Node looks for requests past those timeouts (its default, 30 s, would double a short one).
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, config.headersTimeoutMs / 2)),
    },
  };
}

const HOUR = 60 * 60 * 1000;

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    ...serverLimits(config),
  });
  const conn = options.connection ?? openDatabase(config.dbPath, path.join(config.rootDir, 'migrations'));
  app.decorate('config', config);
  app.decorate('conn', conn);
  keepConfiguredPolicyOnUpgrade(conn, configuredMethodology(config));
  app.decorate('signingKey', loadInstanceKey(config.dataDir));
  // Every route as registered: the lock and the authorization sweep walk it, so new routes are covered.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, public: !!route.config?.public });
  });
  if (!options.connection) app.addHook('onClose', async () => conn.close());
  abandonInterruptedImports(conn.db);
  anchorTrail(app, options.checkpointEveryMs ?? HOUR);
  await startHousekeeping(app);
  // Background work per engagement: imports register here, approval and archiving wait for it.
  const engagementJobs = new EngagementJobs();
  app.decorate('engagementJobs', engagementJobs);
  const importJobs = new ImportJobs(engagementJobs);
  // Headless Chromium for workpaper PDFs: started on the first PDF, closed with the app.
  const pdf = new PdfRenderer(config.chromiumPath);
  app.addHook('onClose', async () => pdf.close());

  useRouteContracts(app);
  await app.register(security);
  await app.register(authentication);
  await app.register(views);
  await app.register(errors);
  app.addHook('preValidation', requireFirmRole);

  await app.register(authRoutes, { clock: options.clock });
  await app.register(adminRoutes);
  await app.register(engagementListRoutes);
  await app.register(archiveImportRoutes);
  await app.register(
    async (scope) => {
      scope.addHook('preValidation', loadEngagementForMember);
      scope.addHook('preValidation', refuseWritesWhenLocked);
      scope.addHook('preValidation', refuseWritesByViewers);
      scope.addHook('preValidation', requireRouteRole);
      await scope.register(engagementRoutes);
      await scope.register(teamRoutes);
      await scope.register(controlRoutes);
      await scope.register(controlSectionRoutes);
      await scope.register(itgcRoutes);
      await scope.register(controlImportRoutes);
      await scope.register(objectiveRoutes);
      await scope.register(complementaryRoutes);
      await scope.register(coverageRoutes);
      await scope.register(tickmarkRoutes);
      await scope.register(populationRoutes, { jobs: importJobs });
      await scope.register(holidayRoutes);
      await scope.register(samplingRoutes);
      await scope.register(testingRoutes);
      await scope.register(itemRoutes);
      await scope.register(conclusionRoutes);
      await scope.register(overrideRoutes);
      await scope.register(anomalyRoutes);
      await scope.register(exceptionRegisterRoutes);
      await scope.register(evidenceRoutes);
      await scope.register(reviewRoutes);
      await scope.register(opinionRoutes);
      await scope.register(assertionRoutes);
      await scope.register(dashboardRoutes);
      await scope.register(auditTrailRoutes);
      await scope.register(reportRoutes);
      await scope.register(workpaperExportRoutes, { pdf });
      await scope.register(pbcRoutes);
      await scope.register(rollForwardRoutes);
      await scope.register(archiveRoutes, { pdf });
    },
    { prefix: '/engagements/:engagementId' },
  );
  // A route nobody said who may use is a mistake to catch now, not a door left open.
  const problems = routeRuleProblems(routeTable);
  if (problems.length > 0) throw new Error(`Role rules do not match the routes:\n${problems.join('\n')}`);
  return app;
}

/** A checkpoint of the trail's head at start-up and at least hourly while the app runs. */
function anchorTrail(app: FastifyInstance, everyMs: number): void {
  const anchor = new TrailAnchor(
    app.conn.db,
    app.signingKey,
    checkpointFileFor(app.config.dbPath, app.config.dataDir),
    app.log,
  );
  app.decorate('trailAnchor', anchor);
  anchor.checkpoint('start');
  const timer = setInterval(() => anchor.checkpoint('hourly'), everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
