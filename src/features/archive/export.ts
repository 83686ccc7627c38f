// Export: the engagement's data, trail and evidence in one ZIP, with a manifest of every file's SHA-256, signed
// with this instance's key (manifest.sig).
import { createHash } from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../audit-trail/trail.js';
import type { CurrentUser } from '../auth/current-user.js';
import { zipStream, type ZipSource } from '../backup/zip.js';
import type { EvidenceStorage } from '../evidence/storage.js';
import { getEngagement } from '../engagements/queries.js';
import type { TrailAnchor } from '../audit-trail/checkpoints.js';
import { ARCHIVE_FORMAT, CHECKPOINTS_FILE, ENGAGEMENT_FILE, EVIDENCE_PREFIX, MANIFEST_FILE, SIGNATURE_FILE, TRAIL_FILE, type AppIdentity, type Manifest } from './archive-format.js';
import { signManifest } from './archive-signature.js';
import { takeExportSnapshot, type ExportSnapshot } from './export-snapshot.js';

export class ArchiveExportError extends Error {}

export interface ArchiveDownload {
  fileName: string;
  manifest: Manifest;
  manifestSha256: string;
  stream: Readable;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Re-reads a stored file: an archive never vouches for content the store no longer holds intact. */
async function checkedBlob(storage: EvidenceStorage, sha: string): Promise<{ size: number }> {
  if (!storage.exists(sha)) throw new ArchiveExportError(`Evidence file ${sha} is missing from the evidence store; the archive was not made.`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of storage.read(sha)) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  if (hash.digest('hex') !== sha) throw new ArchiveExportError(`Evidence file ${sha} in the evidence store does not match its hash; the archive was not made.`);
  return { size };
}

/**
 * `scratchRoot`: where engagement.json is written before it is zipped (the data directory's scratch folder).
 * `anchor` signs the manifest with the instance's key, and checkpoints the trail as exported (that checkpoint
 * file travels in the archive) and again after the export's own entry.
 */
export async function exportArchive(db: Db, storage: EvidenceStorage, app: AppIdentity, actor: CurrentUser, engagementId: number, scratchRoot: string, anchor: TrailAnchor): Promise<ArchiveDownload> {
  // Signing a copy this instance could not verify would vouch for it to every instance that trusts this one.
  if (getEngagement(db, engagementId)?.unverifiedReason) throw new ArchiveExportError('An unverified copy is never exported: this instance would sign an archive it could not verify.');
  // One snapshot: the data and the trail are the same moment's; the rows are streamed to a scratch file.
  const { engagement, data, trail, remove } = await takeExportSnapshot(db, engagementId, scratchRoot);
  try {
    const download = await packArchive(db, storage, app, actor, anchor, { engagement, data, trail });
    finished(download.stream, remove);
    return download;
  } catch (err) {
    remove();
    throw err;
  }
}

async function packArchive(db: Db, storage: EvidenceStorage, app: AppIdentity, actor: CurrentUser, anchor: TrailAnchor, { engagement, data, trail }: Omit<ExportSnapshot, 'remove'>): Promise<ArchiveDownload> {
  const engagementId = engagement.id;
  anchor.checkpoint('export');
  const checkpointBytes = anchor.contents();
  const trailBytes = Buffer.from(JSON.stringify(trail, null, 1));
  const shas = data.evidence;
  const files: Manifest['files'] = [
    { name: ENGAGEMENT_FILE, size: data.size, sha256: data.sha256 },
    { name: TRAIL_FILE, size: trailBytes.length, sha256: sha256(trailBytes) },
    { name: CHECKPOINTS_FILE, size: checkpointBytes.length, sha256: sha256(checkpointBytes) },
  ];
  for (const sha of shas) files.push({ name: `${EVIDENCE_PREFIX}${sha}`, size: (await checkedBlob(storage, sha)).size, sha256: sha });
  const manifest: Manifest = {
    format: ARCHIVE_FORMAT,
    appVersion: app.version,
    schema: app.schema,
    exportedAt: new Date().toISOString(),
    exportedBy: actor.email,
    engagement: { id: engagement.id, clientName: engagement.clientName, systemName: engagement.systemName, framework: engagement.framework, periodStart: engagement.periodStart, periodEnd: engagement.periodEnd },
    files,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const manifestSha256 = sha256(manifestBytes);
  // Who took a copy of the file, and which one: the manifest's hash identifies the archive.
  db.transaction((tx) => appendAudit(tx, actor.id, { engagementId, entity: 'engagement', entityId: engagementId, action: 'export', changes: { archive: [null, manifestSha256], files: [null, files.length] } }));
  anchor.checkpoint('export');
  const sources: ZipSource[] = [
    { name: MANIFEST_FILE, content: manifestBytes },
    { name: SIGNATURE_FILE, content: signManifest(anchor.key, manifestBytes) },
    { name: ENGAGEMENT_FILE, file: data.file },
    { name: TRAIL_FILE, content: trailBytes },
    { name: CHECKPOINTS_FILE, content: checkpointBytes },
    ...shas.map((sha) => ({ name: `${EVIDENCE_PREFIX}${sha}`, open: () => storage.read(sha) })),
  ];
  const slug = `${engagement.clientName}-${engagement.periodEnd.slice(0, 4)}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return { fileName: `${slug || 'engagement'}-archive.zip`, manifest, manifestSha256, stream: zipStream(sources) };
}
