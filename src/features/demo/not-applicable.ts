// The demo engagement's one criterion marked not applicable, with the reason the description discloses.
import { eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { users } from '../../db/schema/index.js';
import { markNotApplicable } from '../opinion/index.js';

export const DEMO_NOT_APPLICABLE = {
  criterionRef: 'CC6.5',
  reason:
    'Nimbus Ledger holds no customer data on physical assets of its own: staff reach the platform only through managed virtual desktops with local storage blocked (CC6.1-03), and the storage media holding customer data are Stratus Cloud Services’ infrastructure, outside the system’s boundary.',
};

export function seedDemoNotApplicable(conn: Connection, engagementId: number): void {
  const manager = conn.db.select().from(users).where(eq(users.email, 'manager@demo.tickmark.test')).get()!;
  const actor = {
    id: manager.id,
    email: manager.email,
    name: manager.name,
    firmRole: manager.firmRole,
    mustChangePassword: false,
  };
  markNotApplicable(conn.db, actor, engagementId, DEMO_NOT_APPLICABLE.criterionRef, DEMO_NOT_APPLICABLE.reason);
}
