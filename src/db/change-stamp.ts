import type Database from 'better-sqlite3';

const statements = new WeakMap<Database.Database, Database.Statement>();

/**
 * A value that changes whenever what an engagement's pages are built from may have changed: the newest trail
 * entry of the engagement (every write to its evidence writes one, in the same transaction), the newest
 * firm-wide entry (people, the methodology), and SQLite's counter of commits made by other connections (the
 * sqlite3 shell, a restore). Sessions and the log-in throttle write no entry, so they leave it alone; an
 * index on the trail's engagement and id makes each part one lookup.
 */
export function engagementStamp(sqlite: Database.Database, engagementId: number): string {
  let stmt = statements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      'SELECT (SELECT max(id) FROM audit_entries WHERE engagement_id = ?) AS own, (SELECT max(id) FROM audit_entries WHERE engagement_id IS NULL) AS firm, (SELECT data_version FROM pragma_data_version) AS others',
    );
    statements.set(sqlite, stmt);
  }
  const { own, firm, others } = stmt.get(engagementId) as { own: number | null; firm: number | null; others: number };
  return `${own ?? 0}.${firm ?? 0}.${others}`;
}
