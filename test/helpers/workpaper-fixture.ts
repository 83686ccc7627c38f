// A control with a test plan, an imported population and a frozen sample, built through the services: for
// tests, browser stories and benchmarks that must not touch the demo's own workpapers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Connection } from '../../src/db/connection.js';
import { engagements, populations, users } from '../../src/db/schema/index.js';
import type { CurrentUser } from '../../src/core/auth/current-user.js';
import { insertControl } from '../../src/features/controls/service.js';
import { writeTestPlan } from '../../src/features/controls/test-plan-service.js';
import { ImportJobs } from '../../src/features/populations/import-job.js';
import { completeCa, saveCa } from '../../src/features/populations/ca-service.js';
import { createUploadedPopulation } from '../../src/features/populations/service.js';
import type { PopulationRow } from '../../src/features/populations/queries.js';
import { createSample, type SizePolicy } from '../../src/features/sampling/service.js';
import { MAX_SAMPLE_SIZE } from '../../src/domain/sample-approval.js';
import { ticketsCsv } from './factories.js';

export interface SampledControl {
  controlId: number;
  populationId: number;
  sampleId: number;
  /** The workpaper's address, from the site root. */
  url: string;
}

export interface SampledControlOptions {
  reference?: string;
  attributes?: string[];
  rows?: number;
  size?: number;
  seed?: string;
  frequency?: 'event-driven' | 'daily' | 'weekly' | 'monthly';
  nature?: 'manual' | 'automated' | 'it-dependent-manual';
  /** The firm's limit and who selects; by default no limit applies. */
  policy?: SizePolicy;
  /** The population's C&A is completed by the senior before the selection; 'reopened' saves it again after the
   * selection, which leaves it open (as an edit of the record after sampling does). */
  ca?: 'complete' | 'reopened';
}

/** Records the list's C&A evidence (its count tying to the import) and marks it complete, as a senior would. */
const CA_EVIDENCE = {
  sourceSystem: 'Jira',
  reportUsed: 'Deployed changes, 2025',
  extractedBy: 'Client IT',
  extractedOn: '2026-01-06',
  clientTotal: null,
  procedures: 'Agreed the count to the Jira screen.',
  tieOutExplanation: '',
};

export function completeCaOf(conn: Connection, senior: CurrentUser, population: PopulationRow): void {
  saveCa(conn.db, senior, population, { ...CA_EVIDENCE, clientCount: population.rowCount }, 0);
  completeCa(conn.db, senior, population, 1);
}

export function userByEmail(conn: Connection, email: string): CurrentUser {
  const row = conn.db.select().from(users).where(eq(users.email, email)).get()!;
  return { id: row.id, email: row.email, name: row.name, firmRole: row.firmRole, mustChangePassword: false };
}

/** A control with a test plan and an imported population whose C&A is complete: ready to be sampled. */
export async function importedControl(
  conn: Connection,
  dataDir: string,
  engagementId: number,
  o: Pick<SampledControlOptions, 'reference' | 'attributes' | 'rows' | 'frequency' | 'nature'> & {
    /** A tickets CSV written beforehand (a benchmark's million rows), imported instead of `rows` generated ones. */
    csvFile?: string;
  } = {},
) {
  const senior = userByEmail(conn, 'senior@demo.tickmark.test');
  const engagement = conn.db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  const attributes = o.attributes ?? [
    'The change was approved before deployment.',
    'The approver is not the developer.',
    'Testing evidence exists.',
  ];
  const control = conn.db.transaction((tx) => {
    const row = insertControl(tx, engagementId, {
      reference: o.reference ?? `WP-${randomUUID().slice(0, 6)}`,
      description: 'Changes are approved by someone other than their developer before they are deployed.',
      owner: 'Head of Engineering',
      frequency: o.frequency ?? 'event-driven',
      nature: o.nature ?? 'manual',
      controlType: 'preventive',
      isKey: true,
      risk: 'lower',
      implementedFrom: engagement.periodStart,
      changedOn: null,
      descriptionBeforeChange: '',
      descriptionAfterChange: '',
    });
    writeTestPlan(tx, row.id, {
      procedures: [
        { kind: 'inspection', text: 'Inspected the change ticket and its approval for each change selected.' },
      ],
      attributes,
    });
    return row;
  });
  const uploads = path.join(dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  const file = o.csvFile ?? path.join(uploads, `${randomUUID()}.upload`);
  if (!o.csvFile) writeFileSync(file, ticketsCsv(o.rows ?? 400));
  const population = createUploadedPopulation(conn.db, senior, engagement, control, {
    file,
    kind: 'csv',
    sourceFile: 'changes.csv',
    columns: ['Change ID', 'Deployed', 'Summary', 'Amount'],
    windowIndex: 0,
  });
  await new ImportJobs().start(conn, {
    populationId: population.id,
    engagementId,
    userId: senior.id,
    file,
    kind: 'csv',
    mapping: { header: true, key: 0, date: 1, description: 2, amount: null, dateFormat: 'iso' },
    window: { start: population.windowStart, end: population.windowEnd },
  });
  const imported = conn.db.select().from(populations).where(eq(populations.id, population.id)).get()!;
  completeCaOf(conn, senior, imported);
  return { senior, control, population: imported };
}

export async function sampledControl(
  conn: Connection,
  dataDir: string,
  engagementId: number,
  o: SampledControlOptions = {},
): Promise<SampledControl> {
  const { senior, control, population: frozen } = await importedControl(conn, dataDir, engagementId, o);
  const sample = await createSample(
    conn,
    senior,
    engagementId,
    frozen.id,
    {
      method: 'random',
      seed: o.seed ?? '2025',
      size: o.size ?? 25,
      sizing: 'table',
      confidence: 0.95,
      tolerableRate: null,
      expectedRate: null,
      sizeRationale: 'Event-driven control, lower risk of failure: 25 items per the firm’s sample-size table.',
      overrideReason: null,
      pickedKeys: [],
      selectionReason: null,
      spreadBy: 'quarter',
      interimEnd: null,
    },
    o.policy ?? { limit: MAX_SAMPLE_SIZE, role: 'senior' },
  );
  if (o.ca === 'reopened')
    saveCa(
      conn.db,
      senior,
      frozen,
      {
        ...CA_EVIDENCE,
        clientCount: frozen.rowCount,
        procedures: 'Agreed the count to the Jira screen; re-performing the query.',
      },
      2,
    );
  return {
    controlId: control.id,
    populationId: frozen.id,
    sampleId: sample.id,
    url: `/engagements/${engagementId}/controls/${control.id}/workpaper/${frozen.id}`,
  };
}
