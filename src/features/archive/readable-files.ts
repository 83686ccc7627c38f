// The archive's files for a reader without Tickmark: each workpaper as PDF, Section IV and Section I in Word, the
// exceptions register in Excel. Written to a scratch folder, one after another, from one snapshot of the
// database; nothing is sent until every one is written, so an export that cannot print fails whole.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection, Tx } from '../../db/connection.js';
import { withSnapshot } from '../../db/snapshot.js';
import { sectionFour } from '../../domain/section-four.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { getEngagement, type EngagementRow } from '../../core/engagement/queries.js';
import { livePopulations } from '../populations/index.js';
import {
  OPINION_TYPE_LABELS,
  reportContext,
  sectionFourDocx,
  sectionFourInput,
  sectionOneDocx,
  sectionOneDraft,
} from '../reports/index.js';
import { workpaperScope } from '../testing/index.js';
import { controls, workpapers } from '../../db/schema/index.js';
import { and, asc, eq } from 'drizzle-orm';
import {
  PdfBusyError,
  type PdfRenderer,
  PdfUnavailableError,
  type WorkpaperPdfPage,
} from '../workpaper-export/index.js';
import { archiveExportError } from './archive-format.js';
import { readableContentNames, type ContentName } from './readable-content.js';
import { NameRegistry, safeSegment } from './readable-names.js';
import { exceptionsRegisterXlsx } from './register-xlsx.js';

export interface ReadableKit {
  conn: Connection;
  rootDir: string;
  pdf: PdfRenderer;
  pdfPageOf: WorkpaperPdfPage;
}

export interface ReadableFile {
  name: string;
  title: string;
  file: string;
  size: number;
  sha256: string;
}

export interface ReadableSet {
  files: ReadableFile[];
  content: ContentName[];
  /** The opinion as it stands, in words: approved, proposed, or not ready. */
  opinion: string;
}

export const SECTION_FOUR_NAME = 'reports/section-iv.docx';
export const SECTION_ONE_NAME = 'reports/section-i.docx';
export const REGISTER_NAME = 'reports/exceptions-register.xlsx';

function written(dir: string, name: string, title: string, bytes: Buffer): ReadableFile {
  const file = path.join(dir, `${createHash('sha256').update(name).digest('hex')}.part`);
  writeFileSync(file, bytes, { mode: 0o600 });
  return { name, title, file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The refusal before anything is written: without Chromium no workpaper can be printed. */
export function assertCanPrint(pdf: PdfRenderer): void {
  if (!pdf.available)
    throw archiveExportError(
      'The archive holds every workpaper as a PDF, and this server cannot print PDFs (no Chromium is configured or found: TICKMARK_CHROMIUM). No archive was made; ask the administrator to install Chromium or set TICKMARK_CHROMIUM.',
    );
}

async function printed(
  kit: ReadableKit,
  page: Awaited<ReturnType<WorkpaperPdfPage>>,
  reference: string,
): Promise<Buffer> {
  try {
    return await kit.pdf.render(page);
  } catch (err) {
    if (err instanceof PdfUnavailableError)
      throw archiveExportError(
        `The workpaper of ${reference} could not be printed to PDF (${err.message}). No archive was made.`,
        { cause: err },
      );
    if (err instanceof PdfBusyError)
      throw archiveExportError(
        'The PDF printer is busy with other workpapers; no archive was made. Try again in a minute.',
        { cause: err },
      );
    throw err;
  }
}

/** A window with nothing sampled and no workpaper record (occurrences generated, not yet tested) has no workpaper. */
function hasWorkpaper(db: Tx, scope: NonNullable<ReturnType<typeof workpaperScope>>): boolean {
  if (scope.sample) return true;
  return !!db
    .select({ id: workpapers.id })
    .from(workpapers)
    .where(and(eq(workpapers.controlId, scope.control.id), eq(workpapers.populationId, scope.population.id)))
    .get();
}

/** Every live window of every control that has a workpaper, in reference order: one PDF each, one at a time. */
async function workpaperPdfs(
  kit: ReadableKit,
  db: Tx,
  engagement: EngagementRow,
  actor: CurrentUser,
  dir: string,
): Promise<ReadableFile[]> {
  const names = new NameRegistry();
  const out: ReadableFile[] = [];
  const printing = { by: actor.name, at: new Date().toISOString() };
  for (const control of db
    .select()
    .from(controls)
    .where(eq(controls.engagementId, engagement.id))
    .orderBy(asc(controls.reference))
    .all()) {
    const windows = livePopulations(db, control.id).filter((p) => p.status !== 'importing');
    for (const population of windows) {
      const scope = workpaperScope(db, engagement, control.id, population.id);
      if (!scope || !hasWorkpaper(db, scope)) continue;
      const label = windows.length > 1 ? `${control.reference} ${population.label}` : control.reference;
      const pdf = await printed(kit, await kit.pdfPageOf(db, engagement, scope, printing), control.reference);
      out.push(
        written(dir, names.claim('workpapers', `${safeSegment(label, 'workpaper')}.pdf`), `Workpaper ${label}`, pdf),
      );
    }
  }
  return out;
}

async function reports(
  kit: ReadableKit,
  db: Tx,
  engagement: EngagementRow,
  dir: string,
): Promise<{ files: ReadableFile[]; opinion: string }> {
  const context = reportContext(engagement);
  const draft = sectionOneDraft(db, kit.rootDir, engagement);
  const label = OPINION_TYPE_LABELS[draft.type];
  const opinion = draft.approved
    ? `${label}, approved by the engagement partner`
    : draft.ready
      ? `${label} proposed, not yet approved`
      : `Not ready: matters are still open (${label.toLowerCase()} on what is concluded so far)`;
  const files = [
    written(
      dir,
      SECTION_FOUR_NAME,
      'Section IV: tests of controls and results',
      await sectionFourDocx(sectionFour(sectionFourInput(db, kit.rootDir, engagement)), context),
    ),
    written(
      dir,
      SECTION_ONE_NAME,
      'Section I: the service auditor’s opinion (draft)',
      await sectionOneDocx(draft, context),
    ),
    written(
      dir,
      REGISTER_NAME,
      'Exceptions register',
      await exceptionsRegisterXlsx(db, engagement.id, `Exceptions register · ${engagement.clientName}`),
    ),
  ];
  return { files, opinion };
}

/** Writes the readable files into `dir` from one snapshot; the caller removes `dir`. */
export async function writeReadableFiles(
  kit: ReadableKit,
  engagementId: number,
  actor: CurrentUser,
  dir: string,
): Promise<ReadableSet> {
  assertCanPrint(kit.pdf);
  return withSnapshot(kit.conn, async (db) => {
    const engagement = getEngagement(db, engagementId)!;
    const { files, opinion } = await reports(kit, db, engagement, dir);
    const pdfs = await workpaperPdfs(kit, db, engagement, actor, dir);
    return { files: [...pdfs, ...files], content: readableContentNames(db, engagementId), opinion };
  });
}
