// A second demo engagement whose reporting period is a fiscal year (October–September): its annual, quarterly,
// monthly and daily controls show how occurrences are counted from the period's start, and its holiday calendar
// is the fiscal year's.
import { eq } from 'drizzle-orm';
import type { Connection, Tx } from '../../db/connection.js';
import { controls, engagements, users, type FirmRole } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { saveHolidays } from '../holidays/index.js';
import { generatePeriodicPopulations } from '../populations/index.js';
import { seedTickmarkLegend } from '../tickmarks/index.js';
import { insertDemoControl } from './control-matrix.js';
import type { DemoControl } from './demo-control.js';
import { insertDemoEngagement } from './engagement.js';

export const FISCAL_CLIENT = 'Harborview Payroll Co.';

/** The weekday US federal holidays of the fiscal year 1 October 2024 – 30 September 2025. */
const HOLIDAYS_FY2025 = [
  ['2024-10-14', 'Columbus Day'],
  ['2024-11-11', 'Veterans Day'],
  ['2024-11-28', 'Thanksgiving Day'],
  ['2024-12-25', 'Christmas Day'],
  ['2025-01-01', "New Year's Day"],
  ['2025-01-20', 'Martin Luther King Jr. Day'],
  ['2025-02-17', "Presidents' Day"],
  ['2025-05-26', 'Memorial Day'],
  ['2025-06-19', 'Juneteenth'],
  ['2025-07-04', 'Independence Day'],
  ['2025-09-01', 'Labor Day'],
] as const;

const FISCAL_CONTROLS: DemoControl[] = [
  {
    reference: 'HP-RA-01',
    description:
      'Management performs an annual risk assessment of the payroll platform at the start of each fiscal year; the CFO approves the risk register and the treatment plans.',
    owner: 'Chief Financial Officer',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC3.1', 'CC3.2'],
    procedures: [
      'Inspection: Inspected the fiscal-year risk register and the CFO approval to determine whether the assessment was performed and approved.',
    ],
    attributes: [
      'The risk assessment covers the payroll platform.',
      'The CFO approved the register before the end of the first fiscal quarter.',
    ],
  },
  {
    reference: 'HP-AC-01',
    description:
      'System owners review user access to the payroll application each fiscal quarter; access no longer needed is removed within five business days of the review.',
    owner: 'IT Security Manager',
    frequency: 'quarterly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC6.2', 'CC6.3'],
    procedures: [
      'Inspection: Inspected the quarterly access review for the quarters selected and the tickets removing the access flagged.',
    ],
    attributes: [
      'The review covered every user of the payroll application.',
      'Access flagged for removal was removed within five business days.',
    ],
  },
  {
    reference: 'HP-VM-01',
    description:
      'The security team reviews the monthly vulnerability scan of the payroll environment; critical findings are remediated within 15 days.',
    owner: 'IT Security Manager',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.1'],
    procedures: ['Inspection: Inspected the monthly scan review and the remediation tickets for the months selected.'],
    attributes: [
      'The monthly review was performed and evidenced.',
      'Critical findings were remediated within 15 days.',
    ],
  },
  {
    reference: 'HP-PT-01',
    description:
      'Payroll operations reconciles each business day the payroll files transmitted to the bank with the bank acknowledgements and resolves differences the same day.',
    owner: 'Payroll Operations Manager',
    frequency: 'daily',
    calendar: 'business-days',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.2'],
    procedures: [
      'Inspection: Inspected the daily transmission reconciliation for a sample of business days and the resolution of any difference.',
    ],
    attributes: [
      'Every transmitted file was matched to a bank acknowledgement.',
      'Differences were resolved on the day.',
    ],
  },
  {
    reference: 'HP-MON-01',
    description:
      'The on-call engineer reviews the overnight batch-job monitor every day of the year, weekends and holidays included, and opens an incident for any failed job.',
    owner: 'Site Reliability Lead',
    frequency: 'daily',
    calendar: 'every-day',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.2', 'CC7.4'],
    procedures: [
      'Inspection: Inspected the batch-job monitor review for a sample of days and the incident opened for each failed job.',
    ],
    attributes: ['The monitor was reviewed on the day.', 'Each failed job has an incident ticket.'],
  },
];

/** The engagement, its team (the demo users in their roles) and its control matrix, in one transaction. */
export function seedFiscalEngagement(tx: Tx, userIds: Map<FirmRole, number>): number {
  const engagement = insertDemoEngagement(tx, userIds, {
    clientName: FISCAL_CLIENT,
    systemName: 'Harborview payroll processing platform',
    framework: 'soc2',
    reportType: 'type2',
    periodStart: '2024-10-01',
    periodEnd: '2025-09-30',
    plannedReportDate: '2025-11-28',
    categories: [],
    status: 'fieldwork',
  });
  const seniorId = userIds.get('senior') ?? null;
  for (const demo of FISCAL_CONTROLS)
    insertDemoControl(tx, { engagementId: engagement.id, periodStart: engagement.periodStart, seniorId }, demo);
  seedTickmarkLegend(tx, seniorId, engagement.id);
  return engagement.id;
}

/** The fiscal year's holidays, then every control's occurrences, left as drafts for the team to sample. */
export function seedFiscalPopulations(conn: Connection, engagementId: number): void {
  const { db } = conn;
  const seniorRow = db.select().from(users).where(eq(users.email, 'senior@demo.tickmark.test')).get()!;
  const senior: CurrentUser = {
    id: seniorRow.id,
    email: seniorRow.email,
    name: seniorRow.name,
    firmRole: seniorRow.firmRole,
    mustChangePassword: false,
  };
  saveHolidays(
    db,
    senior,
    engagementId,
    HOLIDAYS_FY2025.map(([date, name]) => ({ date, name })),
    0,
  );
  const engagement = db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  for (const control of db.select().from(controls).where(eq(controls.engagementId, engagementId)).all()) {
    generatePeriodicPopulations(conn, senior, engagement, control);
  }
}
