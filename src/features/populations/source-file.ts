// The client's file exactly as uploaded, kept in the evidence store beside the working copy the mapping reads:
// the working copy goes once the population is imported, the original stays (and travels in the archive).
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceStorage, StoredBlob } from '../../core/files/storage.js';

/** Stores a copy of an upload already sniffed and size-limited; identical content is stored once. */
export async function storeSourceFile(storage: EvidenceStorage, upload: string): Promise<StoredBlob> {
  mkdirSync(storage.incomingDir, { recursive: true });
  const copy = path.join(storage.incomingDir, `${randomUUID()}.population`);
  try {
    copyFileSync(upload, copy);
    return await storage.put(copy);
  } finally {
    rmSync(copy, { force: true });
  }
}
