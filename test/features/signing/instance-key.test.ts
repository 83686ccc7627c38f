import { RuleError } from '../../../src/core/errors.js';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KEY_FILE,
  loadInstanceKey,
  parsePublicKey,
  readInstanceKey,
  verifyBytes,
} from '../../../src/core/signing/index.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("the instance's signing key", () => {
  it('is made once in the data directory, readable by its owner only, and kept across starts', () => {
    const dir = tempDir();
    expect(readInstanceKey(dir)).toBeNull();
    const first = loadInstanceKey(dir);
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, KEY_FILE), 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = loadInstanceKey(dir);
    expect(again.publicKey.fingerprint).toBe(first.publicKey.fingerprint);
    expect(first.publicKey.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(loadInstanceKey(tempDir()).publicKey.fingerprint).not.toBe(first.publicKey.fingerprint);
  });

  it('signs exactly the bytes given: a changed byte or another key does not verify', () => {
    const key = loadInstanceKey(tempDir());
    const bytes = Buffer.from('{"format":"x"}');
    const signature = key.sign(bytes);
    expect(verifyBytes(key.publicKey.key, bytes, signature)).toBe(true);
    expect(verifyBytes(key.publicKey.key, Buffer.from('{"format":"y"}'), signature)).toBe(false);
    expect(verifyBytes(loadInstanceKey(tempDir()).publicKey.key, bytes, signature)).toBe(false);
    expect(verifyBytes(key.publicKey.key, bytes, 'not a signature')).toBe(false);
  });

  it('reads a public key pasted as PEM or as its base64 body, and refuses anything else', () => {
    const key = loadInstanceKey(tempDir());
    expect(parsePublicKey(key.publicKey.pem).fingerprint).toBe(key.publicKey.fingerprint);
    expect(parsePublicKey(`  ${key.publicKey.der}\n`).fingerprint).toBe(key.publicKey.fingerprint);
    expect(() => parsePublicKey('hello')).toThrow(RuleError);
    expect(() => parsePublicKey('')).toThrow(RuleError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'pem',
      type: 'spki',
    }) as string;
    expect(() => parsePublicKey(rsa)).toThrow(/Ed25519 keys only/);
  });
});
