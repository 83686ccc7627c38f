// The steps the demo's testing is done in, through the same services the grid's keys use: the tester and the
// workpaper scopes of an engagement, evidence attached, a control tested clean or with one deviation, then concluded.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { controls, engagements, users } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { recordEvidence } from '../evidence/index.js';
import { sniffEvidence } from '../../core/files/sniff.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import {
  drawWorkpaperReplacements,
  type ExceptionInput,
  loadWorkpaper,
  markPrepared,
  passBlankCells,
  saveCells,
  saveException,
  saveItemNotes,
  saveWording,
  setConclusion,
  workpaperScope,
  type WorkpaperScope,
} from '../testing/index.js';
import { MAX_SAMPLE_SIZE } from '../../domain/sample-approval.js';
import { textPdf } from './evidence-files.js';

export interface Demo {
  conn: Connection;
  tester: CurrentUser;
  storage: EvidenceStorage;
  scopeOf(reference: string): WorkpaperScope | undefined;
}

export async function attach(
  demo: Demo,
  scope: WorkpaperScope,
  name: string,
  content: Buffer,
  sampleItemId: number | null = null,
): Promise<void> {
  const temp = path.join(demo.storage.incomingDir, `${randomUUID()}.upload`);
  mkdirSync(path.dirname(temp), { recursive: true });
  writeFileSync(temp, content);
  const sniffed = sniffEvidence(content.subarray(0, 8192), content.subarray(-65536), name);
  if (!sniffed.ok) throw new Error(`demo evidence ${name} refused: ${sniffed.reason}`);
  const blob = await demo.storage.put(temp);
  recordEvidence(
    demo.conn.db,
    demo.tester,
    scope,
    { ...blob, originalName: name, fileType: sniffed.type },
    { sampleItemId },
  );
}

export const itemsOf = (demo: Demo, scope: WorkpaperScope) => loadWorkpaper(demo.conn.db, scope, 'all').items;

export function passEverything(demo: Demo, scope: WorkpaperScope): void {
  for (const { letter } of scope.attributes) passBlankCells(demo.conn, demo.tester, scope, { attribute: letter });
}

export function conclude(demo: Demo, scope: WorkpaperScope, itemNoun: string): void {
  const { db } = demo.conn;
  setConclusion(db, demo.tester, scope, {
    accept: true,
    conclusion: null,
    reason: '',
    version: loadWorkpaper(db, scope, 'none').workpaper?.version ?? 0,
  });
  const wp = loadWorkpaper(db, scope, 'none');
  saveWording(db, demo.tester, scope, { itemNoun, text: '', basedOn: '', version: wp.workpaper!.version });
  markPrepared(db, demo.tester, scope);
}

interface CleanOptions {
  /** One attribute not applicable to the items whose description does not match `unless`. */
  notAppliesTo?: { attribute: string; reason: string; unless: RegExp };
  /** The item at this index was not an occurrence of the control: N/A on every attribute, then replaced. */
  notAnOccurrence?: { index: number; reason: string };
}

/** Marks an item N/A on every attribute and draws its replacement, as "Draw replacements" does. */
function replaceNonOccurrence(demo: Demo, scope: WorkpaperScope, sampleItemId: number, reason: string): void {
  saveCells(
    demo.conn,
    demo.tester,
    scope,
    scope.attributes.map(({ letter }) => ({
      sampleItemId,
      attribute: letter,
      result: 'na' as const,
      naReason: reason,
      version: 0,
    })),
  );
  drawWorkpaperReplacements(demo.conn, demo.tester, scope, { limit: MAX_SAMPLE_SIZE, role: 'senior' });
}

