import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { describe, expect, onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoIfEmpty } from '../../src/features/demo/seed.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const skip = process.env.TICKMARK_SKIP_BROWSER === '1';

/**
 * `describe` for browser stories: skipped only when TICKMARK_SKIP_BROWSER=1 says so; a missing Chromium is
 * a failure with instructions, never a silent skip.
 */
export const describeBrowser = skip ? describe.skip : describe;

export interface Session {
  app: FastifyInstance;
  /** The demo engagement's id. */
  demoEngagementId: number;
  baseUrl: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** The app with the demo, and Chromium on it; closed (and its console checked) when the test ends. */
export async function startSession(): Promise<Session> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get update && apt-get install -y chromium), ` +
        'point CHROMIUM_PATH at it, or skip the browser tests explicitly with TICKMARK_SKIP_BROWSER=1.',
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-e2e-'));
  const config = loadConfig({ TICKMARK_DATA_DIR: dir, TICKMARK_SESSION_SECRET: 'e'.repeat(40), LOG_LEVEL: 'silent' });
  const app = await buildApp(config, { logger: false });
  await seedDemoIfEmpty(app.conn, dir);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  // Navigations to 403/404 pages are deliberate; a failing stylesheet, script or image is not.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  page.on('response', (res) => {
    const type = res.request().resourceType();
    // The test grid answers a refused mark (422) or a conflicting one (409) with the cell to show: an answer, not a failure.
    const answered = (type === 'fetch' || type === 'xhr') && (res.status() === 409 || res.status() === 422);
    if (type !== 'document' && res.status() >= 400 && !answered) errors.push(`${res.status()} ${res.url()}`);
  });
  const session: Session = {
    app,
    demoEngagementId: (app.conn.sqlite.prepare('SELECT id FROM engagements LIMIT 1').get() as { id: number }).id,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    page,
    async close() {
      await browser.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
      // A CSP violation or a script error on any page fails the story.
      expect(errors, 'browser console errors').toEqual([]);
    },
  };
  onTestFinished(() => session.close());
  return session;
}

/** axe-core on the current page: serious or critical violations fail the test. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) =>
      `${v.impact}: ${v.id} — ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join('; ')})`,
  );
  expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** Navigates and checks the page it lands on. */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expectAccessible(page);
}

export async function logIn(
  session: Session,
  who: 'staff' | 'senior' | 'manager' | 'partner' | 'admin',
): Promise<void> {
  const { page, baseUrl } = session;
  await visit(page, `${baseUrl}/login`);
  await page.getByLabel('Email').fill(`${who}@demo.tickmark.test`);
  await page.getByLabel('Password').fill('tickmark-demo-2025');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await expectAccessible(page);
}
