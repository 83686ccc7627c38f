import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { preparedQuery } from '../../db/prepared.js';
import { users, type FirmRole } from '../../db/schema/index.js';
import { notFound } from '../errors.js';

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  firmRole: FirmRole;
  mustChangePassword: boolean;
}

const userById = preparedQuery((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
);

export function loadActiveUser(db: Db, id: number): CurrentUser | null {
  const row = userById(db).get({ id });
  // A person recorded from an unverified archive is never an account, whatever its other flags say.
  if (!row?.active || row.recordedEmail !== null) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    firmRole: row.firmRole,
    mustChangePassword: row.mustChangePassword,
  };
}

/**
 * The logged-in user of a request past the authentication hook. A route that calls this on a request with no
 * user is a route wrongly marked public: it answers no such page rather than acting for nobody.
 */
export function currentUser(req: { user: CurrentUser | null }): CurrentUser {
  if (!req.user) throw notFound();
  return req.user;
}
