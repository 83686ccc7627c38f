// What work in progress leaves behind when the process is killed (kill -9, power loss): uploaded archives and
// their unpacked folders, export scratch files, evidence and population uploads that never arrived. At start-up
// nothing of this process is in flight yet, so whatever these folders hold is a leftover.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { populations } from '../../db/schema/index.js';
import { EXPORT_SCRATCH } from '../archive/index.js';
import { BACKUP_WORK_PREFIX, RESTORE_WORK_PREFIX } from '../backup/index.js';
import { EvidenceStorage } from '../../core/files/storage.js';

/** Scratch folders under the data directory, by the code that writes them. */
export const SCRATCH_FOLDERS = {
  /** archive/import-routes.ts: uploaded archives (`*.upload`) and the `import-*` folders they are unpacked into. */
  archiveImport: 'archive-incoming',
  /** archive/export-snapshot.ts: engagement.json of exports being sent. */
  archiveExport: EXPORT_SCRATCH,
  /** populations/routes.ts and pbc/routes.ts: population files (kept while the population refers to them) and
   * request lists being imported. */
  uploads: 'uploads',
};

export interface Leftover {
  path: string;
  bytes: number;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).map((name) => path.join(dir, name));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

function bytesOf(file: string): number {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  return stat.isDirectory() ? entries(file).reduce((n, f) => n + bytesOf(f), 0) : stat.size;
}

function remove(files: string[]): Leftover[] {
  return files.map((file) => {
    const bytes = bytesOf(file);
    rmSync(file, { recursive: true, force: true });
    return { path: file, bytes };
  });
}

/** Population uploads no population refers to, by file name (the data directory may have moved since). */
function unreferencedUploads(db: Db, dir: string): string[] {
  const kept = new Set(
    db
      .select({ file: populations.uploadPath })
      .from(populations)
      .where(isNotNull(populations.uploadPath))
      .all()
      .map((p) => path.basename(p.file!)),
  );
  return entries(dir).filter((file) => !kept.has(path.basename(file)));
}

/** A backup or restore may be running in another process: only their folders older than `before` are left over. */
const staleWork = (dir: string, prefix: string, before: number) =>
  entries(dir).filter(
    (f) =>
      path.basename(f).startsWith(prefix) && (lstatSync(f, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < before,
  );

export function removeLeftovers(db: Db, dataDir: string, dbPath: string, staleBefore: Date): Leftover[] {
  const before = staleBefore.getTime();
  return [
    ...remove(entries(path.join(dataDir, SCRATCH_FOLDERS.archiveImport))),
    ...remove(entries(path.join(dataDir, SCRATCH_FOLDERS.archiveExport))),
    ...remove(entries(EvidenceStorage.under(dataDir).incomingDir)),
    ...remove(unreferencedUploads(db, path.join(dataDir, SCRATCH_FOLDERS.uploads))),
    ...remove(staleWork(dataDir, BACKUP_WORK_PREFIX, before)),
    ...remove(dbPath === ':memory:' ? [] : staleWork(path.dirname(dbPath), RESTORE_WORK_PREFIX, before)),
  ];
}
