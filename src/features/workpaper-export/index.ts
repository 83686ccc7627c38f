// A workpaper as a PDF: the Chromium renderer the app holds and the page it prints.
export { PdfBusyError, type PdfRefusal, PdfRenderer, PdfUnavailableError } from './pdf-renderer.js';
export { workpaperPdfPage, type WorkpaperPdfPage } from './workpaper-pdf.js';
