import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';

const CC14_RESULT =
  "Exception noted. For 1 of 41 new hires sampled, the background check was completed after the employee's start date.";
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The printable page and PDF addresses of a control's (only) workpaper, with what the database says about it. */
function workpaperOf(t: TestApp, reference: string) {
  const s = t.app.conn.sqlite;
  const eid = demoEngagementId(t);
  const control = s
    .prepare('SELECT id FROM controls WHERE engagement_id = ? AND reference = ?')
    .get(eid, reference) as { id: number };
  const population = s
    .prepare("SELECT id FROM populations WHERE control_id = ? AND status <> 'replaced'")
    .get(control.id) as { id: number };
  const sample = s
    .prepare("SELECT seed, population_hash AS hash FROM samples WHERE population_id = ? AND status = 'active'")
    .get(population.id) as { seed: string; hash: string };
  const keys = (
    s
      .prepare(
        'SELECT pi.key FROM sample_items si JOIN samples sm ON sm.id = si.sample_id JOIN population_items pi ON pi.id = si.population_item_id WHERE sm.population_id = ? ORDER BY si.sequence',
      )
      .all(population.id) as { key: string }[]
  ).map((r) => r.key);
  const base = `/engagements/${eid}/controls/${control.id}/workpaper/${population.id}`;
  return { controlId: control.id, base, print: `${base}/print`, pdf: `${base}/pdf`, sample, keys };
}

/** Text as a reader sees it: tags dropped, the entities eta writes read back, white space collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('printable workpaper', () => {
  it('holds the whole CC1.4-01 workpaper: plan, selection, every item, the exception, conclusion, sign-offs and the open note', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    const wp = workpaperOf(t, 'CC1.4-01');
    expect(wp.keys).toHaveLength(41);
    const res = await senior.get(wp.print);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const body = text(res.body);
    expect(res.body).toContain('<link rel="stylesheet" href="/static/css/workpaper-print.css">');
    expect(res.body).toContain(`href="${wp.pdf}" download`);
    for (const expected of [
      'Nimbus Ledger, Inc.',
      'Workpaper — CC1.4-01',
      '1. Test plan',
      wp.sample.seed,
      wp.sample.hash,
      '25 planned, 41 after extension',
      'round 1: 16 items',
      'Exception noted',
      'Management agrees. The check cleared three days after the start date with no adverse findings.',
      CC14_RESULT,
      'Exceptions noted, operated effectively',
      'Prepared',
      'Document who approved the late background check',
      'Tickmark legend',
      'Agreed without exception',
      'management-response-background-checks.eml',
      'Printed on',
      'by Daniel Okafor',
    ]) {
      expect(body, expected).toContain(expected);
    }
    for (const key of wp.keys) expect(res.body, key).toContain(`<th scope="row">${key}</th>`);
    // Sections in the order a reviewer reads them.
    const order = [
      '1. Test plan',
      '2. Population',
      '3. Selection',
      '4. Test grid',
      '5. Exceptions',
      '6. Evaluation and conclusion',
      '7. Evidence files',
      '8. Sign-offs',
      '9. Review notes',
      'Printed on',
    ].map((h) => body.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    // The evidence files are listed with their SHA-256.
    const sha = (
      t.app.conn.sqlite
        .prepare("SELECT sha256 FROM evidence_files WHERE original_name = 'management-response-background-checks.eml'")
        .get() as { sha256: string }
    ).sha256;
    expect(res.body).toContain(sha);
  });

  it('is linked from the workpaper as "Print / PDF"', async () => {
    const t = await buildTestApp();
    const staff = await loginAs(t.app, 'staff');
    const wp = workpaperOf(t, 'CC1.4-01');
    const page = await staff.get(wp.base);
    expect(page.body).toContain(`<a class="button" href="${wp.print}">Print / PDF</a>`);
    expect((await staff.get(wp.print)).statusCode).toBe(200);
  });

  it('is not found for a user off the team, sends the anonymous to log in, and 404s ids that do not belong together', async () => {
    const t = await buildTestApp();
    const wp = workpaperOf(t, 'CC1.4-01');
    const other = workpaperOf(t, 'CC7.1-01');
    const anonymous = await t.app.inject({ method: 'GET', url: wp.print });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login');
    const admin = await loginAs(t.app, 'admin');
    for (const url of [wp.print, wp.pdf]) {
      const res = await admin.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('CC1.4-01');
    }
    const senior = await loginAs(t.app, 'senior');
    const mixed = `${other.base.replace(/\/workpaper\/\d+$/, '')}/workpaper/${wp.base.split('/').at(-1)}/print`;
    expect((await senior.get(mixed)).statusCode).toBe(404);
  });

  it('escapes hostile text in the control, test plan, exception and review note', async () => {
    const t = await buildTestApp();
    const wp = workpaperOf(t, 'CC1.4-01');
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const s = t.app.conn.sqlite;
    s.prepare('UPDATE controls SET description = ?, owner = ? WHERE id = ?').run(hostile, hostile, wp.controlId);
    s.prepare('UPDATE test_attributes SET text = ? WHERE control_id = ?').run(hostile, wp.controlId);
    s.prepare(
      'UPDATE exceptions SET management_response = ? WHERE workpaper_id IN (SELECT id FROM workpapers WHERE control_id = ?)',
    ).run(hostile, wp.controlId);
    s.prepare('UPDATE review_note_messages SET body = ?').run(hostile);
    const senior = await loginAs(t.app, 'senior');
    const res = await senior.get(wp.print);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('workpaper PDF', () => {
  it('is a PDF attachment named after the control, printed by Chromium', async () => {
    // The test machine and the CI have Chromium: its absence is a failure, not a skip.
    expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`).toBe(true);
    const t = await buildTestApp({ env: { TICKMARK_CHROMIUM: CHROMIUM } });
    const staff = await loginAs(t.app, 'staff');
    const wp = workpaperOf(t, 'CC7.1-01');
    const res = await staff.get(wp.pdf);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="CC7.1-01 workpaper.pdf"; filename*=UTF-8''CC7.1-01%20workpaper.pdf`,
    );
    expect(res.headers['cache-control']).toBe('private, no-store');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    expect(pdf.length).toBeGreaterThan(10_000);
    // The engagement's paper, landscape: the demo is a US firm's SOC 2 engagement, so US Letter (792 × 612 points).
    const boxes = pdf.toString('latin1').match(/\/MediaBox \[[^\]]*\]/g) ?? [];
    expect(boxes.length).toBeGreaterThan(1);
    for (const box of boxes) expect(box).toBe('/MediaBox [0 0 792 612]');
    // HEAD is not answered by printing a PDF for nothing.
    const head = await t.app.inject({ method: 'HEAD', url: wp.pdf, headers: { cookie: staff.cookie } });
    expect(head.statusCode).toBe(404);
  });

  it('answers 503 with the way out when Chromium is missing', async () => {
    const t = await buildTestApp({ env: { TICKMARK_CHROMIUM: '/nonexistent/chromium' } });
    expect(t.config.chromiumPath).toBe(path.resolve('/nonexistent/chromium'));
    const senior = await loginAs(t.app, 'senior');
    const wp = workpaperOf(t, 'CC1.4-01');
    const res = await senior.get(wp.pdf);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(text(res.body)).toContain('This server cannot print PDFs');
    expect(res.body).toContain(`href="${wp.print}"`);
    expect(text(res.body)).toContain('use your browser’s Print');
  });
});
