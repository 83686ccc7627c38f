// A workpaper on paper: the printable page (the browser prints it) and the same page as a PDF printed by
// headless Chromium. Read-only, for anyone on the team; the engagement scope's gate answers 404 to everyone else.
// Like the report downloads, an export is not an audit-trail entry: the trail records changes.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { engagementOf } from '../../core/engagement/access.js';
import { attachmentDisposition } from '../../core/files/sniff.js';
import { pathIds, typed } from '../../core/http/contract.js';
import { onWorkpaper, workpaperInPath, type WorkpaperScope } from '../testing/index.js';
import type { PdfRefusal, PdfRenderer } from './pdf-renderer.js';
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

  const routes = typed(app);
  const onIt = { schema: { params: pathIds('controlId', 'populationId') }, preHandler: onWorkpaper };

  routes.get('/controls/:controlId/workpaper/:populationId/print', onIt, async (req, reply) => {
    const scope = workpaperInPath.of(req);
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
  const pdfOptions = { ...onIt, exposeHeadRoute: false };
  routes.get('/controls/:controlId/workpaper/:populationId/pdf', pdfOptions, async (req, reply) => {
    const scope = workpaperInPath.of(req);
    const page = await withSnapshot(app.conn, (db) =>
      pdfPageOf(db, engagementOf(req).engagement, scope, { by: currentUser(req).name, at: new Date().toISOString() }),
    );
    const printed = await pdf.attempt(page);
    if (!printed.ok) return unavailable(req, reply, scope, printed.refusal);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', attachmentDisposition(pdfFileName(scope)))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(printed.file);
  });
}

/** The PDF refused (503): its own page, with the way out (print from the browser), not the plain refusal page. */
function unavailable(req: FastifyRequest, reply: FastifyReply, scope: WorkpaperScope, refusal: PdfRefusal) {
  req.log.warn({ err: refusal, reqId: req.id }, 'workpaper PDF not printed');
  const { busy } = refusal;
  if (busy) reply.header('retry-after', '30');
  return reply.code(refusal.status).page('workpaper-export/pdf-unavailable', {
    title: busy ? 'PDF printer busy' : 'PDF not available',
    busy,
    printUrl: `${scope.url}/print`,
    workpaperUrl: scope.url,
    reference: scope.control.reference,
  });
}
