import { RuleError } from '../../core/errors.js';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actOrRerender } from '../../core/http/actions.js';
import { pathIds, typed } from '../../core/http/contract.js';
import {
  assertWritable,
  evidenceFile,
  type EvidenceRow,
  evidenceInPath,
  type ItemOnPage,
  itemInPath,
  onItem,
  onWorkpaper,
  renderItem,
  renderWorkpaper,
  workpaperInPath,
  workpaperOfPopulation,
  type WorkpaperScope,
} from '../testing/index.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { deleteEvidence, receiveEvidence, recordEvidence } from './service.js';
import { sendAsAttachment } from './download.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { shownFileName } from '../../core/files/file-names.js';
import { currentUser } from '../../core/auth/current-user.js';

const wpParams = pathIds('controlId', 'populationId');

/** Uploading, replacing, deleting and downloading evidence files. Multipart is registered here only. */
export async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const storage = EvidenceStorage.under(app.config.dataDir);
  const maxBytes = app.config.maxUploadBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });
  const routes = typed(app);

  const backTo = (scope: WorkpaperScope, sampleItemId: number | null) =>
    sampleItemId ? `${scope.url}/items/${sampleItemId}#evidence` : `${scope.url}#evidence`;

  /**
   * An upload (multipart: no body schema, the file is streamed in by the service). A refusal goes back to where
   * the form was: the item's page or the workpaper, with the refusal beside the upload field.
   */
  const upload = async (req: FastifyRequest, reply: FastifyReply, item?: ItemOnPage, old?: EvidenceRow) => {
    const scope = workpaperInPath.of(req);
    const target = old ? old.sampleItemId : (item?.gi.item.sampleItemId ?? null);
    return actOrRerender(req, reply, {
      action: async () => {
        assertWritable(scope);
        if (target !== null && !scope.sample) throw new RuleError('That item is not in this sample.');
        const file = await receiveEvidence(req, storage, maxBytes);
        return recordEvidence(db, currentUser(req), scope, file, { sampleItemId: target, supersedes: old });
      },
      done: (row) =>
        old
          ? `${row.originalName} replaces ${shownFileName(old.originalName)}; the old file stays in the history.`
          : `${row.originalName} uploaded.`,
      back: backTo(scope, target),
      rerender: (_errors, _input, refusal) =>
        item
          ? renderItem(req, reply.code(422), item, { evidenceError: refusal.message })
          : renderWorkpaper(req, reply.code(422), scope, { evidenceError: refusal.message }),
    });
  };

  routes.post(
    '/controls/:controlId/workpaper/:populationId/evidence',
    { schema: { params: wpParams }, preHandler: onWorkpaper },
    (req, reply) => upload(req, reply),
  );
  routes.post(
    '/controls/:controlId/workpaper/:populationId/items/:sampleItemId/evidence',
    { schema: { params: pathIds('controlId', 'populationId', 'sampleItemId') }, preHandler: onItem },
    (req, reply) => upload(req, reply, itemInPath.of(req)),
  );
  const ofFile = pathIds('controlId', 'populationId', 'evidenceId');
  routes.post(
    '/controls/:controlId/workpaper/:populationId/evidence/:evidenceId/supersede',
    { schema: { params: ofFile }, preHandler: [...onWorkpaper, evidenceInPath.preHandler] },
    (req, reply) => upload(req, reply, undefined, evidenceInPath.of(req)),
  );

  // Not a loader: a file deleted from this workpaper a moment ago is a message, not a 404.
  routes.post(
    '/controls/:controlId/workpaper/:populationId/evidence/:evidenceId/delete',
    { schema: { params: ofFile }, preHandler: onWorkpaper },
    async (req, reply) => {
      const scope = workpaperInPath.of(req);
      const id = req.params.evidenceId;
      const file = evidenceFile(db, scope.engagementId, id);
      if (!file || file.workpaperId !== workpaperOfPopulation(db, scope.population.id)?.id) {
        if (file || !wasDeletedHere(db, scope.engagementId, 'evidence', id)) return reply.callNotFound();
        req.session.flash = 'That file was already deleted.';
        return reply.redirect(backTo(scope, null), 303);
      }
      return actOrRerender(req, reply, {
        action: () => deleteEvidence(db, storage, currentUser(req), scope, id),
        done: (removed) => `${shownFileName(removed.originalName)} deleted.`,
        back: (removed) => backTo(scope, removed.sampleItemId),
        rerender: (_errors, _input, refusal) =>
          renderWorkpaper(req, reply.code(422), scope, { evidenceError: refusal.message }),
      });
    },
  );

  routes.get(
    '/evidence/:evidenceId/download',
    { schema: { params: pathIds('evidenceId') }, preHandler: evidenceInPath.preHandler },
    async (req, reply) => {
      const row = evidenceInPath.of(req);
      // The row without its stored file (a damaged data directory) is no download either.
      if (!storage.exists(row.sha256)) return reply.callNotFound();
      return sendAsAttachment(reply, storage, row);
    },
  );
}
