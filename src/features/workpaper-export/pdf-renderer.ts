// Prints our own HTML to PDF in headless Chromium. One browser, started on the first PDF and kept for the next;
// renders run one at a time (a workpaper's grid can be long, and the machine also serves the team), a few wait
// their turn and the rest are told to try again. The page gets no JavaScript and no network at all.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { RuleError } from '../../core/errors.js';
import type { Paper } from '../../domain/paper.js';

/** A PDF not printed, for a reason the person can act on (print from the browser, or try again): a 503 refusal. */
export abstract class PdfRefusal extends RuleError {
  /** Busy (try again in a minute) rather than unable (print from the browser). */
  abstract readonly busy: boolean;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { status: 503, cause: options.cause });
  }
}

/** No usable Chromium: the person is told to print from the browser instead. */
export class PdfUnavailableError extends PdfRefusal {
  readonly busy = false;
}

/** Too many PDFs already running or waiting. */
export class PdfBusyError extends PdfRefusal {
  readonly busy = true;
}

export type PdfAttempt = { ok: true; file: Buffer } | { ok: false; refusal: PdfRefusal };

export interface PdfLimits {
  /** Renders at the same time. */
  concurrent: number;
  /** Renders allowed to wait for a turn; beyond this a request is refused at once. */
  queued: number;
  /** For loading the HTML and for printing it, each. */
  timeoutMs: number;
}

export interface PdfPage {
  html: string;
  /** Plain text printed at the foot of every page, beside the page number. */
  footer: string;
  /** The engagement's paper, printed landscape. */
  paper: Paper;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Chromium's own footer template (not our page: inline style is how it is sized). */
function footerTemplate(text: string): string {
  return (
    '<div style="font-size:7pt;font-family:sans-serif;width:100%;padding:0 1.2cm;display:flex;justify-content:space-between;color:#444">' +
    `<span>${escapeHtml(text)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
  );
}

/** page.pdf has no timeout of its own; a stuck print must not hold the only slot for ever (the context is closed after). */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly executablePath: string | null,
    private readonly limits: PdfLimits = { concurrent: 1, queued: 4, timeoutMs: 30_000 },
  ) {}

  /** Whether a PDF can be attempted at all (the binary is there); launching may still fail. */
  get available(): boolean {
    return !!this.executablePath && existsSync(this.executablePath);
  }

  async render(page: PdfPage): Promise<Buffer> {
    if (this.closed) throw new PdfUnavailableError('The PDF printer is shutting down.');
    if (!this.available)
      throw new PdfUnavailableError(
        this.executablePath
          ? `Chromium was not found at ${this.executablePath}.`
          : 'No Chromium is configured (TICKMARK_CHROMIUM).',
      );
    await this.turn();
    try {
      return await this.print(page);
    } finally {
      this.done();
    }
  }

  /** The PDF, or why it was not printed (for a page that says what to do instead); other failures are thrown. */
  async attempt(page: PdfPage): Promise<PdfAttempt> {
    try {
      return { ok: true, file: await this.render(page) };
    } catch (err) {
      if (err instanceof PdfRefusal) return { ok: false, refusal: err };
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = null;
    if (browser) await browser.then((b) => b.close()).catch(() => undefined);
  }

  private async turn(): Promise<void> {
    if (this.running < this.limits.concurrent) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.limits.queued)
      throw new PdfBusyError('Too many PDFs are being printed right now; try again in a minute.');
    // The finishing render hands its slot straight to the next in line, so `running` stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private done(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private launched(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium.launch({
        executablePath: this.executablePath!,
        headless: true,
        timeout: this.limits.timeoutMs,
      });
      this.browser = launching;
      launching.then(
        (b) =>
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = null;
          }),
        () => {
          if (this.browser === launching) this.browser = null;
        },
      );
    }
    return this.browser;
  }

  private async print({ html, footer, paper }: PdfPage): Promise<Buffer> {
    let browser: Browser;
    try {
      browser = await this.launched();
    } catch (err) {
      throw new PdfUnavailableError(`Chromium could not be started: ${(err as Error).message.split('\n')[0]}`, {
        cause: err,
      });
    }
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      acceptDownloads: false,
      serviceWorkers: 'block',
    });
    try {
      // Everything the page needs is inline: any request at all (a stray URL in a client's text) is refused.
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: this.limits.timeoutMs });
      const printing = page.pdf({
        format: paper === 'letter' ? 'Letter' : 'A4',
        landscape: true,
        preferCSSPageSize: false,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(footer),
        margin: { top: '1.2cm', bottom: '1.4cm', left: '1.2cm', right: '1.2cm' },
        tagged: true,
        outline: true,
      });
      return await within(printing, this.limits.timeoutMs, 'Printing the PDF took too long.');
    } finally {
      await context.close().catch(() => undefined);
    }
  }
}
