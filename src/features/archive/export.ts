// Export: the engagement's data, trail and evidence in one ZIP, with a manifest of every file's SHA-256, signed
// with this instance's key (manifest.sig).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { finished, type Readable } from 'node:stream';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { zipStream, type ZipSource } from '../backup/index.js';
import type { EvidenceStorage } from '../../core/files/storage.js';
import { getEngagement } from '../../core/engagement/queries.js';
import type { TrailAnchor } from '../audit-trail/index.js';
import {
  ARCHIVE_FORMAT,
  archiveExportError,
  CHECKPOINTS_FILE,
  ENGAGEMENT_FILE,
  EVIDENCE_PREFIX,
  INDEX_FILE,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  TRAIL_FILE,
  type AppIdentity,
  type Manifest,
} from './archive-format.js';
import { archiveIndexHtml, type IndexEntry } from './archive-index.js';
import { assertCanPrint, writeReadableFiles, type ReadableKit, type ReadableSet } from './readable-files.js';
import { formatFingerprint } from '../../core/signing/index.js';
import { signManifest } from './archive-signature.js';
import { takeExportSnapshot, type ExportSnapshot } from './export-snapshot.js';

export interface ArchiveDownload {
  fileName: string;
  manifest: Manifest;
  manifestSha256: string;
  stream: Readable;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Re-reads a stored file: an archive never vouches for content the store no longer holds intact. */
async function checkedBlob(storage: EvidenceStorage, sha: string): Promise<{ size: number }> {
  if (!storage.exists(sha))
    throw archiveExportError(`Evidence file ${sha} is missing from the evidence store; the archive was not made.`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of storage.read(sha)) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  if (hash.digest('hex') !== sha)
    throw archiveExportError(
      `Evidence file ${sha} in the evidence store does not match its hash; the archive was not made.`,
    );
  return { size };
}

/**
 * `scratchRoot`: where engagement.json and the readable files are written before they are zipped (the data
 * directory's scratch folder). `anchor` signs the manifest with the instance's key, and checkpoints the trail as
 * exported (that checkpoint file travels in the archive) and again after the export's own entry. `readable`
 * prints the workpapers and builds the reports; an export that cannot print them makes no archive at all.
 */
export async function exportArchive(
  db: Db,
  storage: EvidenceStorage,
  app: AppIdentity,
  actor: CurrentUser,
  engagementId: number,
  scratchRoot: string,
  anchor: TrailAnchor,
  readable: ReadableKit,
): Promise<ArchiveDownload> {
  // Signing a copy this instance could not verify would vouch for it to every instance that trusts this one.
  if (getEngagement(db, engagementId)?.unverifiedReason)
    throw archiveExportError(
      'An unverified copy is never exported: this instance would sign an archive it could not verify.',
    );
  assertCanPrint(readable.pdf);
  mkdirSync(scratchRoot, { recursive: true });
  const dir = mkdtempSync(path.join(scratchRoot, 'readable-'));
  let snapshot: ExportSnapshot | undefined;
  const remove = () => {
    snapshot?.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const files = await writeReadableFiles(readable, engagementId, actor, dir);
    // One snapshot: the data and the trail are the same moment's; the rows are streamed to a scratch file.
    snapshot = await takeExportSnapshot(db, engagementId, scratchRoot);
    const download = await packArchive(db, storage, app, actor, anchor, snapshot, files);
    finished(download.stream, remove);
    return download;
  } catch (err) {
    remove();
    throw err;
  }
}

/** Each stored file under its readable names (under its hash when a row appeared after the names were read). */
async function contentFiles(
  storage: EvidenceStorage,
  shas: string[],
  readable: ReadableSet,
): Promise<(IndexEntry & { sha256: string })[]> {
  const names = new Map<string, { name: string; title: string }[]>();
  for (const c of readable.content) names.set(c.sha256, [...(names.get(c.sha256) ?? []), c]);
  const out: (IndexEntry & { sha256: string })[] = [];
  for (const sha of shas) {
    const { size } = await checkedBlob(storage, sha);
    for (const n of names.get(sha) ?? [{ name: `${EVIDENCE_PREFIX}${sha}`, title: 'Stored file' }])
      out.push({ name: n.name, title: n.title, size, sha256: sha });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function packArchive(
  db: Db,
  storage: EvidenceStorage,
  app: AppIdentity,
  actor: CurrentUser,
  anchor: TrailAnchor,
  { engagement, data, trail }: ExportSnapshot,
  readable: ReadableSet,
): Promise<ArchiveDownload> {
  const engagementId = engagement.id;
  anchor.checkpoint('export');
  const checkpointBytes = anchor.contents();
  const trailBytes = Buffer.from(JSON.stringify(trail, null, 1));
  const content = await contentFiles(storage, data.evidence, readable);
  const exportedAt = new Date().toISOString();
  const index = archiveIndexHtml(
    {
      engagement,
      opinion: readable.opinion,
      exportedAt,
      exportedBy: actor.email,
      fingerprint: formatFingerprint(anchor.key.publicKey.fingerprint),
      appVersion: app.version,
    },
    [...readable.files, ...content],
  );
  const files: Manifest['files'] = [
    { name: ENGAGEMENT_FILE, size: data.size, sha256: data.sha256 },
    { name: TRAIL_FILE, size: trailBytes.length, sha256: sha256(trailBytes) },
    { name: CHECKPOINTS_FILE, size: checkpointBytes.length, sha256: sha256(checkpointBytes) },
    { name: INDEX_FILE, size: index.length, sha256: sha256(index) },
    ...readable.files.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    ...content.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  ];
  const manifest: Manifest = {
    format: ARCHIVE_FORMAT,
    appVersion: app.version,
    schema: app.schema,
    exportedAt,
    exportedBy: actor.email,
    engagement: {
      id: engagement.id,
      clientName: engagement.clientName,
      systemName: engagement.systemName,
      framework: engagement.framework,
      periodStart: engagement.periodStart,
      periodEnd: engagement.periodEnd,
    },
    files,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const manifestSha256 = sha256(manifestBytes);
  // Who took a copy of the file, and which one: the manifest's hash identifies the archive.
  db.transaction((tx) =>
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'engagement',
      entityId: engagementId,
      action: 'export',
      changes: { archive: [null, manifestSha256], files: [null, files.length] },
    }),
  );
  anchor.checkpoint('export');
  const sources: ZipSource[] = [
    { name: MANIFEST_FILE, content: manifestBytes },
    { name: SIGNATURE_FILE, content: signManifest(anchor.key, manifestBytes) },
    { name: ENGAGEMENT_FILE, file: data.file },
    { name: TRAIL_FILE, content: trailBytes },
    { name: CHECKPOINTS_FILE, content: checkpointBytes },
    { name: INDEX_FILE, content: index },
    ...readable.files.map((f) => ({ name: f.name, file: f.file })),
    ...content.map((f) => ({ name: f.name, open: () => storage.read(f.sha256) })),
  ];
  const slug = `${engagement.clientName}-${engagement.periodEnd.slice(0, 4)}`
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return { fileName: `${slug || 'engagement'}-archive.zip`, manifest, manifestSha256, stream: zipStream(sources) };
}
