import path from 'node:path';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canArchiveEngagement, canExportEngagement } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { actOrRerender, type FormErrors } from '../../core/http/actions.js';
import { formOf, typed } from '../../core/http/contract.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { attachmentDisposition } from '../../core/files/sniff.js';
import { formatFingerprint } from '../../core/signing/index.js';
import { filePolicyOf } from '../methodology/index.js';
import { appIdentity } from './archive-format.js';
import { archiveBlocker, archiveEngagement, engagementFileDates } from './archive-state.js';
import { exportArchive } from './export.js';
import { EXPORT_SCRATCH } from './export-snapshot.js';
import { importedHistory } from './imported-history.js';
import type { ReadableKit } from './readable-files.js';
import { type PdfRenderer, workpaperPdfPage } from '../workpaper-export/index.js';
import { currentUser } from '../../core/auth/current-user.js';

const confirmForm = z.object({ confirm: z.string().optional() });

/** The page shows one refusal, not a form's messages beside fields. */
const refusalOf = (errors: FormErrors) => Object.values(errors)[0] ?? null;

/** The engagement's archive page: its file dates, the download, and the partner's archiving. */
export async function archiveRoutes(app: FastifyInstance, { pdf }: { pdf: PdfRenderer }): Promise<void> {
  const { db } = app.conn;
  const readable: ReadableKit = { conn: app.conn, rootDir: app.config.rootDir, pdf, pdfPageOf: workpaperPdfPage(app) };
  const storage = EvidenceStorage.under(app.config.dataDir);
  const identity = appIdentity(app.config.rootDir);

  const render = (req: FastifyRequest, reply: FastifyReply, error: string | null = null) => {
    const { engagement, membership } = engagementOf(req);
    return reply.page('archive/page', {
      title: `Archive · ${engagement.clientName}`,
      dates: engagementFileDates(db, engagement),
      policy: filePolicyOf(engagement),
      blocker: archiveBlocker(db, engagement) ?? app.engagementJobs.refusal(engagement.id, 'archived'),
      history: importedHistory(db, engagement.id),
      canExport: canExportEngagement(membership.role),
      canArchive: canArchiveEngagement(membership.role),
      keyFingerprint: formatFingerprint(app.signingKey.publicKey.fingerprint),
      error,
    });
  };

  app.get('/archive', async (req, reply) => render(req, reply));

  // No automatic HEAD route: it would build the archive and write an export entry to answer with headers.
  app.get('/archive/export', { exposeHeadRoute: false }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const scratch = path.join(app.config.dataDir, EXPORT_SCRATCH);
    return actOrRerender(req, reply, {
      action: () =>
        exportArchive(db, storage, identity, currentUser(req), engagement.id, scratch, app.trailAnchor, readable),
      answer: (download) =>
        reply
          .header('content-type', 'application/zip')
          .header('content-disposition', attachmentDisposition(download.fileName))
          .header('x-archive-manifest-sha256', download.manifestSha256)
          .header('cache-control', 'private, no-store')
          .send(download.stream),
      status: 409,
      rerender: (errors) => render(req, reply, refusalOf(errors)),
    });
  });

  typed(app).post('/archive', { schema: { body: formOf(confirmForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    if (!req.body.ok || req.body.value.confirm !== 'yes')
      return render(req, reply.code(422), 'Tick the box to confirm that the engagement becomes read-only for good.');
    return actOrRerender(req, reply, {
      action: () => {
        archiveEngagement(db, currentUser(req), engagement.id, app.engagementJobs);
        app.trailAnchor.checkpoint('archive');
      },
      done: 'Engagement archived: it is now permanently read-only.',
      back: `/engagements/${engagement.id}/archive`,
      status: 422,
      rerender: (errors) => render(req, reply, refusalOf(errors)),
    });
  });
}
