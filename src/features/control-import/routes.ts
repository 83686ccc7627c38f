import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { wasDeletedHere } from '../../core/audit/deletions.js';
import { engagementScope } from '../criteria/index.js';
import { CONTROL_LABELS, loadMatrix } from '../controls/index.js';
import { matrixWorkbook } from './export.js';
import { UnreadableFileError } from '../../core/files/unreadable-file.js';
import { readSpreadsheet } from './read-file.js';
import { canCommit, previewImport, type ImportPreview } from './preview.js';
import { commitImport, discardPendingImport, getPendingImport, savePendingImport } from './service.js';
import { firstFilePart } from '../../core/http/uploads.js';
import { safeFileName } from '../../core/files/file-names.js';
import { currentUser } from '../../core/auth/current-user.js';

type ImportParams = { Params: { importId: string } };

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

  app.get('/controls/import', async (req, reply) => renderUpload(req, reply, null));

  app.post('/controls/import', async (req, reply) => {
    const upload = await receiveFile(req, maxMb);
    if ('error' in upload) return renderUpload(req, reply.code(upload.status), upload.error);
    const { engagement } = engagementOf(req);
    const id = savePendingImport(db, currentUser(req), engagement.id, upload.fileName, upload.table);
    return reply.redirect(`${base(req)}/import/${id}`, 303);
  });

  app.get<ImportParams>('/controls/import/:importId', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const pending = getPendingImport(db, engagement.id, currentUser(req).id, req.params.importId);
    if (!pending) return reply.callNotFound();
    const scope = engagementScope(db, app.config.rootDir, engagement);
    return renderPreview(
      req,
      reply,
      pending.id,
      pending.fileName,
      previewImport(db, engagement.id, scope.resolve, pending.table),
    );
  });

  app.post<ImportParams>('/controls/import/:importId/confirm', async (req, reply) => {
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

  app.post<ImportParams>('/controls/import/:importId/discard', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const discarded = discardPendingImport(db, currentUser(req), engagement.id, req.params.importId);
    if (!discarded && !wasDeletedHere(db, engagement.id, 'control-import', req.params.importId, ['discard', 'confirm']))
      return reply.callNotFound();
    req.session.flash = discarded
      ? 'Import discarded: nothing was written.'
      : 'That import was already discarded or imported.';
    return reply.redirect(`${base(req)}/import`, 303);
  });

  app.get('/controls/export.xlsx', async (req, reply) => {
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

type Upload = { fileName: string; table: string[][] } | { error: string; status: number };

/** The one uploaded file, read into rows; anything that is not a readable spreadsheet comes back as a message. */
async function receiveFile(req: FastifyRequest, maxMb: number): Promise<Upload> {
  if (!req.isMultipart()) return { error: 'Choose a file to upload.', status: 422 };
  try {
    const file = await firstFilePart(req);
    if (!file?.filename) return { error: 'Choose a file to upload.', status: 422 };
    const bytes = await file.toBuffer();
    return { fileName: safeFileName(file.filename), table: await readSpreadsheet(bytes) };
  } catch (err) {
    if (err instanceof UnreadableFileError) return { error: err.message, status: 422 };
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      return {
        error: `The file is larger than the ${maxMb} MB limit. Remove other sheets or images, or split the matrix.`,
        status: 413,
      };
    if (code?.startsWith('FST_') && code.endsWith('_LIMIT'))
      return { error: 'Upload one file at a time.', status: 413 };
    throw err;
  }
}
