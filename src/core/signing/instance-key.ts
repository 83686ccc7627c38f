// This instance's signing key: made on first start in the data directory (file mode 0600), never in the
// database, so a copy of the database alone can neither sign archives nor forge trail checkpoints.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { publicKeyInfo, signBytes, type PublicKeyInfo } from './keys.js';

export const KEY_FILE = 'signing-key.pem';

export interface InstanceKey {
  /** Where the private key lives: whoever can read this file can sign as this instance. */
  file: string;
  publicKey: PublicKeyInfo;
  /** Base64 Ed25519 signature of exactly these bytes. */
  sign(bytes: Buffer): string;
}

function fromPrivateKey(file: string, privateKey: KeyObject): InstanceKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
  return { file, publicKey: publicKeyInfo(privateKey), sign: (bytes) => signBytes(privateKey, bytes) };
}

/** The key in `dir`, or null when there is none (for tools that must not create one). */
export function readInstanceKey(dir: string): InstanceKey | null {
  const file = path.join(dir, KEY_FILE);
  if (!existsSync(file)) return null;
  return fromPrivateKey(file, createPrivateKey(readFileSync(file, 'utf8')));
}

/** The instance's key, created on first start. */
export function loadInstanceKey(dataDir: string): InstanceKey {
  const existing = readInstanceKey(dataDir);
  if (existing) return existing;
  const file = path.join(dataDir, KEY_FILE);
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    // 'wx': should another process have created it meanwhile, theirs is kept and read below.
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readInstanceKey(dataDir)!;
}
