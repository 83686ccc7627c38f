// The test apps still open, closed (and their temporary directories deleted) by the hooks in setup.ts: after
// each test, or with `keep` after the last test of the file. Kept apart from app.ts so that a test of pure
// rules does not import the whole app for its hooks.
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

interface OpenApp {
  app: FastifyInstance;
  dir: string;
}

export const closedAfterTest: OpenApp[] = [];
export const closedAfterFile: OpenApp[] = [];

export async function closeAll(apps: OpenApp[]): Promise<void> {
  for (const t of apps.splice(0)) {
    await t.app.close();
    rmSync(t.dir, { recursive: true, force: true });
  }
}
