// Anchors for the trail outside the database: signed checkpoints of the chain's head (the last entry's id and
// hash), appended to a file beside the database. Whoever rewrites the database alone (removing the newest
// entries, or editing one and recomputing every later hash) cannot make the chain hold the heads signed before.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { desc } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { auditEntries } from '../../db/schema/index.js';
import type { InstanceKey, PublicKeyInfo } from '../../core/signing/index.js';
import { verifyBytes } from '../../core/signing/index.js';
import { GENESIS_HASH, trailStatements, type Anchoring } from '../../core/audit/trail.js';

export const CHECKPOINT_FORMAT = 'tickmark-trail-checkpoint-v1';
export const CHECKPOINT_REASONS = ['start', 'hourly', 'approval', 'archive', 'export'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** The head: the id of the last entry (0 for an empty trail) and its hash. */
  id: number;
  hash: string;
  at: string;
  reason: CheckpointReason;
  /** Fingerprint of the key that signed it. */
  key: string;
  signature: string;
}

/** `<database>.checkpoints` beside the database file; in the data directory for an in-memory database. */
export function checkpointFileFor(dbPath: string, dataDir: string): string {
  return dbPath === ':memory:' ? path.join(dataDir, 'trail-checkpoints.jsonl') : `${dbPath}.checkpoints`;
}

const signedBytes = (c: Omit<Checkpoint, 'signature'>) =>
  Buffer.from(JSON.stringify([c.format, c.id, c.hash, c.at, c.reason, c.key]));

export function trailHead(tx: Tx): { id: number; hash: string } {
  const statements = trailStatements(tx);
  const row = statements
    ? statements.head.get()
    : tx
        .select({ id: auditEntries.id, hash: auditEntries.hash })
        .from(auditEntries)
        .orderBy(desc(auditEntries.id))
        .limit(1)
        .get();
  return row ?? { id: 0, hash: GENESIS_HASH };
}

/** A line that ended without its newline (a write cut short) must not swallow the next one. */
function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

