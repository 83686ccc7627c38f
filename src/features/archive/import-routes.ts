import path from 'node:path';
import { rmSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { membershipOf } from '../../core/engagement/queries.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { receiveUpload } from '../../core/http/uploads.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formatFingerprint } from '../../core/signing/index.js';
import { importArchive, type ImportResult } from './import.js';
import { currentUser } from '../../core/auth/current-user.js';

/** `/engagements/import`: an engagement archive from another Tickmark instance becomes a new engagement here. */
export async function archiveImportRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const { dataDir, maxArchiveBytes } = app.config;
  const scratch = path.join(dataDir, 'archive-incoming');
  const setting = {
    db,
    storage: EvidenceStorage.under(dataDir),
    key: app.signingKey,
    scratchRoot: scratch,
    maxBytes: maxArchiveBytes,
  };
  await app.register(multipart, {
    limits: { fileSize: maxArchiveBytes, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });
  const render = (reply: FastifyReply, error: string | null = null) =>
    reply.page('archive/import', {
      title: 'Import an engagement archive',
      error,
      maxMb: Math.round(maxArchiveBytes / 2 ** 20),
    });

  app.get('/engagements/import', async (_req, reply) => render(reply));

  // A multipart upload: no body schema (fastify does not parse it).
  app.post('/engagements/import', async (req, reply) => {
    let upload: string | null = null;
    const user = currentUser(req);
    const onTeam = (result: ImportResult) => !!membershipOf(db, result.engagementId, user.id);
    try {
      return await actOrRerender(req, reply, {
        action: async () => {
          upload = (await receiveUpload(req, scratch, maxArchiveBytes)).file;
          return importArchive(setting, user, upload);
        },
        done: (result) => importedMessage(result, onTeam(result)),
        back: (result) => (onTeam(result) ? `/engagements/${result.engagementId}` : '/engagements'),
        status: 422,
        rerender: (errors) => render(reply, Object.values(errors)[0] ?? null),
      });
    } finally {
      if (upload) rmSync(upload, { force: true });
    }
  });
}

/** Tells the importer which kind of import it was, and why. */
function importedMessage(result: ImportResult, onTeam: boolean): string {
  const e = result.manifest.engagement;
  const what = `Imported ${e.clientName} (${e.periodStart} – ${e.periodEnd}) as a new engagement: ${result.rows} records, ${result.originalTrailEntries} original audit-trail entries checked and kept.`;
  if (!result.trust.verified) {
    return `${what} It is an UNVERIFIED COPY because ${result.trust.reason}. It is read-only for good, its people are shown only as the archive records them (never as accounts here), and you are its only reader, as viewer.`;
  }
  const { signer } = result.trust;
  const by = signer.own ? 'this instance' : `“${signer.label}”`;
  const created =
    result.createdUsers.length > 0
      ? ` Accounts created inactive, without a password (an administrator activates them on the Users page): ${result.createdUsers.join(', ')}.`
      : ' Every person it names already had an account here.';
  const access = onTeam ? '' : ' You are not on its team: its partner or a manager on it can open it.';
  return `${what} Verified: signed by ${by} (key ${formatFingerprint(signer.fingerprint)}), and its team fits this firm’s roles.${created}${access}`;
}
