// Demo testing, done through the same services the grid's keys use: several controls tested and prepared with
// evidence, CC6.3-01 with a leaver who was not one (a wholly N/A item, replaced from the seeded sequence),
// CC1.4-01 with an exception cleared by an extension, CC7.1-01 not operating effectively.
import type { Connection } from '../../db/connection.js';
import { drawWorkpaperExtension, type ExceptionInput, saveCells, saveException } from '../testing/index.js';
import { MAX_SAMPLE_SIZE } from '../../domain/sample-approval.js';
import { csvFile, emailFile, textPdf } from './evidence-files.js';
import {
  attach,
  conclude,
  type Deviation,
  demoTesting,
  type Demo,
  itemsOf,
  passEverything,
  testedClean,
  testedWithDeviation,
} from './testing-steps.js';

export { type Deviation, demoTesting, testedClean, testedWithDeviation } from './testing-steps.js';

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
