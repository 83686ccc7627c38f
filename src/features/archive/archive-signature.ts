// The archive's signature: the exporting instance's Ed25519 signature of the exact manifest.json bytes, in
// manifest.sig with the signer's public key. Since the manifest holds every other file's SHA-256, a valid
// signature by a trusted key vouches for the whole archive; an unsigned or otherwise signed archive vouches
// for nothing, however consistent its hashes.
import { RuleError } from '../../core/errors.js';
import { z } from 'zod';
import type { Tx } from '../../db/connection.js';
import {
  formatFingerprint,
  parsePublicKey,
  signerOf,
  verifyBytes,
  type InstanceKey,
  type PublicKeyInfo,
  type Signer,
} from '../../core/signing/index.js';

export const SIGNATURE_FORMAT = 'tickmark-manifest-signature-v1';

const signatureSchema = z
  .object({
    format: z.literal(SIGNATURE_FORMAT),
    algorithm: z.literal('Ed25519'),
    publicKey: z.string().max(1000),
    signature: z.string().max(200),
  })
  .strict();

export function signManifest(key: InstanceKey, manifestBytes: Buffer): Buffer {
  const signature = {
    format: SIGNATURE_FORMAT,
    algorithm: 'Ed25519',
    publicKey: key.publicKey.der,
    signature: key.sign(manifestBytes),
  };
  return Buffer.from(JSON.stringify(signature, null, 2));
}

/** How an archive's origin was judged: verified by a trusted signer, or not, and why. */
export type ArchiveTrust = { verified: true; signer: Signer; key: PublicKeyInfo } | { verified: false; reason: string };

function signatureKey(signatureBytes: Buffer, manifestBytes: Buffer): { key: PublicKeyInfo } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(signatureBytes.toString('utf8'));
  } catch {
    return { problem: 'its manifest.sig is not readable' };
  }
  const parsed = signatureSchema.safeParse(json);
  if (!parsed.success) return { problem: 'its manifest.sig is not a Tickmark signature' };
  try {
    const key = parsePublicKey(parsed.data.publicKey);
    if (!verifyBytes(key.key, manifestBytes, parsed.data.signature))
      return { problem: 'its signature does not match its manifest: the manifest was changed after it was signed' };
    return { key };
  } catch (err) {
    if (err instanceof RuleError) return { problem: 'its manifest.sig does not hold a usable Ed25519 public key' };
    throw err;
  }
}

/** Verified only when manifest.sig is a valid signature of these manifest bytes by a key this instance trusts. */
export function archiveTrust(
  db: Tx,
  own: InstanceKey,
  manifestBytes: Buffer,
  signatureBytes: Buffer | null,
): ArchiveTrust {
  if (!signatureBytes) return { verified: false, reason: 'the archive is not signed (it has no manifest.sig)' };
  const key = signatureKey(signatureBytes, manifestBytes);
  if ('problem' in key) return { verified: false, reason: key.problem };
  const signer = signerOf(db, own, key.key.fingerprint);
  if (!signer)
    return {
      verified: false,
      reason: `it is signed by a key this instance does not trust (fingerprint ${formatFingerprint(key.key.fingerprint)})`,
    };
  return { verified: true, signer, key: key.key };
}
