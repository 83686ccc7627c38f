// Unpacking an uploaded archive into a scratch folder and checking it against its manifest. Nothing here
// touches the database or the evidence store: a refused archive leaves no trace but the removed folder.
import { RuleError } from '../../core/errors.js';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readZip } from '../backup/index.js';
import { assertReasonableZip } from '../../core/files/zip-guard.js';
import { isArchiveFileName, MANIFEST_FILE, manifestSchema, SIGNATURE_FILE, type Manifest } from './archive-format.js';

export interface UnpackedArchive {
  dir: string;
  manifest: Manifest;
  /** The manifest exactly as received: the signature is over these bytes. */
  manifestBytes: Buffer;
  manifestSha256: string;
  /** manifest.sig as received, or null for an unsigned archive. */
  signatureBytes: Buffer | null;
  pathOf(name: string): string;
  remove(): void;
}

interface Received {
  size: number;
  sha256: string;
}

const MAX_SIGNATURE_BYTES = 16 * 1024;
const NOT_AN_ARCHIVE = 'The file is not a Tickmark engagement archive: it is not a readable ZIP file.';

async function unpack(file: string, dir: string, maxBytes: number): Promise<Map<string, Received>> {
  const received = new Map<string, Received>();
  await readZip(
    file,
    async (name, open) => {
      if (name.endsWith('/')) return; // a folder entry holds nothing
      if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE && !isArchiveFileName(name))
        throw new RuleError(
          `The archive holds a file no engagement archive has: ${name.slice(0, 200)}. Nothing was imported.`,
        );
      if (received.has(name)) throw new RuleError(`The archive holds ${name} twice. Nothing was imported.`);
      const target = path.join(dir, name);
      mkdirSync(path.dirname(target), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const count = new Transform({
        transform: (chunk: Buffer, _e, done) => {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(await open(), count, createWriteStream(target, { mode: 0o600 }));
      received.set(name, { size, sha256: hash.digest('hex') });
    },
    maxBytes,
  ).catch((err: unknown) => {
    if (err instanceof RuleError) throw err;
    throw new RuleError(`${NOT_AN_ARCHIVE} (${(err as Error).message})`);
  });
  return received;
}

function parseManifest(bytes: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RuleError('manifest.json is not valid JSON. Nothing was imported.');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleError(
      `manifest.json is not a Tickmark engagement archive manifest (${issue.path.join('.') || 'manifest'}: ${issue.message}). Nothing was imported.`,
    );
  }
  return parsed.data;
}

/** Every listed file present with its size and SHA-256, and nothing unlisted: the first difference is named. */
function checkAgainstManifest(manifest: Manifest, received: Map<string, Received>): void {
  for (const f of manifest.files) {
    const got = received.get(f.name);
    if (!got)
      throw new RuleError(`${f.name} is listed in the manifest but missing from the archive. Nothing was imported.`);
    if (got.size !== f.size || got.sha256 !== f.sha256)
      throw new RuleError(
        `${f.name} does not match the SHA-256 and size in the manifest: the archive was altered or damaged. Nothing was imported.`,
      );
  }
  const listed = new Set(manifest.files.map((f) => f.name));
  for (const name of received.keys())
    if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE && !listed.has(name))
      throw new RuleError(`${name} is in the archive but not in its manifest. Nothing was imported.`);
}

/** Checks the ZIP's directory, unpacks it with every guard, and verifies it against its manifest. */
export async function readArchive(file: string, scratchRoot: string, maxBytes: number): Promise<UnpackedArchive> {
  await assertReasonableZip(file, {
    maxTotal: maxBytes * 4,
    unreadable: NOT_AN_ARCHIVE,
    tooLarge: 'The archive expands to far more data than it should (a compressed "zip bomb"); it was not opened.',
  }).catch((err: Error) => {
    throw new RuleError(err.message);
  });
  mkdirSync(scratchRoot, { recursive: true });
  const dir = mkdtempSync(path.join(scratchRoot, 'import-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const received = await unpack(file, dir, maxBytes * 4);
    if (!received.has(MANIFEST_FILE))
      throw new RuleError(
        'The archive has no manifest.json: it is not a Tickmark engagement archive. Nothing was imported.',
      );
    const manifestBytes = readFileSync(path.join(dir, MANIFEST_FILE));
    const manifest = parseManifest(manifestBytes);
    checkAgainstManifest(manifest, received);
    const signature = received.get(SIGNATURE_FILE);
    if (signature && signature.size > MAX_SIGNATURE_BYTES)
      throw new RuleError(`${SIGNATURE_FILE} is far larger than a signature. Nothing was imported.`);
    const signatureBytes = signature ? readFileSync(path.join(dir, SIGNATURE_FILE)) : null;
    return {
      dir,
      manifest,
      manifestBytes,
      manifestSha256: received.get(MANIFEST_FILE)!.sha256,
      signatureBytes,
      pathOf: (name) => path.join(dir, name),
      remove,
    };
  } catch (err) {
    remove();
    throw err;
  }
}
