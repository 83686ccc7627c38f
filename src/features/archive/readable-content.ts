// Where each stored file an engagement's rows name goes in the archive, under a name a person can read:
// evidence/<control>/<item>/<file> (or evidence/<control>/<file> for a workpaper's own evidence),
// populations/<control> <window>/<file as uploaded>, assertion/<file>. Rows in id order, so the same engagement
// gets the same names every time.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import {
  controls,
  evidenceFiles,
  managementAssertions,
  populationItems,
  populations,
  sampleItems,
  workpapers,
} from '../../db/schema/index.js';
import { EVIDENCE_PREFIX } from './archive-format.js';
import { NameRegistry, safeSegment } from './readable-names.js';

export interface ContentName {
  name: string;
  sha256: string;
  /** What the file is, for the index page. */
  title: string;
}

function evidenceNames(db: Tx, engagementId: number, names: NameRegistry): ContentName[] {
  return db
    .select({
      sha256: evidenceFiles.sha256,
      originalName: evidenceFiles.originalName,
      reference: controls.reference,
      itemKey: populationItems.key,
      superseded: evidenceFiles.supersededAt,
    })
    .from(evidenceFiles)
    .innerJoin(workpapers, eq(workpapers.id, evidenceFiles.workpaperId))
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .leftJoin(sampleItems, eq(sampleItems.id, evidenceFiles.sampleItemId))
    .leftJoin(populationItems, eq(populationItems.id, sampleItems.populationItemId))
    .where(eq(evidenceFiles.engagementId, engagementId))
    .orderBy(asc(evidenceFiles.id))
    .all()
    .map((r) => {
      const folder = [
        `${EVIDENCE_PREFIX}${safeSegment(r.reference, 'control')}`,
        ...(r.itemKey === null ? [] : [safeSegment(r.itemKey, 'item')]),
      ].join('/');
      const title = `${r.reference}${r.itemKey === null ? '' : `, item ${r.itemKey}`}: ${r.originalName}${r.superseded ? ' (superseded)' : ''}`;
      return { name: names.claim(folder, safeSegment(r.originalName)), sha256: r.sha256, title };
    });
}

function populationNames(db: Tx, engagementId: number, names: NameRegistry): ContentName[] {
  return db
    .select({
      sha256: populations.sourceSha256,
      sourceFile: populations.sourceFile,
      label: populations.label,
      status: populations.status,
      reference: controls.reference,
    })
    .from(populations)
    .innerJoin(controls, eq(controls.id, populations.controlId))
    .where(and(eq(populations.engagementId, engagementId), isNotNull(populations.sourceSha256)))
    .orderBy(asc(populations.id))
    .all()
    .map((r) => ({
      name: names.claim(
        `populations/${safeSegment(`${r.reference} ${r.label}`, 'population')}`,
        safeSegment(r.sourceFile ?? 'population'),
      ),
      sha256: r.sha256!,
      title: `${r.reference}, ${r.label}: ${r.sourceFile ?? 'uploaded file'}${r.status === 'replaced' ? ' (replaced)' : ''}`,
    }));
}

function assertionNames(db: Tx, engagementId: number, names: NameRegistry): ContentName[] {
  return db
    .select({
      sha256: managementAssertions.sha256,
      originalName: managementAssertions.originalName,
      signedOn: managementAssertions.signedOn,
      signer: managementAssertions.signerName,
      superseded: managementAssertions.supersededAt,
    })
    .from(managementAssertions)
    .where(eq(managementAssertions.engagementId, engagementId))
    .orderBy(asc(managementAssertions.id))
    .all()
    .map((r) => ({
      name: names.claim('assertion', safeSegment(r.originalName)),
      sha256: r.sha256,
      title: `Signed by ${r.signer} on ${r.signedOn}${r.superseded ? ' (superseded)' : ''}`,
    }));
}

/** Every stored file of the engagement under its readable name. */
export function readableContentNames(db: Tx, engagementId: number): ContentName[] {
  const names = new NameRegistry();
  return [
    ...evidenceNames(db, engagementId, names),
    ...populationNames(db, engagementId, names),
    ...assertionNames(db, engagementId, names),
  ];
}
