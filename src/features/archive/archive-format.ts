// The engagement archive's layout and its manifest, shared by export and import.
import { RuleError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { READABLE_NAME } from './readable-names.js';

export const ARCHIVE_FORMAT = 'tickmark-engagement-archive-v1';
export const MANIFEST_FILE = 'manifest.json';
export const ENGAGEMENT_FILE = 'engagement.json';
export const TRAIL_FILE = 'audit-trail.json';
export const EVIDENCE_PREFIX = 'evidence/';
/** The exporting instance's trail checkpoints as they stood at the export: an anchor kept outside its database. */
export const CHECKPOINTS_FILE = 'trail-checkpoints.jsonl';
/** The exporting instance's signature of the exact manifest.json bytes: beside the manifest, not listed in it. */
export const SIGNATURE_FILE = 'manifest.sig';
/** The page a reader opens first: everything in the archive, linked, readable without Tickmark. */
export const INDEX_FILE = 'index.html';
/** Folders of files a person reads; those under CONTENT_FOLDERS are also stored content the rows name. */
export const CONTENT_FOLDERS = ['evidence/', 'populations/', 'assertion/'] as const;

/** Why no archive was made, in words for the person who asked for it (409: the engagement cannot be archived as it stands). */
export const archiveExportError = (message: string, options: { cause?: unknown } = {}) =>
  new RuleError(message, { status: 409, cause: options.cause });

const SHA256 = /^[0-9a-f]{64}$/;
const EVIDENCE_NAME = /^evidence\/[0-9a-f]{64}$/;

/** The only names an archive may hold besides the manifest: anything else is refused before it is read. */
export function isArchiveFileName(name: string): boolean {
  return (
    name === ENGAGEMENT_FILE ||
    name === TRAIL_FILE ||
    name === CHECKPOINTS_FILE ||
    name === INDEX_FILE ||
    EVIDENCE_NAME.test(name) ||
    READABLE_NAME.test(name)
  );
}

/** Content stored under its SHA-256 (archives before readable names): evidence/<sha256>. */
export const isHashedContentName = (name: string): boolean => EVIDENCE_NAME.test(name);

/** A file holding content the engagement's rows name by SHA-256: by its hash (older archives) or a readable name. */
export const isContentName = (name: string): boolean =>
  isHashedContentName(name) || (READABLE_NAME.test(name) && CONTENT_FOLDERS.some((f) => name.startsWith(f)));

export const manifestSchema = z
  .object({
    format: z.literal(ARCHIVE_FORMAT, { error: `format must be "${ARCHIVE_FORMAT}"` }),
    appVersion: z.string().max(50),
    schema: z.string().max(200),
    exportedAt: z.string().max(40),
    exportedBy: z.string().max(254),
    engagement: z.object({
      id: z.number().int().positive(),
      clientName: z.string().max(500),
      systemName: z.string().max(500),
      framework: z.string().max(50),
      periodStart: z.string().max(10),
      periodEnd: z.string().max(10),
    }),
    files: z
      .array(
        z
          .object({
            name: z.string().refine(isArchiveFileName, 'not a file an engagement archive holds'),
            size: z.number().int().nonnegative(),
            sha256: z.string().regex(SHA256),
          })
          .strict(),
      )
      .max(1_000_000),
  })
  .strict()
  .refine((m) => new Set(m.files.map((f) => f.name)).size === m.files.length, 'a file is listed twice')
  .refine(
    (m) => m.files.some((f) => f.name === ENGAGEMENT_FILE) && m.files.some((f) => f.name === TRAIL_FILE),
    `${ENGAGEMENT_FILE} and ${TRAIL_FILE} must be listed`,
  );

export type Manifest = z.infer<typeof manifestSchema>;

export interface AppIdentity {
  version: string;
  /** The newest migration: tells which database layout wrote the archive. */
  schema: string;
}

export function appIdentity(rootDir: string): AppIdentity {
  const pkg = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version: string };
  const journal = JSON.parse(readFileSync(path.join(rootDir, 'migrations', 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return { version: pkg.version, schema: journal.entries.at(-1)?.tag ?? 'none' };
}
