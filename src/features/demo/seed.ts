import { count, eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { users, type FirmRole } from '../../db/schema/index.js';
import { hashPassword } from '../auth/index.js';
import { seedDemoEngagement } from './engagement.js';
import { seedDemoPopulations } from './populations.js';
import { seedDemoTesting } from './testing.js';
import { seedDemoReview } from './review.js';
import { seedDemoPbc } from './pbc.js';
import { seedDemoAssertion } from './assertion.js';
import { seedDemoNotApplicable } from './not-applicable.js';
import { seedFiscalEngagement, seedFiscalPopulations } from './fiscal-engagement.js';
import { seedIsaeEngagement, seedIsaeFieldwork } from './isae-engagement.js';

export const DEMO_PASSWORD = 'tickmark-demo-2025';

export const DEMO_USERS: { email: string; name: string; role: FirmRole }[] = [
  { email: 'staff@demo.tickmark.test', name: 'Priya Shah', role: 'staff' },
  { email: 'senior@demo.tickmark.test', name: 'Daniel Okafor', role: 'senior' },
  { email: 'manager@demo.tickmark.test', name: 'Maria Lopez', role: 'manager' },
  { email: 'partner@demo.tickmark.test', name: 'Robert Chen', role: 'partner' },
  { email: 'admin@demo.tickmark.test', name: 'Alex Morgan', role: 'admin' },
];

export interface DemoLogins {
  password: string;
  logins: { email: string; role: string }[];
}

/** Seeds the demo firm into an empty database; reports the demo log-ins whenever the demo accounts exist. */
export async function seedDemoIfEmpty(conn: Connection, dataDir: string): Promise<DemoLogins | null> {
  const { db } = conn;
  const empty = db.select({ n: count() }).from(users).get()!.n === 0;
  if (empty) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const { engagementId, fiscalId, isaeId } = db.transaction((tx) => {
      const now = new Date().toISOString();
      const ids = new Map<FirmRole, number>();
      for (const u of DEMO_USERS) {
        const row = tx
          .insert(users)
          .values({ email: u.email, name: u.name, firmRole: u.role, passwordHash, createdAt: now })
          .returning()
          .get();
        ids.set(u.role, row.id);
      }
      return {
        engagementId: seedDemoEngagement(tx, ids),
        fiscalId: seedFiscalEngagement(tx, ids),
        isaeId: seedIsaeEngagement(tx, ids),
      };
    });
    await seedDemoPopulations(conn, engagementId, dataDir);
    await seedDemoTesting(conn, engagementId, dataDir);
    seedDemoReview(conn, engagementId);
    seedDemoPbc(conn, engagementId);
    await seedDemoAssertion(conn, engagementId, dataDir);
    seedDemoNotApplicable(conn, engagementId);
    seedFiscalPopulations(conn, fiscalId);
    await seedIsaeFieldwork(conn, isaeId, dataDir);
  }
  const demoAdmin = db.select().from(users).where(eq(users.email, 'admin@demo.tickmark.test')).get();
  if (!demoAdmin) return null;
  return {
    password: DEMO_PASSWORD,
    logins: DEMO_USERS.map((u) => ({
      email: u.email,
      role: u.role === 'admin' ? 'admin (not on the demo team)' : u.role,
    })),
  };
}
