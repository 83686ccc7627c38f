// The one place evidence content is stored and read: content-addressed files under the data directory.
// A move to shared storage (S3 and the like) replaces this module and nothing else.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

export interface BlobOnDisk extends StoredBlob {
  /** When the content was last stored (or stored again): unreferenced content is collected only once it is old. */
  storedAt: Date;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class EvidenceStorage {
  constructor(private readonly root: string) {}

  static under(dataDir: string): EvidenceStorage {
    return new EvidenceStorage(path.join(dataDir, 'evidence'));
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Moves a received temporary file into the store; identical content is kept once. */
  async put(tempFile: string): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    await pipeline(createReadStream(tempFile), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        size += chunk.length;
        hash.update(chunk);
      }
    });
    return this.adopt(tempFile, { sha256: hash.digest('hex'), size });
  }

  /** Moves a file whose hash was worked out as it was received into the store, without reading it again. */
  adopt(tempFile: string, blob: StoredBlob): StoredBlob {
    const target = this.pathOf(blob.sha256);
    if (existsSync(target)) rmSync(tempFile, { force: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      renameSync(tempFile, target);
    }
    this.touch(target);
    return blob;
  }

  exists(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Whether the store holds the content; if so it counts as stored now, so it is not collected before the
   * caller has recorded its use. */
  reuse(sha256: string): boolean {
    const file = this.pathOf(sha256);
    if (!existsSync(file)) return false;
    this.touch(file);
    return true;
  }

  /** A stored file's mtime says when it was last stored: the collector's grace period runs from then. */
  private touch(file: string): void {
    const now = new Date();
    utimesSync(file, now, now);
  }

  /** Every stored file, read one folder at a time; files that vanish meanwhile are skipped. */
  *blobs(): Generator<BlobOnDisk> {
    for (const prefix of listNames(this.root).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
      for (const name of listNames(path.join(this.root, prefix))) {
        if (!SHA256.test(name) || name.slice(0, 2) !== prefix) continue;
        const stat = statSync(path.join(this.root, prefix, name), { throwIfNoEntry: false });
        if (stat?.isFile()) yield { sha256: name, size: stat.size, storedAt: stat.mtime };
      }
    }
  }

  read(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  /** Removes content no metadata refers to any more (the caller checks that). */
  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
  }

  /** Where received uploads wait before being sniffed and stored: on the same disk, so `put` is a rename. */
  get incomingDir(): string {
    return path.join(this.root, 'incoming');
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}
