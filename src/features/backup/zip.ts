// Small promise wrappers over yazl (write) and yauzl (read) for the backup and archive files.
import { createReadStream, createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import yazl from 'yazl';
import yauzl from 'yauzl';

export interface ZipSource {
  /** Path inside the ZIP, with forward slashes. */
  name: string;
  file?: string;
  content?: Buffer;
  /** Opened only when the ZIP reaches this entry, so a large archive never holds its files in memory. */
  open?: () => Readable;
}

/** The ZIP as a stream, for sending straight to a download. */
export function zipStream(sources: ZipSource[]): Readable {
  const zip = new yazl.ZipFile();
  for (const s of sources) {
    if (s.file) zip.addFile(s.file, s.name);
    else if (s.open) {
      const open = s.open;
      zip.addReadStreamLazy(s.name, (cb) => cb(null, open()));
    } else zip.addBuffer(s.content ?? Buffer.alloc(0), s.name);
  }
  zip.end();
  return zip.outputStream as Readable;
}

export async function writeZip(target: string, sources: ZipSource[]): Promise<void> {
  await pipeline(zipStream(sources), createWriteStream(target));
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(
    createReadStream(file),
    new Writable({
      write: (chunk, _e, done) => {
        hash.update(chunk);
        done();
      },
    }),
  );
  return hash.digest('hex');
}

export type ZipEntryHandler = (name: string, open: () => Promise<NodeJS.ReadableStream>, size: number) => Promise<void>;

/**
 * Reads every entry in turn. yauzl checks the sizes the ZIP declares against what it inflates, so a
 * disguised zip bomb fails instead of filling the disk; `maxEntryBytes` caps any single entry as well.
 */
export async function readZip(file: string, onEntry: ZipEntryHandler, maxEntryBytes = 8 * 2 ** 30): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.includes('..') || entry.fileName.startsWith('/'))
          return reject(new Error(`unsafe path in the archive: ${entry.fileName}`));
        if (entry.uncompressedSize > maxEntryBytes) return reject(new Error(`${entry.fileName} is too large`));
        const open = () =>
          new Promise<NodeJS.ReadableStream>((res, rej) =>
            zip.openReadStream(entry, (err, stream) => (err ? rej(err) : res(stream))),
          );
        onEntry(entry.fileName, open, entry.uncompressedSize).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
