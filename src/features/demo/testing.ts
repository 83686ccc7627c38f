// Demo testing, done through the same services the grid's keys use: several controls tested and prepared with
// evidence, CC6.3-01 with a leaver who was not one (a wholly N/A item, replaced from the seeded sequence),
// CC1.4-01 with an exception cleared by an extension, CC7.1-01 not operating effectively.
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
  drawWorkpaperExtension,
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
import { csvFile, emailFile, textPdf } from './evidence-files.js';

export interface Demo {
  conn: Connection;
  tester: CurrentUser;
  storage: EvidenceStorage;
  scopeOf(reference: string): WorkpaperScope | undefined;
}

async function attach(
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

const itemsOf = (demo: Demo, scope: WorkpaperScope) => loadWorkpaper(demo.conn.db, scope, 'all').items;

function passEverything(demo: Demo, scope: WorkpaperScope): void {
  for (const { letter } of scope.attributes) passBlankCells(demo.conn, demo.tester, scope, { attribute: letter });
}

function conclude(demo: Demo, scope: WorkpaperScope, itemNoun: string): void {
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

const BACKGROUND_CHECK: Omit<ExceptionInput, 'version'> = {
  description: "The background check was completed after the employee's start date",
  cause:
    'The hiring manager brought the start date forward after the offer was accepted; People Operations did not hold the start until the check cleared.',
  nature: 'isolated',
  managementResponse:
    'Management agrees. The check cleared three days after the start date with no adverse findings. Since 1 November 2025 the HR system blocks a start date until the background check is cleared.',
  compensatingControlId: null,
  status: 'resolved',
};

/** One late background check in 25 new hires; the extension to 41 finds nothing more. */
async function newHiresWithException(demo: Demo): Promise<void> {
  const scope = demo.scopeOf('CC1.4-01');
  if (!scope?.sample) return;
  const { db } = demo.conn;
  const late = itemsOf(demo, scope)[6]!.item;
  saveCells(demo.conn, demo.tester, scope, [
    { sampleItemId: late.sampleItemId, attribute: 'B', result: 'exception', naReason: '', version: 0 },
  ]);
  saveException(db, demo.tester, scope, late.sampleItemId, 'B', { ...BACKGROUND_CHECK, version: 0 });
  passEverything(demo, scope);
  drawWorkpaperExtension(demo.conn, demo.tester, scope, { limit: MAX_SAMPLE_SIZE, role: 'senior' });
  passEverything(demo, scope);
  await attach(
    demo,
    scope,
    `background-check-${late.key}.pdf`,
    textPdf([
      `Background check report: ${late.key}`,
      'Result: clear',
      `Start date: ${late.itemDate}`,
      'Cleared: three days after the start date',
    ]),
    late.sampleItemId,
  );
  await attach(
    demo,
    scope,
    'management-response-background-checks.eml',
    emailFile({
      from: 'People Operations <people@nimbusledger.example>',
      to: 'Daniel Okafor <daniel.okafor@auditfirm.example>',
      date: 'Mon, 12 Jan 2026 10:04:00 +0000',
      subject: 'Late background check - management response',
      body: BACKGROUND_CHECK.managementResponse,
    }),
  );
  conclude(demo, scope, 'new hires');
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

/** A missed monthly vulnerability review. */
const MISSED_MONTH: Deviation = {
  reference: 'CC7.1-01',
  itemNoun: 'months',
  index: 1,
  attribute: 'A',
  naReason: 'No review was performed that month, so no findings were followed up.',
  exception: {
    description: 'The monthly vulnerability review was not performed',
    cause: 'The security engineer who performs the review was on leave and no deputy had been assigned.',
    nature: 'isolated',
    managementResponse:
      'Management agrees. A deputy reviewer has been named and the review is now tracked in the compliance calendar with an escalation to the CISO.',
    compensatingControlId: null,
    status: 'open',
  },
  evidence: (items, failed) => ({
    name: 'vulnerability-review-tickets.csv',
    content: csvFile([
      ['Month', 'Ticket', 'Reviewer', 'Status'],
      ...items.map((i) => [
        i.item.key,
        i.item.sampleItemId === failed ? '(none)' : `SEC-${i.item.key.replace('-', '')}`,
        'J. Ortega',
        i.item.sampleItemId === failed ? 'Not performed' : 'Done',
      ]),
    ]),
  }),
};

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

export async function seedDemoTesting(conn: Connection, engagementId: number, dataDir: string): Promise<void> {
  const demo = demoTesting(conn, engagementId, dataDir);
  const changes = csvFile([
    ['Change ID', 'Deployed', 'Pull request', 'Approver'],
    ['CHG-00012', '2025-01-06', '#4411', 'B. Tanaka'],
  ]);
  await testedClean(
    demo,
    'CC8.1-01',
    'changes',
    { name: 'github-deployments-2025.csv', content: changes },
    { notAppliesTo: { attribute: 'D', reason: 'Standard change: not an emergency change.', unless: /Security patch/ } },
  );
  await testedClean(
    demo,
    'CC6.3-01',
    'terminated users',
    {
      name: 'okta-deactivation-log-2025.csv',
      content: csvFile([
        ['Employee ID', 'Deactivated at'],
        ['E1047', '2025-01-06T09:12:00Z'],
      ]),
    },
    {
      notAnOccurrence: {
        index: 3,
        reason:
          'Not a leaver: an internal transfer recorded in Workday as a termination and rehire on the same day; the account stayed in use.',
      },
    },
  );
  await testedClean(demo, 'CC7.2-01', 'days', {
    name: 'pagerduty-triage-sample.pdf',
    content: textPdf(['PagerDuty incident log extract', 'Alerts with triage tickets for the sampled days']),
  });
  await testedClean(demo, 'A1.2-01', 'days', {
    name: 'backup-job-history.pdf',
    content: textPdf(['Backup scheduler job history', 'Sampled days: completed, copies in the secondary region']),
  });
  await newHiresWithException(demo);
  await testedWithDeviation(demo, MISSED_MONTH);
}
