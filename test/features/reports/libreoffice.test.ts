// Word output opens cleanly in LibreOffice as well as Word (#11 item 7): Section IV and the Section I draft are
// converted by `soffice --headless` to PDF (it must exist and hold pages) and to text (a known sentence must be
// in it). Like the browser stories, a missing soffice fails with instructions; only TICKMARK_SKIP_LIBREOFFICE=1
// skips it, explicitly.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

const SOFFICE = process.env.SOFFICE_PATH || '/usr/bin/soffice';
const describeOffice = process.env.TICKMARK_SKIP_LIBREOFFICE === '1' ? describe.skip : describe;
const run = promisify(execFile);

/** Converts `file` with a profile of its own (parallel runs do not share LibreOffice's lock), returns the output path. */
async function convert(file: string, to: 'pdf' | 'txt:Text'): Promise<string> {
  if (!existsSync(SOFFICE)) {
    throw new Error(
      `LibreOffice not found at ${SOFFICE}. Install it (Debian: apt-get install -y --no-install-recommends libreoffice-writer-nogui), point SOFFICE_PATH at it, or skip these tests explicitly with TICKMARK_SKIP_LIBREOFFICE=1.`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-soffice-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const profile = path.join(dir, 'profile');
  await run(
    SOFFICE,
    [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', dir, file],
    { timeout: 120_000 },
  );
  return path.join(dir, `${path.basename(file, '.docx')}.${to.split(':')[0]}`);
}

async function download(url: (base: string) => string): Promise<string> {
  const t = await buildTestApp();
  const client = await loginAs(t.app, 'senior');
  const res = await client.get(url(`/engagements/${demoEngagementId(t)}/reports`));
  expect(res.statusCode).toBe(200);
  const file = path.join(t.dir, `report-${Date.now()}.docx`);
  writeFileSync(file, res.rawPayload);
  return file;
}

async function expectOpens(file: string, sentence: string): Promise<void> {
  const pdf = await convert(file, 'pdf');
  expect(existsSync(pdf)).toBe(true);
  expect(statSync(pdf).size).toBeGreaterThan(5_000);
  expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = readFileSync(await convert(file, 'txt:Text'), 'utf8').replace(/\s+/g, ' ');
  expect(text).toContain(sentence);
}

describeOffice('Word output in LibreOffice', () => {
  it('converts Section IV to a PDF and its text holds the introduction and a result sentence', {
    timeout: 240_000,
  }, async () => {
    const file = await download((base) => `${base}/section-iv.docx`);
    await expectOpens(
      file,
      "Exception noted. For 1 of 41 new hires sampled, the background check was completed after the employee's start date.",
    );
    const text = readFileSync(await convert(file, 'txt:Text'), 'utf8');
    expect(text).toContain(
      'The types of tests performed to test the operating effectiveness of the controls are described below:',
    );
  });

  it('converts the Section I draft to a PDF and its text holds the opinion heading', { timeout: 240_000 }, async () => {
    const file = await download((base) => `${base}/section-i.docx`);
    await expectOpens(file, "Section I: Independent service auditor's report");
  });
});
