import { RuleError } from '../../core/errors.js';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { idParam } from '../../core/http/params.js';
import {
  assertWritable,
  evidenceFile,
  itemOnPage,
  renderItem,
  renderWorkpaper,
  scopeFrom,
  workpaperOfPopulation,
  type WorkpaperScope,
} from '../testing/index.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { deleteEvidence, receiveEvidence, recordEvidence } from './service.js';
import { sendAsAttachment } from './download.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { shownFileName } from '../../core/files/file-names.js';
import { currentUser } from '../../core/auth/current-user.js';

type Params = { sampleItemId?: string; evidenceId?: string };

/** Uploading, replacing, deleting and downloading evidence files. Multipart is registered here only. */
export async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const storage = EvidenceStorage.under(app.config.dataDir);
  const maxBytes = app.config.maxUploadBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });

  /** Back to where the form was: the item's page or the workpaper, with the refusal beside the upload field. */
  const refuse = (req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, message: string) => {
    const found = (req.params as Params).sampleItemId ? itemOnPage(req) : undefined;
    if (found) return renderItem(req, reply.code(422), found, { evidenceError: message });
    return renderWorkpaper(req, reply.code(422), scope, { evidenceError: message });
  };
  const backTo = (_req: FastifyRequest, scope: WorkpaperScope, sampleItemId: number | null) =>
    sampleItemId ? `${scope.url}/items/${sampleItemId}#evidence` : `${scope.url}#evidence`;

  const upload = async (req: FastifyRequest, reply: FastifyReply, sampleItemId: number | null, supersedes?: number) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const old = supersedes === undefined ? undefined : evidenceFile(db, scope.engagementId, supersedes);
    if (supersedes !== undefined && !old) return reply.callNotFound();
    const target = old ? old.sampleItemId : sampleItemId;
    try {
      assertWritable(scope);
      if (target !== null && !scope.sample) throw new RuleError('That item is not in this sample.');
      const file = await receiveEvidence(req, storage, maxBytes);
      const row = recordEvidence(db, currentUser(req), scope, file, { sampleItemId: target, supersedes: old });
      req.session.flash = old
        ? `${row.originalName} replaces ${shownFileName(old.originalName)}; the old file stays in the history.`
        : `${row.originalName} uploaded.`;
      return reply.redirect(backTo(req, scope, target), 303);
    } catch (err) {
      if (err instanceof RuleError) return refuse(req, reply, scope, err.message);
      throw err;
    }
  };

  app.post('/controls/:controlId/workpaper/:populationId/evidence', (req, reply) => upload(req, reply, null));
  app.post<{ Params: Params }>(
    '/controls/:controlId/workpaper/:populationId/items/:sampleItemId/evidence',
    (req, reply) => {
      const found = itemOnPage(req);
      return found ? upload(req, reply, found.gi.item.sampleItemId) : reply.callNotFound();
    },
  );
  app.post<{ Params: Params }>(
    '/controls/:controlId/workpaper/:populationId/evidence/:evidenceId/supersede',
    (req, reply) => upload(req, reply, null, idParam(req.params.evidenceId)),
  );

  app.post<{ Params: Params }>(
    '/controls/:controlId/workpaper/:populationId/evidence/:evidenceId/delete',
    async (req, reply) => {
      const scope = scopeFrom(req);
      if (!scope) return reply.callNotFound();
      const id = idParam(req.params.evidenceId);
      const file = evidenceFile(db, scope.engagementId, id);
      if (!file || file.workpaperId !== workpaperOfPopulation(db, scope.population.id)?.id) {
        if (file || !wasDeletedHere(db, scope.engagementId, 'evidence', id)) return reply.callNotFound();
        req.session.flash = 'That file was already deleted.';
        return reply.redirect(backTo(req, scope, null), 303);
      }
      try {
        const removed = deleteEvidence(db, storage, currentUser(req), scope, id);
        req.session.flash = `${shownFileName(removed.originalName)} deleted.`;
        return reply.redirect(backTo(req, scope, removed.sampleItemId), 303);
      } catch (err) {
        if (err instanceof RuleError)
          return renderWorkpaper(req, reply.code(422), scope, { evidenceError: err.message });
        throw err;
      }
    },
  );

  app.get<{ Params: Params }>('/evidence/:evidenceId/download', async (req, reply) => {
    const row = evidenceFile(db, engagementOf(req).engagement.id, idParam(req.params.evidenceId));
    if (!row || !storage.exists(row.sha256)) return reply.callNotFound();
    return sendAsAttachment(reply, storage, row);
  });
}
