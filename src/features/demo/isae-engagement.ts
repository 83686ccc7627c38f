// A small ISAE 3402 type 2 engagement for a UK payroll bureau, so the ISAE wording (service organisation,
// statement, assurance report) and a qualified opinion can be seen: every control is tested and concluded, and
// the quarterly user access review missed a quarter, so CO4 is not achieved; the description is concluded fairly
// presented.
import { eq } from 'drizzle-orm';
import type { Connection, Tx } from '../../db/connection.js';
import { controlObjectives, engagements, users, type FirmRole } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { seedTickmarkLegend } from '../tickmarks/index.js';
import { seedDemoAssertion } from './assertion.js';
import { insertDemoControl, insertDemoWalkthrough } from './control-matrix.js';
import type { DemoControl } from './demo-control.js';
import { insertDemoEngagement } from './engagement.js';
import { csvFile, textPdf } from './evidence-files.js';
import { samplePeriodicControls } from './populations.js';
import { demoTesting, testedClean, testedWithDeviation, type Deviation } from './testing.js';
import { recordDescription } from '../opinion/index.js';

export const ISAE_CLIENT = 'Fenwick Payroll Services Ltd';

const OBJECTIVES = [
  [
    'CO1',
    'Controls provide reasonable assurance that changes to employee master data are authorised and recorded completely and accurately.',
  ],
  [
    'CO2',
    'Controls provide reasonable assurance that payroll is calculated completely and accurately and in the correct period.',
  ],
  [
    'CO3',
    'Controls provide reasonable assurance that payments to employees are transmitted completely and accurately and only as authorised.',
  ],
  [
    'CO4',
    'Controls provide reasonable assurance that logical access to the payroll application and data is restricted to authorised individuals.',
  ],
] as const;

const CONTROLS: (DemoControl & { walkthrough: string })[] = [
  {
    reference: 'FP-MD-01',
    description:
      'Each month the Payroll Supervisor agrees the master data change report to the authorised change forms and signs the report.',
    owner: 'Payroll Supervisor',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CO1'],
    procedures: [
      'Inspection: Inspected the signed master data change report for the months selected and agreed a selection of changes to authorised change forms.',
    ],
    attributes: [
      'The change report was reviewed and signed for the month.',
      'Each change agreed to an authorised change form.',
    ],
    walkthrough:
      'Traced the bank detail change of employee 40213 in March 2025 from the signed change form to the master data change report and the Supervisor’s sign-off.',
  },
  {
    reference: 'FP-PC-01',
    description:
      'Before each monthly payroll is released, the Payroll Manager reviews the gross-to-net reconciliation against the previous month and investigates variances above 5%.',
    owner: 'Payroll Manager',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CO2'],
    procedures: [
      'Inspection: Inspected the gross-to-net reconciliation and the variance explanations for the months selected.',
      'Reperformance: Reperformed the variance calculation for the months selected.',
    ],
    attributes: ['The reconciliation was reviewed before release.', 'Each variance above 5% was explained.'],
    walkthrough:
      'Traced the April 2025 payroll from the gross-to-net reconciliation through the variance explanations to the Payroll Manager’s release approval.',
  },
  {
    reference: 'FP-PY-01',
    description:
      'The BACS payment file total is agreed to the approved payroll register and released only with the approval of two authorised signatories.',
    owner: 'Finance Manager',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'higher',
    criteria: ['CO3'],
    procedures: [
      'Inspection: Inspected the BACS submission report, the approved payroll register and the two approvals for the months selected.',
    ],
    attributes: ['The file total agreed to the approved register.', 'Two authorised signatories approved the release.'],
    walkthrough:
      'Traced the May 2025 BACS submission from the payroll register total to the submission report and the two signatory approvals in the banking portal.',
  },
  {
    reference: 'FP-AC-01',
    description:
      'Each quarter the IT Manager reviews the users of the payroll application with the Payroll Manager; access no longer needed is removed within five working days.',
    owner: 'IT Manager',
    frequency: 'quarterly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CO4'],
    procedures: [
      'Inspection: Inspected the quarterly user access review for the quarters selected and the tickets removing the access flagged.',
    ],
    attributes: [
      'The review was performed and evidenced in the quarter.',
      'Access flagged for removal was removed within five working days.',
    ],
    walkthrough:
      'Traced the Q1 2025 review from the user listing through the Payroll Manager’s annotations to the removal tickets.',
  },
];

