// Receiving one uploaded file: streamed to a private folder under the data directory, size-limited.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';

export class UploadError extends Error {}

export interface ReceivedUpload {
  file: string;
  originalName: string;
  bytes: number;
  fields: Record<string, string>;
}

function fieldValues(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    const f = Array.isArray(field) ? field[0] : field;
    if (f && typeof f === 'object' && 'value' in f && typeof f.value === 'string') out[name] = f.value;
  }
  return out;
}

/** A name safe to show and to put in a download header: no paths, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}

export async function receiveUpload(req: FastifyRequest, folder: string, maxBytes: number): Promise<ReceivedUpload> {
  if (!req.isMultipart()) throw new UploadError('Choose a file to upload.');
  const part = await req.file({ limits: { fileSize: maxBytes } });
  if (!part) throw new UploadError('Choose a file to upload.');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${randomUUID()}.upload`);
  let bytes = 0;
  part.file.on('data', (chunk: Buffer) => (bytes += chunk.length));
  try {
    await pipeline(part.file, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    rmSync(file, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new UploadError(`The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    throw err;
  }
  if (part.file.truncated) {
    rmSync(file, { force: true });
    throw new UploadError(`The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
  if (bytes === 0) {
    rmSync(file, { force: true });
    throw new UploadError('The file is empty.');
  }
  return { file, originalName: safeFileName(part.filename), bytes, fields: fieldValues(part.fields as Record<string, unknown>) };
}
