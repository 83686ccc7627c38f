// The moment an export is taken from: a read-only connection of its own holds one snapshot of the database (WAL
// lets writers carry on) while engagement.json is streamed to a scratch file, giving the event loop back as it
// goes. The file's size and SHA-256 are known when it is complete, ready for the manifest.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { databaseOf, type Db, type Tx } from '../../db/connection.js';
import * as schema from '../../db/schema/index.js';
import { getEngagement, type EngagementRow } from '../../core/engagement/queries.js';
import { ENGAGEMENT_FILE } from './archive-format.js';
import { engagementJson, engagementTrail, type ArchivedTrail, type DataWritten } from './export-data.js';

export interface ExportSnapshot {
  engagement: EngagementRow;
  trail: ArchivedTrail;
  /** engagement.json, written to a scratch file. */
  data: DataWritten & { file: string; size: number; sha256: string };
  /** Removes the scratch file; call when the archive has been sent (or failed). */
  remove(): void;
}

/** Where export scratch files go under the data directory; leftovers of a killed export are removed at start-up. */
export const EXPORT_SCRATCH = 'archive-outgoing';
const FLUSH_BYTES = 1 << 20;
/** How long the export may keep the event loop before letting other requests run. */
const SLICE_MS = 20;

/** Buffers text into a file in large writes, hashing and counting what it writes. */
class FileSink {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  size = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w', 0o600);
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(bytes);
    this.size += bytes.length;
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
  }

  close(): { size: number; sha256: string } {
    this.flush();
    closeSync(this.fd);
    return { size: this.size, sha256: this.hash.digest('hex') };
  }
}

type Pieces = Generator<string, DataWritten>;

async function drainPaced(pieces: Pieces, sink: FileSink): Promise<DataWritten> {
  let since = performance.now();
  for (;;) {
    const next = pieces.next();
    if (next.done) return next.value;
    sink.write(next.value);
    if (performance.now() - since > SLICE_MS) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
}

function drainAll(pieces: Pieces, sink: FileSink): DataWritten {
  for (;;) {
    const next = pieces.next();
    if (next.done) return next.value;
    sink.write(next.value);
  }
}

interface Read {
  engagement: EngagementRow;
  trail: ArchivedTrail;
  userIds: number[];
}

const readHead = (db: Tx, engagementId: number): Read => ({
  engagement: getEngagement(db, engagementId)!,
  ...engagementTrail(db, engagementId),
});

/** An in-memory database has no second connection: the export then runs in one transaction, without pausing. */
function snapshotInPlace(db: Db, sqlite: Database.Database, engagementId: number, sink: FileSink) {
  return db.transaction((tx) => {
    const head = readHead(tx, engagementId);
    return { ...head, written: drainAll(engagementJson(sqlite, tx, engagementId, head.userIds), sink) };
  });
}

async function snapshotOnReader(file: string, engagementId: number, sink: FileSink) {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  try {
    reader.pragma('busy_timeout = 5000');
    reader.exec('BEGIN');
    const rdb = drizzle(reader, { schema });
    const head = readHead(rdb, engagementId);
    const written = await drainPaced(engagementJson(reader, rdb, engagementId, head.userIds), sink);
    reader.exec('COMMIT');
    return { ...head, written };
  } finally {
    reader.close();
  }
}

/** Reads the engagement, its trail and engagement.json from one moment of the database. */
export async function takeExportSnapshot(db: Db, engagementId: number, scratchRoot: string): Promise<ExportSnapshot> {
  const sqlite = databaseOf(db);
  if (!sqlite) throw new Error('archive export: the SQLite connection behind drizzle was not found');
  mkdirSync(scratchRoot, { recursive: true });
  const dir = mkdtempSync(path.join(scratchRoot, 'export-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const sink = new FileSink(path.join(dir, ENGAGEMENT_FILE));
    let read: Read & { written: DataWritten };
    try {
      read = sqlite.memory
        ? snapshotInPlace(db, sqlite, engagementId, sink)
        : await snapshotOnReader(sqlite.name, engagementId, sink);
    } catch (err) {
      sink.close();
      throw err;
    }
    return {
      engagement: read.engagement,
      trail: read.trail,
      data: { ...read.written, file: sink.file, ...sink.close() },
      remove,
    };
  } catch (err) {
    remove();
    throw err;
  }
}