/** A control tested without exception: marks, a note on the first item, evidence, conclusion, prepared. */
export async function testedClean(
  demo: Demo,
  reference: string,
  itemNoun: string,
  evidence: { name: string; content: Buffer },
  { notAppliesTo, notAnOccurrence }: CleanOptions = {},
): Promise<void> {
  const scope = demo.scopeOf(reference);
  if (!scope?.sample) return;
  const items = itemsOf(demo, scope);
  if (notAnOccurrence)
    replaceNonOccurrence(demo, scope, items[notAnOccurrence.index]!.item.sampleItemId, notAnOccurrence.reason);
  if (notAppliesTo) {
    const cells = items.map((i) => ({
      sampleItemId: i.item.sampleItemId,
      attribute: notAppliesTo.attribute,
      result: notAppliesTo.unless.test(i.item.description) ? ('pass' as const) : ('na' as const),
      naReason: notAppliesTo.reason,
      version: 0,
    }));
    saveCells(demo.conn, demo.tester, scope, cells);
  }
  passEverything(demo, scope);
  const first = items[0]!.item;
  saveItemNotes(demo.conn.db, demo.tester, scope, first.sampleItemId, {
    evidenceRef: `Screenshot ${reference}-01`,
    tickmarks: ['✓', 'I'],
    notes: 'Inspected the evidence with the control owner on a screen share; screenshot saved to the workpaper.',
    version: 0,
  });
  await attach(demo, scope, evidence.name, evidence.content);
  await attach(
    demo,
    scope,
    `${reference}-${first.key}-screenshot.pdf`,
    textPdf([
      `${reference}: evidence for ${first.key}`,
      `Dated ${first.itemDate ?? ''}`,
      'Inspected by Priya Shah (service auditor).',
    ]),
    first.sampleItemId,
  );
  conclude(demo, scope, itemNoun);
}

export interface Deviation {
  reference: string;
  itemNoun: string;
  /** The sampled item (by position) on which the attribute failed; the item's other attributes are N/A for `naReason`. */
  index: number;
  attribute: string;
  naReason: string;
  exception: Omit<ExceptionInput, 'version'>;
  evidence: (items: ReturnType<typeof itemsOf>, failed: number) => { name: string; content: Buffer };
}

/** One deviation in a periodic control: any deviation there means the control did not operate effectively. */
export async function testedWithDeviation(demo: Demo, d: Deviation): Promise<void> {
  const scope = demo.scopeOf(d.reference);
  if (!scope?.sample) return;
  const failed = itemsOf(demo, scope)[d.index]!.item;
  const others = scope.attributes.filter((a) => a.letter !== d.attribute);
  saveCells(demo.conn, demo.tester, scope, [
    { sampleItemId: failed.sampleItemId, attribute: d.attribute, result: 'exception', naReason: '', version: 0 },
    ...others.map((a) => ({
      sampleItemId: failed.sampleItemId,
      attribute: a.letter,
      result: 'na' as const,
      naReason: d.naReason,
      version: 0,
    })),
  ]);
  saveException(demo.conn.db, demo.tester, scope, failed.sampleItemId, d.attribute, { ...d.exception, version: 0 });
  passEverything(demo, scope);
  const evidence = d.evidence(itemsOf(demo, scope), failed.sampleItemId);
  await attach(demo, scope, evidence.name, evidence.content);
  conclude(demo, scope, d.itemNoun);
}

/** The tester and the workpaper scopes of one engagement, for the demo's testing. */
export function demoTesting(conn: Connection, engagementId: number, dataDir: string): Demo {
  const { db } = conn;
  const engagement = db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  const row = db.select().from(users).where(eq(users.email, 'staff@demo.tickmark.test')).get()!;
  return {
    conn,
    tester: { id: row.id, email: row.email, name: row.name, firmRole: row.firmRole, mustChangePassword: false },
    storage: EvidenceStorage.under(dataDir),
    scopeOf: (reference) => {
      const control = db
        .select()
        .from(controls)
        .where(and(eq(controls.engagementId, engagementId), eq(controls.reference, reference)))
        .get();
      return control && workpaperScope(db, engagement, control.id);
    },
  };
}
