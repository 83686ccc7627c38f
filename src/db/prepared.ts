import type { Db, Tx } from './connection.js';

/**
 * A drizzle query built once per database, with `sql.placeholder` for its values, for the queries every page
 * runs (the user, the engagement, the header's list). Building a query costs more than running it on SQLite.
 * Usable inside a transaction: a transaction shares its database's session, and so the prepared statement.
 */
export function preparedQuery<Q>(build: (db: Db) => Q): (db: Tx) => Q {
  const built = new WeakMap<object, Q>();
  return (db) => {
    const session = (db as unknown as { session: object }).session;
    let query = built.get(session);
    if (query === undefined) {
      query = build(db as Db);
      built.set(session, query);
    }
    return query;
  };
}
