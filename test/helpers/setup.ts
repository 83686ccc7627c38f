// Runs before every test file (both configs' setupFiles), so the hooks are registered per file even when
// test:fast shares modules between files.
import { afterAll, afterEach } from 'vitest';
import { closeAll, closedAfterFile, closedAfterTest } from './open-apps.js';

afterEach(() => closeAll(closedAfterTest));
afterAll(() => closeAll(closedAfterFile));
