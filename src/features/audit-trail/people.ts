// The trail records who decided by their user id (the column's own value); the History page shows their name
// beside it, as of now, so "completedBy 7" reads "completedBy Dana Okafor (#7)".
import { userNames } from '../../core/auth/user-names.js';
import type { Tx } from '../../db/connection.js';

type Changes = Record<string, [unknown, unknown]>;

const namesAPerson = (field: string) => /By$/.test(field);

export function withPeopleNamed<T extends { changes: Changes }>(db: Tx, entries: T[]): T[] {
  const ids = entries.flatMap((e) =>
    Object.entries(e.changes)
      .filter(([field]) => namesAPerson(field))
      .flatMap(([, values]) => values.filter((v): v is number => typeof v === 'number')),
  );
  const names = userNames(db, ids);
  if (names.size === 0) return entries;
  const named = (v: unknown) => (typeof v === 'number' && names.has(v) ? `${names.get(v)} (#${v})` : v);
  return entries.map((e) => ({
    ...e,
    changes: Object.fromEntries(
      Object.entries(e.changes).map(([field, [before, after]]) =>
        namesAPerson(field) ? [field, [named(before), named(after)]] : [field, [before, after]],
      ),
    ),
  }));
}
