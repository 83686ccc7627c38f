// Import: the archive is unpacked and checked in full (manifest hashes, data, original trail) before anything
// is written, and its signature decides what it may become: a verified engagement (signed by a trusted key,
// with a non-empty trail and a team that obeys this firm's rules) or an unverified, read-only copy. Then the
// evidence goes into the store and the rows into the database in one transaction. A failure at any point
// takes back the evidence files this import added.
import { RuleError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { contentOfRow, EVIDENCE_CONTENT_COLUMNS, EVIDENCE_CONTENT_SQL } from '../evidence/index.js';
import type { EvidenceStorage } from '../../core/files/storage.js';
import type { InstanceKey } from '../../core/signing/index.js';
import {
  CHECKPOINTS_FILE,
  ENGAGEMENT_FILE,
  EVIDENCE_PREFIX,
  isContentName,
  isHashedContentName,
  TRAIL_FILE,
  type Manifest,
} from './archive-format.js';
import { archiveTrust, type ArchiveTrust } from './archive-signature.js';
import type { ArchivedTrail, EngagementData } from './export-data.js';
import { importData, type ImportOutcome } from './import-data.js';
import { readArchive, type UnpackedArchive } from './read-archive.js';
import { checkArchivedCheckpoints, parseEngagementData, parseTrail } from './validate-data.js';

export interface ImportResult extends ImportOutcome {
  manifest: Manifest;
  manifestSha256: string;
  originalTrailEntries: number;
  trust: ArchiveTrust;
}

export interface ImportSetting {
  db: Db;
  storage: EvidenceStorage;
  /** This instance's key, always trusted. */
  key: InstanceKey;
  scratchRoot: string;
  maxBytes: number;
}

/**
 * Each row's content is a file of the archive (under its hash, or a readable name the manifest maps to that hash)
 * of the size the row says, and each content file is some row's. Gives, by SHA-256, the file to store it from:
 * content is stored once, however many names carry it.
 */
function checkEvidence(data: EngagementData, manifest: Manifest): Map<string, string> {
  const files = manifest.files.filter((f) => isContentName(f.name));
  const bySha = new Map<string, Manifest['files'][number]>();
  for (const f of files) {
    if (isHashedContentName(f.name) && f.name !== `${EVIDENCE_PREFIX}${f.sha256}`)
      throw new RuleError(`${f.name} is not named after its content's SHA-256 in the manifest. Nothing was imported.`);
    if (!bySha.has(f.sha256)) bySha.set(f.sha256, f);
  }
  const used = new Map<string, string>();
  for (const { table } of EVIDENCE_CONTENT_SQL) {
    for (const [i, row] of (data.tables[table] ?? []).entries()) {
      const content = contentOfRow(table, row);
      if (!content) continue;
      const file = bySha.get(content.sha256);
      if (!file)
        throw new RuleError(
          `engagement.json: ${table} row ${i + 1} names content ${content.sha256.slice(0, 64)} that the archive does not hold. Nothing was imported.`,
        );
      if (file.size !== content.size)
        throw new RuleError(
          `engagement.json: ${table} row ${i + 1} gives a size that does not match ${file.name}. Nothing was imported.`,
        );
      used.set(file.sha256, file.name);
    }
  }
  const unused = files.find((f) => !used.has(f.sha256));
  if (unused)
    throw new RuleError(`${unused.name} is not the evidence of any file in engagement.json. Nothing was imported.`);
  return new Map([...used].sort(([a], [b]) => a.localeCompare(b)));
}

/** A row the database refuses (a duplicate reference, a broken check) refuses the archive; the transaction is gone. */
function insertAll<T>(_db: Db, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'))
      throw new RuleError(
        `engagement.json holds data this instance's rules refuse (${(err as Error).message}). Nothing was imported.`,
      );
    throw err;
  }
}

/** What the signature allows, once the content has checked out: the archive's own claims are not enough. */
function judge(
  db: Db,
  key: InstanceKey,
  actor: CurrentUser,
  archive: UnpackedArchive,
  data: EngagementData,
  trail: ArchivedTrail,
): ArchiveTrust {
  const trust = archiveTrust(db, key, archive.manifestBytes, archive.signatureBytes);
  if (trust.verified && archive.manifest.files.some((f) => f.name === CHECKPOINTS_FILE))
    checkArchivedCheckpoints(readFileSync(archive.pathOf(CHECKPOINTS_FILE)), trust.key, trail);
  if (trust.verified && trail.entries.length === 0)
    throw new RuleError(
      'The archive is signed by a trusted key, but its original audit trail is empty: a verified engagement brings the trail that recorded its work. Nothing was imported.',
    );
  const copy = data.tables.engagements![0]!.unverified_reason;
  const verdict: ArchiveTrust =
    trust.verified && typeof copy === 'string'
      ? { verified: false, reason: `it is itself an unverified copy (${copy.slice(0, 300)})` }
      : trust;
  if (!verdict.verified && actor.firmRole === 'admin') {
    throw new RuleError(
      `This archive cannot be verified: ${verdict.reason}. It could only become an unverified copy, which its importer alone reads as a viewer, and an administrator is never on an engagement team. A manager or partner can import it; or, if the firm trusts the instance that signed it, add that instance’s key under Trusted keys. Nothing was imported.`,
    );
  }
  return verdict;
}

export async function importArchive(
  { db, storage, key, scratchRoot, maxBytes }: ImportSetting,
  actor: CurrentUser,
  upload: string,
): Promise<ImportResult> {
  const archive = await readArchive(upload, scratchRoot, maxBytes);
  try {
    const { manifest, manifestSha256 } = archive;
    const data = parseEngagementData(readFileSync(archive.pathOf(ENGAGEMENT_FILE)));
    const sourceId = data.tables.engagements![0]!.id as number;
    if (sourceId !== manifest.engagement.id)
      throw new RuleError(
        'engagement.json holds a different engagement from the one the manifest names. Nothing was imported.',
      );
    const trail = parseTrail(readFileSync(archive.pathOf(TRAIL_FILE)), sourceId);
    const shas = checkEvidence(data, manifest);
    const trust = judge(db, key, actor, archive, data, trail);
    const added: string[] = [];
    try {
      for (const [sha, name] of shas) {
        if (storage.reuse(sha)) continue;
        const stored = await storage.put(archive.pathOf(name));
        added.push(stored.sha256);
        if (stored.sha256 !== sha)
          throw new RuleError(`${name} changed while it was being imported. Nothing was imported.`);
      }
      const outcome = insertAll(db, () =>
        db.transaction((tx) => importData(tx, actor, manifest, manifestSha256, data, trail, trust)),
      );
      return { ...outcome, manifest, manifestSha256, originalTrailEntries: trail.entries.length, trust };
    } catch (err) {
      const named = (sha: string) =>
        EVIDENCE_CONTENT_COLUMNS.some((c) =>
          db.select({ one: sql<number>`1` }).from(c.table).where(eq(c, sha)).limit(1).get(),
        );
      for (const sha of added) if (!named(sha)) storage.remove(sha);
      throw err;
    }
  } finally {
    archive.remove();
  }
}
