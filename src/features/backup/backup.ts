// Online backup of the database (SQLite's backup API: a consistent copy while others keep writing) with the
// evidence files, into one ZIP with a manifest of SHA-256 hashes; and the restore that checks them.
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  type Dirent,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema/index.js';
import { anchoringFrom, checkpointFileFor } from '../audit-trail/index.js';
import { verifyTrail } from '../../core/audit/trail.js';
import { KEY_FILE, readInstanceKey } from '../../core/signing/index.js';
import { readZip, sha256File, writeZip, type ZipSource } from './zip.js';
import { EVIDENCE_CONTENT_SQL } from '../evidence/index.js';

/** The backup's scratch folders in the data directory; one left by a killed backup is removed at start-up. */
export const BACKUP_WORK_PREFIX = '.backup-';
/** The restore's scratch folder beside the database. */
export const RESTORE_WORK_PREFIX = '.restore-';
/** The trail's signed checkpoints, as the backup names them. */
const CHECKPOINTS = 'tickmark.db.checkpoints';

export interface Manifest {
  format: 'tickmark-backup-v1';
  createdAt: string;
  files: { name: string; bytes: number; sha256: string }[];
}

const gone = (err: unknown) => (err as { code?: string }).code === 'ENOENT';
/** Where a hard link cannot be made (another file system, no links), the file is copied instead. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EACCES']);

/** Takes one file into the snapshot; false when it was moved or removed before it could be taken. */
function takeFile(from: string, to: string): boolean {
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if (gone(err)) return false;
    if (!LINK_REFUSED.has((err as { code?: string }).code ?? '')) throw err;
  }
  try {
    copyFileSync(from, to);
    return true;
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
}

/**
 * Freezes the evidence store as it is now: every file hard-linked (or copied) into `to`, so that what is hashed
 * and zipped later cannot change or vanish. Uploads still arriving (incoming/) are not evidence yet and are left
 * out; a file or folder that moves or disappears between listing and taking is simply not taken.
 */
function snapshotTree(from: string, to: string, prefix: string, skip: ReadonlySet<string> = new Set()): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(from, { withFileTypes: true });
  } catch (err) {
    if (gone(err)) return [];
    throw err;
  }
  return entries.flatMap((d) => {
    if (skip.has(d.name)) return [];
    const [source, target, name] = [path.join(from, d.name), path.join(to, d.name), `${prefix}${d.name}`];
    if (d.isDirectory()) return snapshotTree(source, target, `${name}/`);
    return d.isFile() && takeFile(source, target) ? [name] : [];
  });
}

/** The content the database copy refers to, by its name in the backup. */
function referencedEvidence(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db
      .prepare(
        EVIDENCE_CONTENT_SQL.map(
          (c) => `SELECT ${c.sha256} AS sha256 FROM ${c.table} WHERE ${c.sha256} IS NOT NULL`,
        ).join(' UNION '),
      )
      .all() as { sha256: string }[];
    return rows
      .map((r) => r.sha256)
      .filter((sha) => /^[0-9a-f]{64}$/.test(sha))
      .map((sha) => `evidence/${sha.slice(0, 2)}/${sha}`);
  } finally {
    db.close();
  }
}

async function copyDatabase(dbPath: string, copy: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  const live = new Database(dbPath, { fileMustExist: true });
  try {
    await live.backup(copy);
  } finally {
    live.close();
  }
}

export interface BackupResult extends Manifest {
  /** Evidence the database refers to that the evidence store does not hold (lost before the backup ran). */
  missingEvidence: string[];
}

/**
 * The evidence store is frozen first, then the database copied; content that arrived in between is taken
 * afterwards. A file removed in between (evidence deleted after the copy was made) gets a fresh copy of the
 * database, so the backup never holds a record without its file when the store has it.
 */
async function snapshot(
  dbPath: string,
  dataDir: string,
  work: string,
): Promise<{ names: string[]; missing: string[] }> {
  const root = path.join(dataDir, 'evidence');
  const names = new Set(snapshotTree(root, path.join(work, 'evidence'), 'evidence/', new Set(['incoming'])));
  // Copied (never linked: the file grows) before the database, so every checkpoint it holds names an entry the
  // copy has: a checkpoint is written only after the entry it signs is committed.
  const checkpoints = checkpointFileFor(dbPath, dataDir);
  if (existsSync(checkpoints)) {
    copyFileSync(checkpoints, path.join(work, CHECKPOINTS));
    names.add(CHECKPOINTS);
  }
  let missing: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await copyDatabase(dbPath, path.join(work, 'tickmark.db'));
    missing = referencedEvidence(path.join(work, 'tickmark.db')).filter((name) => !names.has(name));
    for (const name of missing) if (takeFile(path.join(dataDir, name), path.join(work, name))) names.add(name);
    missing = missing.filter((name) => !names.has(name));
    if (missing.length === 0) break;
  }
  return { names: [...names].sort(), missing };
}

