import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { engagementScope } from '../criteria/index.js';
import { CONTROL_LABELS, loadMatrix } from '../controls/index.js';
import { matrixWorkbook } from './export.js';
import { readSpreadsheet } from './read-file.js';
import { canCommit, previewImport, type ImportPreview } from './preview.js';
import { commitImport, discardPendingImport, getPendingImport, savePendingImport } from './service.js';
import { firstFilePart, uploadLimitRefusal, uploadRefused } from '../../core/http/uploads.js';
import { actOrRerender } from '../../core/http/actions.js';
import { typed } from '../../core/http/contract.js';
import { safeFileName } from '../../core/files/file-names.js';
import { currentUser } from '../../core/auth/current-user.js';
import { importParams, pendingImportInPath } from './loaders.js';

export async function controlImportRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const maxMb = Math.round(app.config.maxUploadBytes / (1024 * 1024));
  await app.register(multipart, {
    limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  });

  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/controls`;
  const renderUpload = (req: FastifyRequest, reply: FastifyReply, error: string | null) =>
    reply.page('control-import/upload', {
      title: 'Import controls',
      base: base(req),
      error,
      maxMb,
      scopeKind: engagementScope(db, app.config.rootDir, engagementOf(req).engagement).kind,
    });
  const renderPreview = (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    fileName: string,
    preview: ImportPreview,
    error: string | null = null,
  ) =>
    reply.page('control-import/preview', {
      title: `Import preview — ${fileName}`,
      base: base(req),
      id,
      fileName,
      preview,
      canCommit: canCommit(preview),
      labels: CONTROL_LABELS,
      error,
      maxMb,
    });

  const routes = typed(app);
  routes.get('/controls/import', async (req, reply) => renderUpload(req, reply, null));

  // A multipart upload: no body schema (fastify does not parse it).
  routes.post('/controls/import', async (req, reply) =>
    actOrRerender(req, reply, {
      action: async () => {
        const upload = await receiveFile(req, maxMb);
        const { engagement } = engagementOf(req);
        return savePendingImport(db, currentUser(req), engagement.id, upload.fileName, upload.table);
      },
      answer: (id) => reply.redirect(`${base(req)}/import/${id}`, 303),
      field: 'file',
      rerender: (errors) => renderUpload(req, reply, errors.file ?? Object.values(errors)[0] ?? null),
    }),
  );

  const ofImport = { params: importParams };
  const previewOptions = { schema: ofImport, preHandler: pendingImportInPath.preHandler };
  routes.get('/controls/import/:importId', previewOptions, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const pending = pendingImportInPath.of(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    return renderPreview(
      req,
      reply,
      pending.id,
      pending.fileName,
      previewImport(db, engagement.id, scope.resolve, pending.table),
    );
  });

  // Confirming and discarding find the import inside their own transaction (a second click finds none).
  routes.post('/controls/import/:importId/confirm', { schema: ofImport }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const result = commitImport(db, currentUser(req), engagement, scope, req.params.importId);
    if (result.ok) {
      const { create, update, unchanged } = result.counts;
      req.session.flash = `Import complete: ${create} control${create === 1 ? '' : 's'} added, ${update} updated, ${unchanged} unchanged.`;
      return reply.redirect(base(req), 303);
    }
    if (!result.preview) return reply.callNotFound();
    const pending = getPendingImport(db, engagement.id, currentUser(req).id, req.params.importId)!;
    return renderPreview(
      req,
      reply.code(422),
      pending.id,
      pending.fileName,
      result.preview,
      'Nothing was imported: the rows below have errors. Correct the file and upload it again.',
    );
  });

  routes.post('/controls/import/:importId/discard', { schema: ofImport }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const discarded = discardPendingImport(db, currentUser(req), engagement.id, req.params.importId);
    if (!discarded && !wasDeletedHere(db, engagement.id, 'control-import', req.params.importId, ['discard', 'confirm']))
      return reply.callNotFound();
    req.session.flash = discarded
      ? 'Import discarded: nothing was written.'
      : 'That import was already discarded or imported.';
    return reply.redirect(`${base(req)}/import`, 303);
  });

  routes.get('/controls/export.xlsx', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const scope = engagementScope(db, app.config.rootDir, engagement);
    const drafts = loadMatrix(db, engagement.id).map((s) => s.draft);
    const workbook = await matrixWorkbook(drafts, scope.kind, `Control matrix — ${engagement.clientName}`);
    const slug =
      engagement.clientName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'engagement';
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="control-matrix-${slug}.xlsx"`)
      .send(workbook);
  });
}

/** The one uploaded file, read into rows; a file that is not a readable spreadsheet is refused beside the field. */
async function receiveFile(req: FastifyRequest, maxMb: number): Promise<{ fileName: string; table: string[][] }> {
  if (!req.isMultipart()) throw uploadRefused('Choose a file to upload.');
  try {
    const file = await firstFilePart(req);
    if (!file?.filename) throw uploadRefused('Choose a file to upload.');
    const bytes = await file.toBuffer();
    return { fileName: safeFileName(file.filename), table: await readSpreadsheet(bytes) };
  } catch (err) {
    throw uploadLimitRefusal(
      err,
      `The file is larger than the ${maxMb} MB limit. Remove other sheets or images, or split the matrix.`,
    );
  }
}
