// A workpaper's page for printing to PDF, for the route and for the engagement archive alike: the same page, the
// same footer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Tx } from '../../db/connection.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import type { WorkpaperScope } from '../testing/index.js';
import type { PdfPage } from './pdf-renderer.js';
import { paperOf } from '../../domain/paper.js';
import { printableWorkpaper, type Printing, type RenderRows } from './printable.js';

/** The page Chromium prints for one workpaper; reads through `db` (give it a snapshot: see withSnapshot). */
export type WorkpaperPdfPage = (
  db: Tx,
  engagement: EngagementRow,
  scope: WorkpaperScope,
  printing: Printing,
) => Promise<PdfPage>;

export function workpaperPdfPage(app: FastifyInstance): WorkpaperPdfPage {
  // Chromium prints from a blank page, not from our origin: the stylesheets go inline, read once.
  const css = ['app.css', 'workpaper-print.css']
    .map((f) => readFileSync(path.join(app.config.rootDir, 'static', 'css', f), 'utf8'))
    .join('\n');
  const renderRows: RenderRows = (locals) => app.view('workpaper-export/print-rows', locals);
  return async (db, engagement, scope, printing) => {
    const locals = await printableWorkpaper(db, engagement, scope, printing, renderRows);
    const body = await app.view('workpaper-export/print', {
      ...locals,
      gridRows: Buffer.concat(locals.gridParts).toString('utf8'),
      forPdf: true,
    });
    const title = engagement.unverifiedReason ? `Unverified copy · ${locals.title}` : locals.title;
    const html = await app.view('workpaper-export/pdf-document', { title, css, body });
    const copy = engagement.unverifiedReason ? 'UNVERIFIED COPY · ' : '';
    const footer = `${copy}${scope.control.reference} · ${engagement.clientName} · printed ${locals.fmt.timestamp(printing.at)} by ${printing.by}`;
    return { html, footer, paper: paperOf(engagement) };
  };
}
