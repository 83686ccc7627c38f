import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PdfBusyError, PdfRenderer, PdfUnavailableError } from '../../../src/features/workpaper-export/pdf-renderer.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

describe('PDF renderer', () => {
  it('prints one at a time and refuses more than the queue holds', async () => {
    const renderer = new PdfRenderer(CHROMIUM, { concurrent: 1, queued: 1, timeoutMs: 30_000 });
    try {
      const page = { html: '<!doctype html><title>t</title><p>Hello</p>', footer: 'test', paper: 'a4' as const };
      const results = await Promise.allSettled([renderer.render(page), renderer.render(page), renderer.render(page)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(PdfBusyError);
      const again = await renderer.render(page);
      expect(again.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      await renderer.close();
    }
  });

  it('runs no script and makes no request from the page it prints', async () => {
    const renderer = new PdfRenderer(CHROMIUM);
    try {
      // A script that ran would fill several pages; an image or stylesheet that loaded would reach the server.
      let requested = false;
      const server = createServer((_, res) => {
        requested = true;
        res.end('x');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const html = `<!doctype html><title>t</title><p id="p">static</p><img src="http://127.0.0.1:${port}/leak.png" alt=""><link rel="stylesheet" href="http://127.0.0.1:${port}/x.css"><script>for (let i = 0; i < 400; i++) document.body.appendChild(document.createElement('p')).textContent = 'script line ' + i;</script>`;
      const pdf = await renderer.render({ html, footer: '', paper: 'a4' });
      server.close();
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(requested).toBe(false);
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
    } finally {
      await renderer.close();
    }
  });
});

describe('PDF paper', () => {
  it('prints landscape A4 or US Letter as the engagement chose, whatever the page’s own @page rule says', async () => {
    const renderer = new PdfRenderer(CHROMIUM);
    const mediaBox = (pdf: Buffer) =>
      /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/
        .exec(pdf.toString('latin1'))!
        .slice(1)
        .map((n) => Math.round(Number(n)));
    try {
      const html = '<!doctype html><title>t</title><style>@page { size: A4 landscape; }</style><p>Paper</p>';
      // Points, landscape: Letter is 792 × 612, A4 about 842 × 595 (Chromium rounds to its own device pixels).
      const near = (actual: number[], expected: number[]) =>
        actual.forEach((n, i) => expect(Math.abs(n - expected[i]!)).toBeLessThanOrEqual(2));
      near(mediaBox(await renderer.render({ html, footer: '', paper: 'letter' })), [792, 612]);
      near(mediaBox(await renderer.render({ html, footer: '', paper: 'a4' })), [842, 595]);
    } finally {
      await renderer.close();
    }
  });
});

describe('PDF renderer without Chromium', () => {
  it('says so instead of trying', async () => {
    const renderer = new PdfRenderer('/nonexistent/chromium');
    expect(renderer.available).toBe(false);
    await expect(renderer.render({ html: '<p>x</p>', footer: '', paper: 'a4' })).rejects.toBeInstanceOf(
      PdfUnavailableError,
    );
    await expect(new PdfRenderer(null).render({ html: '<p>x</p>', footer: '', paper: 'a4' })).rejects.toThrow(
      /TICKMARK_CHROMIUM/,
    );
  });
});
