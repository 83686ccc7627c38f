// Ed25519 keys as Tickmark shows and exchanges them: the public key as SubjectPublicKeyInfo (PEM to copy,
// base64 DER to store), named by its SHA-256 fingerprint.
import { RuleError } from '../errors.js';
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface PublicKeyInfo {
  key: KeyObject;
  /** SubjectPublicKeyInfo DER, base64. */
  der: string;
  pem: string;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
}

/** The public half of a key (given either half). */
export function publicKeyInfo(given: KeyObject): PublicKeyInfo {
  const key = given.type === 'private' ? createPublicKey(given) : given;
  const der = key.export({ format: 'der', type: 'spki' });
  return {
    key,
    der: der.toString('base64'),
    pem: String(key.export({ format: 'pem', type: 'spki' })),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

const PEM = /^-----BEGIN PUBLIC KEY-----([\s\S]*)-----END PUBLIC KEY-----$/;

/** A public key as pasted by a person: the PEM block this instance shows, or its base64 body alone. */
export function parsePublicKey(text: string): PublicKeyInfo {
  const trimmed = text.trim();
  const body = (PEM.exec(trimmed)?.[1] ?? trimmed).replace(/\s+/g, '');
  if (body.length === 0 || body.length > 1000 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
    throw new RuleError(
      'Paste the public key as Tickmark shows it: the block from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.',
      { field: 'publicKey' },
    );
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new RuleError('This is not a readable public key.', { field: 'publicKey' });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new RuleError(
      `This is a ${key.asymmetricKeyType ?? 'different'} key; Tickmark signs with Ed25519 keys only.`,
      { field: 'publicKey' },
    );
  return publicKeyInfo(key);
}

export function signBytes(privateKey: KeyObject, bytes: Buffer): string {
  return sign(null, bytes, privateKey).toString('base64');
}

/** True when `signature` (base64) is the key's Ed25519 signature of exactly these bytes. */
export function verifyBytes(publicKey: KeyObject, bytes: Buffer, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  return verify(null, bytes, publicKey, Buffer.from(signature, 'base64'));
}

/** "3f2a 9c01 …": the fingerprint in groups of four, for people to compare by eye. */
export function formatFingerprint(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}
