// Receiving one uploaded file: streamed to a private folder under the data directory, size-limited.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { safeFileName } from '../files/file-names.js';
import { RuleError } from '../errors.js';

/** An upload refused before anything was stored (no file, an empty one, one over the limit): beside the file field. */
export const uploadRefused = (message: string) => new RuleError(message, { field: 'file' });

/**
 * A limit the multipart parser enforced, as the refusal (413) beside the file field: `tooLarge` for a file over
 * the size, and one message for a second file or too many fields. Any other error is returned as it is.
 */
export function uploadLimitRefusal(err: unknown, tooLarge: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new RuleError(tooLarge, { field: 'file', status: 413 });
  if (code.startsWith('FST_') && code.endsWith('_LIMIT'))
    return new RuleError('Upload one file at a time.', { field: 'file', status: 413 });
  return err;
}

export interface ReceivedUpload {
  file: string;
  originalName: string;
  bytes: number;
  /** Of the content, worked out while it was received. */
  sha256: string;
  /** The first and last bytes (as many as `keep` asked for), for sniffing without reading the file again. */
  head: Buffer;
  tail: Buffer;
  fields: Record<string, string>;
}

/** How much of the start and end of an upload to keep in memory. */
export interface KeepBytes {
  head: number;
  tail: number;
}

/** Collects the first and last bytes of a stream as it passes. */
export class StreamEnds {
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private tailChunks: Buffer[] = [];
  private tailLength = 0;

  constructor(private readonly keep: KeepBytes) {}

  add(chunk: Buffer): void {
    if (this.headLength < this.keep.head) {
      const part = chunk.subarray(0, this.keep.head - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    if (this.keep.tail === 0) return;
    this.tailChunks.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailChunks.length > 1 && this.tailLength - this.tailChunks[0]!.length >= this.keep.tail)
      this.tailLength -= this.tailChunks.shift()!.length;
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  get tail(): Buffer {
    const all = Buffer.concat(this.tailChunks);
    return all.subarray(Math.max(0, all.length - this.keep.tail));
  }
}

function fieldValues(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    const f = Array.isArray(field) ? field[0] : field;
    if (f && typeof f === 'object' && 'value' in f && typeof f.value === 'string') out[name] = f.value;
  }
  return out;
}

interface FirstPart {
  read: Promise<MultipartFile | undefined>;
  part?: MultipartFile;
}
const firstParts = new WeakMap<FastifyRequest, FirstPart>();

/** Whether the request is a multipart form of a route that takes uploads (only those register the parser). */
export function isUploadRequest(req: FastifyRequest): boolean {
  return typeof req.isMultipart === 'function' && req.isMultipart();
}

/**
 * The request's first file part, with the form fields sent before it. Read once: the CSRF check reads this far
 * (the token is a field before the file) and the route then gets the same part, its file not yet read.
 */
export function firstFilePart(req: FastifyRequest): Promise<MultipartFile | undefined> {
  const known = firstParts.get(req);
  if (known) return known.read;
  // Attached first, so `part` is set before any caller's own `then` runs.
  const entry: FirstPart = { read: req.file() };
  entry.read.then(
    (part) => (entry.part = part),
    () => undefined,
  );
  firstParts.set(req, entry);
  return entry.read;
}

/** A text field sent before the first file, once firstFilePart has read that far. */
export function fieldBeforeFile(req: FastifyRequest, name: string): string | undefined {
  const field = (firstParts.get(req)?.part?.fields as Record<string, unknown> | undefined)?.[name];
  return field && typeof field === 'object' && 'value' in field && typeof field.value === 'string'
    ? field.value
    : undefined;
}

/** A file the route never read (refused before it got there) is read to its end and dropped, so the connection can go on. */
export function discardUnreadUpload(req: FastifyRequest): void {
  const file = firstParts.get(req)?.part?.file;
  if (file && !file.readableEnded && !file.destroyed) file.resume();
}

/**
 * Streams the one file of a multipart request to `folder`, hashing it and keeping its ends on the way, so that
 * nothing has to read it again to check or store it.
 */
export async function receiveUpload(
  req: FastifyRequest,
  folder: string,
  maxBytes: number,
  keep: KeepBytes = { head: 0, tail: 0 },
): Promise<ReceivedUpload> {
  if (!req.isMultipart()) throw uploadRefused('Choose a file to upload.');
  // The size limit is the multipart parser's own (registered with the route's plugin as maxBytes).
  const part = await firstFilePart(req);
  if (!part) throw uploadRefused('Choose a file to upload.');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${randomUUID()}.upload`);
  let bytes = 0;
  const hash = createHash('sha256');
  const ends = new StreamEnds(keep);
  part.file.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    hash.update(chunk);
    ends.add(chunk);
  });
  try {
    await pipeline(part.file, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    rmSync(file, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw uploadRefused(`The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    throw err;
  }
  if (part.file.truncated) {
    rmSync(file, { force: true });
    throw uploadRefused(`The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
  if (bytes === 0) {
    rmSync(file, { force: true });
    throw uploadRefused('The file is empty.');
  }
  return {
    file,
    originalName: safeFileName(part.filename),
    bytes,
    sha256: hash.digest('hex'),
    head: ends.head,
    tail: ends.tail,
    fields: fieldValues(part.fields as Record<string, unknown>),
  };
}
