// `npm run dev` (NODE_ENV=development) reads templates afresh on every render, so an edited view shows on the
// next request; otherwise templates are compiled once. Both are run on a copy of views/ that the test edits.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { findRootDir, loadConfig } from '../../src/config.js';

const root = findRootDir();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean();
});

async function appOnCopiedViews(nodeEnv: string) {
  const copy = mkdtempSync(path.join(tmpdir(), 'tickmark-views-'));
  for (const dir of ['views', 'static', 'migrations'])
    cpSync(path.join(root, dir), path.join(copy, dir), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  const config = loadConfig({
    TICKMARK_DB: ':memory:',
    TICKMARK_DATA_DIR: path.join(copy, 'data'),
    TICKMARK_SESSION_SECRET: 'x'.repeat(40),
    TICKMARK_DEMO: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: nodeEnv,
  });
  const app = await buildApp({ ...config, rootDir: copy }, { logger: false });
  cleanups.push(async () => {
    await app.close();
    rmSync(copy, { recursive: true, force: true });
  });
  const login = path.join(copy, 'views', 'auth', 'setup.eta');
  const edit = () =>
    writeFileSync(login, readFileSync(login, 'utf8').replace('</form>', '</form><p>Edited while running</p>'));
  return { app, edit };
}

async function setupPage(app: Awaited<ReturnType<typeof appOnCopiedViews>>['app']): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/setup' });
  expect(res.statusCode).toBe(200);
  return res.body;
}

describe('templates while developing', () => {
  it('shows an edited template on the next request under NODE_ENV=development', async () => {
    const { app, edit } = await appOnCopiedViews('development');
    expect(await setupPage(app)).not.toContain('Edited while running');
    edit();
    expect(await setupPage(app)).toContain('Edited while running');
  });

  it('keeps the compiled template otherwise', async () => {
    const { app, edit } = await appOnCopiedViews('production');
    await setupPage(app);
    edit();
    expect(await setupPage(app)).not.toContain('Edited while running');
  });

  it('keeps no rendered workpaper while developing, so an edited workpaper template shows too', () => {
    const base = {
      TICKMARK_DB: ':memory:',
      TICKMARK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'tickmark-cfg-')),
      TICKMARK_SESSION_SECRET: 'x'.repeat(40),
    };
    expect(loadConfig({ ...base, NODE_ENV: 'development' })).toMatchObject({ pageCache: false, reloadTemplates: true });
    expect(loadConfig(base)).toMatchObject({ pageCache: true, reloadTemplates: false });
  });
});
