import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = (env: Record<string, string> = {}) =>
  loadConfig({ TICKMARK_DATA_DIR: dir, TICKMARK_SESSION_SECRET: 'x'.repeat(40), ...env });

describe('request timeouts', () => {
  it('gives the largest upload 15 minutes by default, or what it needs at 32 KiB/s if that is longer', () => {
    const plain = load();
    expect(plain.requestTimeoutMs).toBe(900_000);
    expect(plain.headersTimeoutMs).toBe(30_000);
    // 25 MB at 32 KiB/s takes 800 s: inside the 15 minutes.
    expect(plain.maxUploadBytes / (32 * 1024)).toBeLessThan(plain.requestTimeoutMs / 1000);
    const big = load({ TICKMARK_MAX_UPLOAD_MB: '200' });
    expect(big.requestTimeoutMs).toBe(6_400_000);
  });

  it('takes both from the environment and refuses a header timeout beyond the request timeout', () => {
    expect(load({ TICKMARK_REQUEST_TIMEOUT_S: '3600', TICKMARK_HEADERS_TIMEOUT_S: '10' })).toMatchObject({
      requestTimeoutMs: 3_600_000,
      headersTimeoutMs: 10_000,
    });
    expect(() => load({ TICKMARK_REQUEST_TIMEOUT_S: '5', TICKMARK_HEADERS_TIMEOUT_S: '10' })).toThrow(
      /must not exceed/,
    );
    expect(() => load({ TICKMARK_HEADERS_TIMEOUT_S: '0' })).toThrow(/between 1 and 600/);
  });
});
