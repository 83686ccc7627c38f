// A stored file sent back to the browser: always an attachment, never rendered in the app's origin, whatever it holds.
import type { FastifyReply } from 'fastify';
import { attachmentDisposition, EVIDENCE_TYPES } from '../../core/files/sniff.js';
import type { EvidenceStorage } from '../../core/files/storage.js';

export interface StoredFile {
  sha256: string;
  fileType: string;
  originalName: string;
  size: number;
}

export function sendAsAttachment(reply: FastifyReply, storage: EvidenceStorage, file: StoredFile) {
  const known = EVIDENCE_TYPES[file.fileType as keyof typeof EVIDENCE_TYPES];
  return reply
    .header('content-type', known?.contentType ?? 'application/octet-stream')
    .header('content-disposition', attachmentDisposition(file.originalName))
    .header('content-length', file.size)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(storage.read(file.sha256));
}
