// A workpaper on paper: the printable page (the browser prints it) and the same page as a PDF printed by
// headless Chromium. Read-only, for anyone on the team; the engagement scope's gate answers 404 to everyone else.
// Like the report downloads, an export is not an audit-trail entry: the trail records changes.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { attachmentDisposition } from '../../core/files/sniff.js';
import { scopeFrom, type WorkpaperScope } from '../testing/index.js';
import { PdfBusyError, PdfUnavailableError, type PdfRenderer } from './pdf-renderer.js';
import { pdfFileName, printableWorkpaper, type RenderRows } from './printable.js';
import { withSnapshot } from '../../db/snapshot.js';
import { workpaperPdfPage } from './workpaper-pdf.js';
import { currentUser } from '../../core/auth/current-user.js';

export interface WorkpaperExportOptions {
  pdf: PdfRenderer;
}

export const PRINT_STYLESHEET = '/static/css/workpaper-print.css';
const GRID_SLOT = `<!--grid-${randomBytes(8).toString('hex')}-->`;

export async function workpaperExportRoutes(app: FastifyInstance, { pdf }: WorkpaperExportOptions): Promise<void> {
  const pdfPageOf = workpaperPdfPage(app);
  const renderRows: RenderRows = (locals) => app.view('workpaper-export/print-rows', locals);
  // One snapshot for the whole file, read a chunk at a time: the paper shows one moment, and others keep working.
  const localsOf = (req: FastifyRequest, scope: WorkpaperScope) =>
    withSnapshot(app.conn, (db) =>
      printableWorkpaper(
        db,
        engagementOf(req).engagement,
        scope,
        { by: currentUser(req).name, at: new Date().toISOString() },
        renderRows,
      ),
    );

  app.get('/controls/:controlId/workpaper/:populationId/print', async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    const locals = await localsOf(req, scope);
    // The grid's encoded chunks go in where the template leaves room for them (see printedGrid).
    const body = await reply.renderBody('workpaper-export/print', {
      ...locals,
      gridRows: GRID_SLOT,
      pdfUrl: `${scope.url}/pdf`,
      workpaperUrl: scope.url,
    });
    const at = body.indexOf(GRID_SLOT);
    const parts = [Buffer.from(body.slice(0, at)), ...locals.gridParts, Buffer.from(body.slice(at + GRID_SLOT.length))];
    return reply.pageAround(parts, { title: locals.title, stylesheets: [PRINT_STYLESHEET] });
  });

  // No automatic HEAD route: it would print a whole PDF to answer with headers.
  app.get('/controls/:controlId/workpaper/:populationId/pdf', { exposeHeadRoute: false }, async (req, reply) => {
    const scope = scopeFrom(req);
    if (!scope) return reply.callNotFound();
    try {
      const page = await withSnapshot(app.conn, (db) =>
        pdfPageOf(db, engagementOf(req).engagement, scope, { by: currentUser(req).name, at: new Date().toISOString() }),
      );
      const file = await pdf.render(page);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachmentDisposition(pdfFileName(scope)))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file);
    } catch (err) {
      if (err instanceof PdfUnavailableError || err instanceof PdfBusyError) return unavailable(req, reply, scope, err);
      throw err;
    }
  });
}

function unavailable(req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, err: Error) {
  req.log.warn({ err, reqId: req.id }, 'workpaper PDF not printed');
  const busy = err instanceof PdfBusyError;
  if (busy) reply.header('retry-after', '30');
  return reply.code(503).page('workpaper-export/pdf-unavailable', {
    title: busy ? 'PDF printer busy' : 'PDF not available',
    busy,
    printUrl: `${scope.url}/print`,
    workpaperUrl: scope.url,
    reference: scope.control.reference,
  });
}