export async function backup(dbPath: string, dataDir: string, target: string): Promise<BackupResult> {
  // Inside the data directory, so the evidence can be hard-linked rather than copied.
  const work = mkdtempSync(path.join(dataDir, BACKUP_WORK_PREFIX));
  try {
    const { names, missing } = await snapshot(dbPath, dataDir, work);
    const sources = ['tickmark.db', ...names].map((name) => ({ name, file: path.join(work, name) }));
    const files = [];
    for (const s of sources)
      files.push({ name: s.name, bytes: statSync(s.file).size, sha256: await sha256File(s.file) });
    const manifest: Manifest = { format: 'tickmark-backup-v1', createdAt: new Date().toISOString(), files };
    const entries: ZipSource[] = [
      ...sources,
      { name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest, null, 2)) },
    ];
    await writeZip(target, entries);
    return { ...manifest, missingEvidence: missing };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  files: number;
  auditEntries: number;
  /** Signed checkpoints the restored trail was checked against (0 without them or without the key). */
  checkpoints: number;
  movedAside: string | null;
}

/** Extracts and checks everything first; only a complete, matching backup replaces the live data. */
export async function restore(source: string, dbPath: string, dataDir: string): Promise<RestoreResult> {
  const work = mkdtempSync(path.join(path.dirname(dbPath), RESTORE_WORK_PREFIX));
  try {
    let manifest: Manifest | null = null;
    await readZip(source, async (name, open) => {
      if (name === 'manifest.json') {
        const chunks: Buffer[] = [];
        for await (const c of await open()) chunks.push(c as Buffer);
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
        return;
      }
      const target = path.join(work, name);
      mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(await open(), createWriteStream(target));
    });
    const m = manifest as Manifest | null;
    if (m?.format !== 'tickmark-backup-v1') throw new Error('This is not a Tickmark backup (no manifest).');
    for (const f of m.files) {
      const file = path.join(work, f.name);
      if (!existsSync(file) || (await sha256File(file)) !== f.sha256)
        throw new Error(`${f.name} is missing or does not match its hash: the backup is damaged.`);
    }
    const check = new Database(path.join(work, 'tickmark.db'), { readonly: true });
    const integrity = check.pragma('integrity_check', { simple: true });
    const trail = verifyTrail(drizzle(check, { schema }), backedUpAnchoring(work, dataDir));
    check.close();
    if (integrity !== 'ok') throw new Error(`The backed-up database fails its integrity check: ${String(integrity)}`);
    if (!trail.ok) throw new Error(`The backed-up audit trail is broken at entry ${trail.brokenAt}: ${trail.reason}`);
    const movedAside = swapIn(work, dbPath, dataDir);
    return { files: m.files.length, auditEntries: trail.entries, checkpoints: trail.checkpoints, movedAside };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The backed-up checkpoints, checked with this instance's key. Without the key (a new machine, the key not yet
 * put back from where it is kept) they cannot be checked now; they are restored all the same, for the verifier
 * to check once the key is back.
 */
function backedUpAnchoring(work: string, dataDir: string) {
  const file = path.join(work, CHECKPOINTS);
  const key = readInstanceKey(dataDir);
  if (!existsSync(file) || !key) return undefined;
  return anchoringFrom(file, key.publicKey, path.join(dataDir, KEY_FILE));
}

/** The current data is kept beside the restored data, never deleted by a restore. */
function swapIn(work: string, dbPath: string, dataDir: string): string | null {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = path.join(path.dirname(dbPath), `before-restore-${stamp}`);
  let moved = false;
  mkdirSync(aside, { recursive: true });
  // The trail's checkpoints belong to the database they anchor: they go aside with it (see audit-trail/checkpoints.ts).
  for (const suffix of ['', '-wal', '-shm', '.checkpoints']) {
    if (existsSync(dbPath + suffix)) {
      renameSync(dbPath + suffix, path.join(aside, path.basename(dbPath) + suffix));
      moved = true;
    }
  }
  const evidence = path.join(dataDir, 'evidence');
  if (existsSync(evidence)) {
    renameSync(evidence, path.join(aside, 'evidence'));
    moved = true;
  }
  renameSync(path.join(work, 'tickmark.db'), dbPath);
  if (existsSync(path.join(work, CHECKPOINTS)))
    renameSync(path.join(work, CHECKPOINTS), checkpointFileFor(dbPath, dataDir));
  if (existsSync(path.join(work, 'evidence'))) renameSync(path.join(work, 'evidence'), evidence);
  if (!moved) rmSync(aside, { recursive: true, force: true });
  return moved ? aside : null;
}
