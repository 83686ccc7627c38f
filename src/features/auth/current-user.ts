import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { users, type FirmRole } from '../../db/schema/index.js';

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  firmRole: FirmRole;
  mustChangePassword: boolean;
}

export function loadActiveUser(db: Db, id: number): CurrentUser | null {
  const row = db.select().from(users).where(eq(users.id, id)).get();
  if (!row || !row.active) return null;
  return { id: row.id, email: row.email, name: row.name, firmRole: row.firmRole, mustChangePassword: row.mustChangePassword };
}