const MISSED_REVIEW: Deviation = {
  reference: 'FP-AC-01',
  itemNoun: 'quarters',
  index: 1,
  attribute: 'A',
  naReason: 'No review was performed in the quarter, so no access was flagged for removal.',
  exception: {
    description: 'The quarterly user access review was not performed',
    cause: 'The IT Manager left in the quarter and the review was not reassigned.',
    nature: 'isolated',
    managementResponse:
      'Management agrees. The review is now assigned to a role rather than a person, and the Finance Director confirms each quarter that it was performed.',
    compensatingControlId: null,
    status: 'open',
  },
  evidence: (items, failed) => ({
    name: 'access-review-log.csv',
    content: csvFile([
      ['Quarter', 'Reviewed by', 'Status'],
      ...items.map((i) => [
        i.item.key,
        i.item.sampleItemId === failed ? '(none)' : 'IT Manager',
        i.item.sampleItemId === failed ? 'Not performed' : 'Done',
      ]),
    ]),
  }),
};

/** The engagement, its team, objectives and controls (each walked through), in one transaction. */
export function seedIsaeEngagement(tx: Tx, userIds: Map<FirmRole, number>): number {
  const engagement = insertDemoEngagement(tx, userIds, {
    clientName: ISAE_CLIENT,
    systemName: 'Fenwick managed payroll service',
    framework: 'isae3402',
    reportType: 'type2',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    plannedReportDate: '2026-02-20',
    categories: [],
    status: 'fieldwork',
  });
  const seniorId = userIds.get('senior') ?? null;
  const objectiveIds = new Map<string, number>();
  OBJECTIVES.forEach(([reference, text], i) => {
    const row = tx
      .insert(controlObjectives)
      .values({ engagementId: engagement.id, reference, text, position: i + 1 })
      .returning()
      .get();
    appendAudit(tx, seniorId, {
      engagementId: engagement.id,
      entity: 'control-objective',
      entityId: row.id,
      action: 'create',
      changes: { reference: [null, reference], text: [null, text] },
    });
    objectiveIds.set(reference, row.id);
  });
  for (const { walkthrough, ...demo } of CONTROLS) {
    const control = insertDemoControl(
      tx,
      { engagementId: engagement.id, periodStart: engagement.periodStart, seniorId, objectiveIds },
      demo,
    );
    if (seniorId) insertDemoWalkthrough(tx, control.id, seniorId, { on: '2025-03-18', traced: walkthrough });
  }
  seedTickmarkLegend(tx, seniorId, engagement.id);
  return engagement.id;
}

const monthlyEvidence = (reference: string, title: string) => ({
  name: `${reference.toLowerCase()}-evidence.pdf`,
  content: textPdf([title, 'Months selected: signed and dated by the reviewer']),
});

/** Occurrences, samples and testing: three controls without exception, the access review with a missed quarter. */
export async function seedIsaeFieldwork(conn: Connection, engagementId: number, dataDir: string): Promise<void> {
  const { db } = conn;
  const engagement = db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  const row = db.select().from(users).where(eq(users.email, 'senior@demo.tickmark.test')).get()!;
  const senior: CurrentUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    firmRole: row.firmRole,
    mustChangePassword: false,
  };
  await samplePeriodicControls(
    conn,
    senior,
    engagement,
    Object.fromEntries(CONTROLS.map((c, i) => [c.reference, { method: 'random' as const, seed: `3402${i}` }])),
  );
  const demo = demoTesting(conn, engagementId, dataDir);
  await testedClean(demo, 'FP-MD-01', 'months', monthlyEvidence('FP-MD-01', 'Master data change reports'));
  await testedClean(demo, 'FP-PC-01', 'months', monthlyEvidence('FP-PC-01', 'Gross-to-net reconciliations'));
  await testedClean(demo, 'FP-PY-01', 'months', monthlyEvidence('FP-PY-01', 'BACS submission reports and approvals'));
  await testedWithDeviation(demo, MISSED_REVIEW);
  await seedDemoAssertion(conn, engagementId, dataDir, ISAE_STATEMENT);
  const manager = db.select().from(users).where(eq(users.email, 'manager@demo.tickmark.test')).get()!;
  recordDescription(
    db,
    { id: manager.id, email: manager.email, name: manager.name, firmRole: manager.firmRole, mustChangePassword: false },
    engagementId,
    { fairlyPresented: true, matters: '' },
    0,
  );
}

const ISAE_STATEMENT = {
  signerName: 'Harriet Fenwick',
  signerTitle: 'Managing Director',
  signedOn: '2026-02-16',
  fileName: 'service-organisation-statement-signed.pdf',
  lines: [
    "Fenwick Payroll Services Ltd's statement",
    'The accompanying description has been prepared for user entities of the Fenwick managed payroll service',
    'throughout the period 1 January 2025 to 31 December 2025 ...',
    'Signed: Harriet Fenwick, Managing Director, 16 February 2026',
  ],
};
