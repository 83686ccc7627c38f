// Demo PBC list: what was asked of Nimbus Ledger, from whom, and where each request stands.
import { eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { users } from '../../db/schema/index.js';
import { saveRequest } from '../pbc/index.js';

const REQUESTS = [
  {
    description:
      'Complete list of production changes deployed 1 Jan – 31 Dec 2025 (Jira CHG project) with the query used',
    controls: 'CC8.1-01',
    ownerName: 'Tomás Reyes, Release Manager',
    ownerEmail: 'treyes@nimbusledger.example',
    dueDate: '2026-01-09',
    status: 'accepted',
    answer: 'jira-changes-2025.csv, imported as the CC8.1-01 population',
  },
  {
    description: 'Terminated employees and contractors in 2025 from Workday, with termination dates',
    controls: 'CC6.3-01',
    ownerName: 'Grace Liu, HR Operations',
    ownerEmail: 'gliu@nimbusledger.example',
    dueDate: '2026-01-09',
    status: 'accepted',
    answer: 'workday-terminations-2025.csv',
  },
  {
    description: 'New hires in 2025 with start dates and background-check completion dates',
    controls: 'CC1.4-01',
    ownerName: 'Grace Liu, HR Operations',
    ownerEmail: 'gliu@nimbusledger.example',
    dueDate: '2026-01-09',
    status: 'accepted',
    answer: 'workday-new-hires-2025.csv',
  },
  {
    description: 'Monthly vulnerability scan reports and remediation tickets, January – December 2025',
    controls: 'CC7.1-01',
    ownerName: 'Sam Okoye, Security Engineering',
    ownerEmail: 'sokoye@nimbusledger.example',
    dueDate: '2026-01-16',
    status: 'returned',
    answer: 'August 2025 report missing; returned for the scan or an explanation',
  },
  {
    description:
      'Quarterly user access reviews for AWS, the production database and the admin console, with evidence of removals',
    controls: 'CC6.3-02',
    ownerName: 'Priyanka Rao, IT Operations',
    ownerEmail: 'prao@nimbusledger.example',
    dueDate: '2026-01-23',
    status: 'submitted',
    answer: '',
  },
  {
    description: 'Business continuity plan and the 2025 tabletop exercise report',
    controls: 'CC9.1-01, A1.3-01',
    ownerName: 'Chief Operating Officer',
    ownerEmail: 'coo@nimbusledger.example',
    dueDate: '2026-02-06',
    status: 'open',
    answer: '',
  },
] as const;

export function seedDemoPbc(conn: Connection, engagementId: number): void {
  const senior = conn.db.select().from(users).where(eq(users.email, 'senior@demo.tickmark.test')).get()!;
  const actor = {
    id: senior.id,
    email: senior.email,
    name: senior.name,
    firmRole: senior.firmRole,
    mustChangePassword: false,
  };
  conn.db.transaction((tx) => {
    for (const r of REQUESTS) saveRequest(tx, actor, engagementId, { reference: '', ...r }, null, null);
  });
}
