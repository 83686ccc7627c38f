import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { users } from '../../db/schema/index.js';

/** Names of the people who appear on a page (preparers, approvers, signers), by id. */
export function userNames(db: Tx, ids: Iterable<number | null | undefined>): Map<number, string> {
  const wanted = [...new Set([...ids].filter((id): id is number => typeof id === 'number'))];
  if (wanted.length === 0) return new Map();
  return new Map(
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, wanted))
      .all()
      .map((u) => [u.id, u.name]),
  );
}