function append(file: string, line: string): void {
  const fd = openSync(file, 'a+', 0o600);
  try {
    writeSync(fd, `${endsMidLine(fd) ? '\n' : ''}${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface AnchorLog {
  error(obj: object, msg: string): void;
}

/** Writes this instance's checkpoints. */
export class TrailAnchor {
  private last: { id: number; hash: string } | null = null;

  constructor(
    private readonly db: Tx,
    readonly key: InstanceKey,
    readonly file: string,
    private readonly log: AnchorLog,
  ) {}

  /** Signs and appends the current head. A failure is logged, not thrown: the write it follows has happened. */
  checkpoint(reason: CheckpointReason): Checkpoint | null {
    try {
      const head = trailHead(this.db);
      if (reason === 'hourly' && this.last && this.last.id === head.id && this.last.hash === head.hash) return null;
      const unsigned = {
        format: CHECKPOINT_FORMAT,
        id: head.id,
        hash: head.hash,
        at: new Date().toISOString(),
        reason,
        key: this.key.publicKey.fingerprint,
      } as const;
      const checkpoint: Checkpoint = { ...unsigned, signature: this.key.sign(signedBytes(unsigned)) };
      append(this.file, JSON.stringify(checkpoint));
      this.last = head;
      return checkpoint;
    } catch (err) {
      this.log.error({ err, file: this.file }, 'audit-trail checkpoint not written');
      return null;
    }
  }

  /** The checkpoint file as it stands (empty when there is none yet). */
  contents(): Buffer {
    return existsSync(this.file) ? readFileSync(this.file) : Buffer.alloc(0);
  }

  /** What the verifier checks the chain against. */
  anchoring(): Anchoring {
    return anchoringFrom(this.file, this.key.publicKey, this.key.file);
  }
}

export interface ParsedCheckpoints {
  checkpoints: Checkpoint[];
  /** Why the sequence cannot be relied on, with the id of the checkpoint concerned. */
  problem: { id: number; reason: string } | null;
  /** Lines that are no checkpoint at all, left out: an interrupted write leaves one. Leaving them out gives an
   * attacker nothing (they carry no signature); a signed line that does not verify is a problem instead. */
  skipped: number[];
}

function parseLine(line: string): Checkpoint | null {
  try {
    const c = JSON.parse(line) as Checkpoint;
    const fields =
      c &&
      typeof c === 'object' &&
      c.format === CHECKPOINT_FORMAT &&
      Number.isSafeInteger(c.id) &&
      c.id >= 0 &&
      /^[0-9a-f]{64}$/.test(c.hash) &&
      typeof c.at === 'string' &&
      CHECKPOINT_REASONS.includes(c.reason) &&
      typeof c.key === 'string' &&
      typeof c.signature === 'string';
    return fields ? c : null;
  } catch {
    return null;
  }
}

/** Each checkpoint signed by `key`, ids and times never going back, one hash per id. */
export function readCheckpoints(text: string, key: PublicKeyInfo): ParsedCheckpoints {
  const checkpoints: Checkpoint[] = [];
  const skipped: number[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const c = parseLine(line);
    if (!c) {
      skipped.push(i + 1);
      continue;
    }
    const previous = checkpoints.at(-1);
    const fail = (reason: string) => ({
      checkpoints,
      skipped,
      problem: { id: c.id, reason: `the checkpoint on line ${i + 1} (entry ${c.id}, ${c.at}) ${reason}` },
    });
    if (c.key !== key.fingerprint || !verifyBytes(key.key, signedBytes(c), c.signature))
      return fail('is not signed by this instance’s key');
    if (c.id === 0 && c.hash !== GENESIS_HASH)
      return fail('signs an empty trail with a hash other than the chain’s start');
    if (previous && (c.id < previous.id || c.at < previous.at)) return fail('goes back before the one above it');
    if (previous && c.id === previous.id && c.hash !== previous.hash)
      return fail('gives that entry another hash than the one above it');
    checkpoints.push(c);
  }
  return { checkpoints, problem: null, skipped };
}

/** The checkpoints of `file`, checked with `key`, and what they leave unproven. */
export function anchoringFrom(file: string, key: PublicKeyInfo | null, keyFile: string): Anchoring {
  const holders = `Whoever can read the signing key (${keyFile}) can sign checkpoints for a rewritten trail, and whoever can shorten or replace the checkpoint file can take back its newest checkpoints; copies kept elsewhere (every engagement archive carries one) are what guards against both.`;
  if (!existsSync(file))
    return {
      heads: [],
      problem: null,
      limits: [
        `There is no checkpoint file (${file}): nothing outside the database anchors the chain, so removing the newest entries, or editing one and recomputing every later hash, would go unnoticed.`,
        holders,
      ],
    };
  if (!key)
    return {
      heads: [],
      problem: { id: 0, reason: `the signing key that would check them (${keyFile}) is missing` },
      limits: [holders],
    };
  const parsed = readCheckpoints(readFileSync(file, 'utf8'), key);
  const limits = [holders];
  if (parsed.skipped.length > 0)
    limits.unshift(
      `Line ${parsed.skipped.slice(0, 5).join(', ')}${parsed.skipped.length > 5 ? '…' : ''} of the checkpoint file ${parsed.skipped.length === 1 ? 'is' : 'are'} no checkpoint and ${parsed.skipped.length === 1 ? 'was' : 'were'} left out: an interrupted write leaves one such line; more mean the file was edited.`,
    );
  if (parsed.checkpoints.length === 0 && !parsed.problem)
    limits.unshift(
      `The checkpoint file (${file}) holds no checkpoint yet: nothing outside the database anchors the chain.`,
    );
  return { heads: parsed.checkpoints.map(({ id, hash, at }) => ({ id, hash, at })), problem: parsed.problem, limits };
}
