// Online backup of the database (SQLite's backup API: a consistent copy while others keep writing) with the
// evidence files, into one ZIP with a manifest of SHA-256 hashes; and the restore that checks them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema/index.js';
import { verifyTrail } from '../audit-trail/trail.js';
import { readZip, sha256File, writeZip, type ZipSource } from './zip.js';

export interface Manifest {
  format: 'tickmark-backup-v1';
  createdAt: string;
  files: { name: string; bytes: number; sha256: string }[];
}

function walk(dir: string, prefix: string): { name: string; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : d.isFile() ? [{ name: `${prefix}${d.name}`, file: path.join(dir, d.name) }] : [],
  );
}

export async function backup(dbPath: string, dataDir: string, target: string): Promise<Manifest> {
  const work = mkdtempSync(path.join(tmpdir(), 'tickmark-backup-'));
  try {
    const copy = path.join(work, 'tickmark.db');
    const live = new Database(dbPath, { fileMustExist: true });
    try {
      await live.backup(copy);
    } finally {
      live.close();
    }
    const sources = [{ name: 'tickmark.db', file: copy }, ...walk(path.join(dataDir, 'evidence'), 'evidence/')];
    const files = [];
    for (const s of sources) files.push({ name: s.name, bytes: statSync(s.file).size, sha256: await sha256File(s.file) });
    const manifest: Manifest = { format: 'tickmark-backup-v1', createdAt: new Date().toISOString(), files };
    const entries: ZipSource[] = [...sources, { name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest, null, 2)) }];
    await writeZip(target, entries);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  files: number;
  auditEntries: number;
  movedAside: string | null;
}

/** Extracts and checks everything first; only a complete, matching backup replaces the live data. */
export async function restore(source: string, dbPath: string, dataDir: string): Promise<RestoreResult> {
  const work = mkdtempSync(path.join(path.dirname(dbPath), '.restore-'));
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
    if (!m || m.format !== 'tickmark-backup-v1') throw new Error('This is not a Tickmark backup (no manifest).');
    for (const f of m.files) {
      const file = path.join(work, f.name);
      if (!existsSync(file) || (await sha256File(file)) !== f.sha256) throw new Error(`${f.name} is missing or does not match its hash: the backup is damaged.`);
    }
    const check = new Database(path.join(work, 'tickmark.db'), { readonly: true });
    const integrity = check.pragma('integrity_check', { simple: true });
    const trail = verifyTrail(drizzle(check, { schema }));
    check.close();
    if (integrity !== 'ok') throw new Error(`The backed-up database fails its integrity check: ${String(integrity)}`);
    if (!trail.ok) throw new Error(`The backed-up audit trail is broken at entry ${trail.brokenAt}: ${trail.reason}`);
    const movedAside = swapIn(work, dbPath, dataDir);
    return { files: m.files.length, auditEntries: trail.entries, movedAside };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
  if (existsSync(path.join(work, 'evidence'))) renameSync(path.join(work, 'evidence'), evidence);
  if (!moved) rmSync(aside, { recursive: true, force: true });
  return moved ? aside : null;
}
