// Import: the archive is unpacked and checked in full (manifest hashes, data, original trail) before anything
// is written; then the evidence goes into the store and the rows into the database in one transaction. A
// failure at any point takes back the evidence files this import added.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { evidenceFiles } from '../../db/schema/index.js';
import type { CurrentUser } from '../auth/current-user.js';
import type { EvidenceStorage } from '../evidence/storage.js';
import { ENGAGEMENT_FILE, EVIDENCE_PREFIX, TRAIL_FILE, type Manifest } from './archive-format.js';
import type { EngagementData } from './export-data.js';
import { importData, type ImportOutcome } from './import-data.js';
import { ArchiveRefused, readArchive } from './read-archive.js';
import { parseEngagementData, parseTrail } from './validate-data.js';

export interface ImportResult extends ImportOutcome {
  manifest: Manifest;
  manifestSha256: string;
  originalTrailEntries: number;
}

/** Each evidence row's content is a file of the archive of the size the row says, and each file is used. */
function checkEvidence(data: EngagementData, manifest: Manifest): string[] {
  const files = new Map(manifest.files.filter((f) => f.name.startsWith(EVIDENCE_PREFIX)).map((f) => [f.sha256, f]));
  const used = new Set<string>();
  for (const [i, row] of (data.tables.evidence_files ?? []).entries()) {
    const sha = String(row.sha256);
    const file = files.get(sha);
    if (!file || file.name !== `${EVIDENCE_PREFIX}${sha}`) throw new ArchiveRefused(`engagement.json: evidence_files row ${i + 1} names content ${sha.slice(0, 64)} that the archive does not hold. Nothing was imported.`);
    if (file.size !== row.size) throw new ArchiveRefused(`engagement.json: evidence_files row ${i + 1} gives a size that does not match ${file.name}. Nothing was imported.`);
    used.add(sha);
  }
  const unused = [...files.values()].find((f) => !used.has(f.sha256) || f.name !== `${EVIDENCE_PREFIX}${f.sha256}`);
  if (unused) throw new ArchiveRefused(`${unused.name} is not the evidence of any file in engagement.json. Nothing was imported.`);
  return [...used].sort();
}

/** A row the database refuses (a duplicate reference, a broken check) refuses the archive; the transaction is gone. */
function insertAll<T>(db: Db, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) throw new ArchiveRefused(`engagement.json holds data this instance's rules refuse (${(err as Error).message}). Nothing was imported.`);
    throw err;
  }
}

export async function importArchive(db: Db, storage: EvidenceStorage, actor: CurrentUser, upload: string, scratchRoot: string, maxBytes: number): Promise<ImportResult> {
  const archive = await readArchive(upload, scratchRoot, maxBytes);
  try {
    const { manifest, manifestSha256 } = archive;
    const data = parseEngagementData(readFileSync(archive.pathOf(ENGAGEMENT_FILE)));
    const sourceId = data.tables.engagements![0]!.id as number;
    if (sourceId !== manifest.engagement.id) throw new ArchiveRefused('engagement.json holds a different engagement from the one the manifest names. Nothing was imported.');
    const trail = parseTrail(readFileSync(archive.pathOf(TRAIL_FILE)), sourceId);
    const shas = checkEvidence(data, manifest);
    const added: string[] = [];
    try {
      for (const sha of shas) {
        if (storage.reuse(sha)) continue;
        const stored = await storage.put(archive.pathOf(`${EVIDENCE_PREFIX}${sha}`));
        added.push(stored.sha256);
        if (stored.sha256 !== sha) throw new ArchiveRefused(`${EVIDENCE_PREFIX}${sha} changed while it was being imported. Nothing was imported.`);
      }
      const outcome = insertAll(db, () => db.transaction((tx) => importData(tx, actor, manifest, manifestSha256, data, trail)));
      return { ...outcome, manifest, manifestSha256, originalTrailEntries: trail.entries.length };
    } catch (err) {
      for (const sha of added) if (!db.select({ id: evidenceFiles.id }).from(evidenceFiles).where(eq(evidenceFiles.sha256, sha)).get()) storage.remove(sha);
      throw err;
    }
  } finally {
    archive.remove();
  }
}
