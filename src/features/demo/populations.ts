// Demo populations and frozen selections, built through the same services an auditor's clicks use.
import { writeFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { controls, engagements, populations, users } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import {
  completeCa,
  createUploadedPopulation,
  generatePeriodicPopulations,
  ImportJobs,
  saveCa,
  storeSourceFile,
} from '../populations/index.js';
import { saveHolidays } from '../holidays/index.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { createSample, proposeSize } from '../sampling/index.js';
import { MAX_SAMPLE_SIZE } from '../../domain/sample-approval.js';
import { methodologyOf } from '../methodology/index.js';
import { changeTicketsCsv, newHiresCsv, terminatedUsersCsv } from './population-files.js';

/** US federal holidays of 2025, the client's published non-business days. */
const HOLIDAYS_2025 = [
  ['2025-01-01', "New Year's Day"],
  ['2025-01-20', 'Martin Luther King Jr. Day'],
  ['2025-02-17', "Presidents' Day"],
  ['2025-05-26', 'Memorial Day'],
  ['2025-06-19', 'Juneteenth'],
  ['2025-07-04', 'Independence Day'],
  ['2025-09-01', 'Labor Day'],
  ['2025-11-27', 'Thanksgiving Day'],
  ['2025-12-25', 'Christmas Day'],
] as const;

interface Imported {
  reference: string;
  file: string;
  csv: () => string;
  mapping: { key: number; date: number; description: number };
  ca: { sourceSystem: string; reportUsed: string; procedures: string };
  seed: string;
}

const IMPORTS: Imported[] = [
  {
    reference: 'CC8.1-01',
    file: 'jira-changes-2025.csv',
    csv: changeTicketsCsv,
    mapping: { key: 0, date: 1, description: 2 },
    ca: {
      sourceSystem: 'Jira Cloud (project CHG) and GitHub deployment log',
      reportUsed: 'JQL: project = CHG AND status = Deployed AND "Deployed" >= 2025-01-01 ORDER BY key',
      procedures:
        'Observed the change manager run the query on 6 Jan 2026; agreed the record count to the Jira screen; traced 5 deployments from the GitHub log to the list and 5 tickets from the list to the log.',
    },
    seed: '20250131',
  },
  {
    reference: 'CC6.3-01',
    file: 'workday-terminations-2025.csv',
    csv: terminatedUsersCsv,
    mapping: { key: 0, date: 1, description: 2 },
    ca: {
      sourceSystem: 'Workday HRIS',
      reportUsed: 'Custom report "Terminations – all worker types" for 1 Jan – 31 Dec 2025',
      procedures:
        'Inspected the report parameters; agreed the headcount movement (opening + hires − leavers = closing) to the HR dashboard.',
    },
    seed: '86101',
  },
  {
    reference: 'CC1.4-01',
    file: 'workday-new-hires-2025.csv',
    csv: newHiresCsv,
    mapping: { key: 0, date: 1, description: 2 },
    ca: {
      sourceSystem: 'Workday HRIS',
      reportUsed: 'Standard report "New hires by start date", 2025',
      procedures: 'Agreed the count of new hires to the headcount movement and to payroll starters for two months.',
    },
    seed: '4117',
  },
];

/** Periodic controls sampled in the demo; the others get their occurrences generated only. */
const SAMPLED_PERIODIC: PeriodicPlans = {
  'CC7.2-01': { method: 'period-spread', seed: '7201' },
  'A1.2-01': { method: 'period-spread', seed: '1201' },
  'CC7.1-01': { method: 'random', seed: '7101' },
  'CC6.8-01': { method: 'random', seed: '6801' },
};

export async function seedDemoPopulations(conn: Connection, engagementId: number, dataDir: string): Promise<void> {
  const { db } = conn;
  const engagement = db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  const seniorRow = db.select().from(users).where(eq(users.email, 'senior@demo.tickmark.test')).get()!;
  const senior: CurrentUser = {
    id: seniorRow.id,
    email: seniorRow.email,
    name: seniorRow.name,
    firmRole: seniorRow.firmRole,
    mustChangePassword: false,
  };
  const controlBy = (reference: string) =>
    db
      .select()
      .from(controls)
      .where(and(eq(controls.engagementId, engagementId), eq(controls.reference, reference)))
      .get();
  saveHolidays(
    db,
    senior,
    engagementId,
    HOLIDAYS_2025.map(([date, name]) => ({ date, name })),
    0,
  );

  const uploads = path.join(dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  const jobs = new ImportJobs();
  for (const spec of IMPORTS) {
    const control = controlBy(spec.reference);
    if (!control) continue;
    const file = path.join(uploads, `${randomUUID()}.upload`);
    writeFileSync(file, spec.csv());
    const header = spec.csv().split('\n', 1)[0]!.split(',');
    const source = await storeSourceFile(EvidenceStorage.under(dataDir), file);
    const population = createUploadedPopulation(db, senior, engagement, control, {
      file,
      kind: 'csv',
      sourceFile: spec.file,
      source,
      columns: header,
      windowIndex: 0,
    });
    await jobs.start(conn, {
      populationId: population.id,
      engagementId,
      userId: senior.id,
      file,
      kind: 'csv',
      mapping: { header: true, amount: null, dateFormat: 'iso', ...spec.mapping },
      window: { start: population.windowStart, end: population.windowEnd },
    });
    const imported = db.select().from(populations).where(eq(populations.id, population.id)).get()!;
    saveCa(
      db,
      senior,
      imported,
      {
        ...spec.ca,
        extractedBy: 'Client IT (observed by D. Okafor)',
        extractedOn: '2026-01-06',
        clientCount: imported.rowCount,
        clientTotal: null,
        tieOutExplanation: '',
      },
      0,
    );
    completeCa(db, senior, imported, 1);
    await select(conn, senior, engagementId, imported.id, control, 'random', spec.seed);
  }

  await samplePeriodicControls(conn, senior, engagement, SAMPLED_PERIODIC);
}

export type PeriodicPlans = Record<string, { method: 'random' | 'period-spread'; seed: string }>;

/** Every periodic control's occurrences generated; those named in `plans` sampled and frozen. */
export async function samplePeriodicControls(
  conn: Connection,
  senior: CurrentUser,
  engagement: typeof engagements.$inferSelect,
  plans: PeriodicPlans,
): Promise<void> {
  for (const control of conn.db.select().from(controls).where(eq(controls.engagementId, engagement.id)).all()) {
    if (!['annual', 'quarterly', 'monthly', 'semi-monthly', 'weekly', 'daily'].includes(control.frequency)) continue;
    const created = generatePeriodicPopulations(conn, senior, engagement, control);
    const plan = plans[control.reference];
    if (plan) for (const p of created) await select(conn, senior, engagement.id, p.id, control, plan.method, plan.seed);
  }
}

async function select(
  conn: Connection,
  senior: CurrentUser,
  engagementId: number,
  populationId: number,
  control: typeof controls.$inferSelect,
  method: 'random' | 'period-spread',
  seed: string,
): Promise<void> {
  const population = conn.db.select().from(populations).where(eq(populations.id, populationId)).get()!;
  const proposal = proposeSize(
    {
      frequency: control.frequency,
      nature: control.nature,
      risk: control.risk,
      populationSize: population.sampleableCount,
      window: { start: population.windowStart, end: population.windowEnd },
      rules: methodologyOf(conn.db, engagementId),
    },
    { sizing: 'table' },
  );
  await createSample(
    conn,
    senior,
    engagementId,
    populationId,
    {
      method,
      seed,
      size: proposal.size!,
      sizing: 'table',
      confidence: 0.95,
      tolerableRate: null,
      expectedRate: null,
      sizeRationale: proposal.rationale,
      proposedSize: proposal.size,
      overrideReason: null,
      pickedKeys: [],
      selectionReason: null,
      spreadBy: 'quarter',
      interimEnd: null,
    },
    DEMO_SIZE_POLICY,
  );
}

/** The demo's samples come from the firm's table, far below any limit. */
const DEMO_SIZE_POLICY = { limit: MAX_SAMPLE_SIZE, role: 'senior' } as const;
