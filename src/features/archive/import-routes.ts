import path from 'node:path';
import { rmSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { membershipOf } from '../engagements/queries.js';
import { EvidenceStorage } from '../evidence/storage.js';
import { receiveUpload, UploadError } from '../shared/uploads.js';
import { importArchive } from './import.js';
import { ArchiveRefused } from './read-archive.js';

/** `/engagements/import`: an engagement archive from another Tickmark instance becomes a new engagement here. */
export async function archiveImportRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const { dataDir, maxArchiveBytes } = app.config;
  const storage = EvidenceStorage.under(dataDir);
  const scratch = path.join(dataDir, 'archive-incoming');
  await app.register(multipart, { limits: { fileSize: maxArchiveBytes, files: 1, fields: 2, parts: 3, fieldSize: 1024 } });
  const render = (reply: FastifyReply, error: string | null = null) => reply.page('archive/import', { title: 'Import an engagement archive', error, maxMb: Math.round(maxArchiveBytes / 2 ** 20) });

  app.get('/engagements/import', async (req, reply) => render(reply));

  app.post('/engagements/import', async (req, reply) => {
    let upload: string | null = null;
    try {
      upload = (await receiveUpload(req, scratch, maxArchiveBytes)).file;
      const result = await importArchive(db, storage, req.user!, upload, scratch, maxArchiveBytes);
      const e = result.manifest.engagement;
      const created = result.createdUsers.length > 0 ? ` Accounts created inactive, without a password (an administrator activates them on the Users page): ${result.createdUsers.join(', ')}.` : ' Every person it names already had an account here.';
      const onTeam = !!membershipOf(db, result.engagementId, req.user!.id);
      const access = onTeam ? '' : ' You are not on its team: its partner or a manager on it can open it.';
      req.session.flash = `Imported ${e.clientName} (${e.periodStart} – ${e.periodEnd}) as a new engagement: ${result.rows} records, ${result.originalTrailEntries} original audit-trail entries checked and kept.${created}${access}`;
      return reply.redirect(onTeam ? `/engagements/${result.engagementId}` : '/engagements', 303);
    } catch (err) {
      if (err instanceof ArchiveRefused || err instanceof UploadError) return render(reply.code(422), err.message);
      throw err;
    } finally {
      if (upload) rmSync(upload, { force: true });
    }
  });
}
