// Every query the engagement's pages run, asked of SQLite's planner: none may read a large table from end to
// end. The tables that grow with an engagement (items, results, exceptions, the trail) must be reached through
// an index; a page that scans one slows with every control added (Section IV grew six-fold for four times the
// controls before tested_items and exceptions were indexed by workpaper).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSweep, inEngagement, sweptRoutes, urlOf, type Sweep } from '../security/sweep/fixture.js';

/** Tables whose rows grow with the population, the sample or the work done. */
const LARGE = [
  'population_items',
  'sample_items',
  'tested_items',
  'test_results',
  'exceptions',
  'exception_anomalies',
  'audit_entries',
  'evidence_files',
  'review_notes',
  'review_note_messages',
  'signoffs',
  'sessions',
];

const seen = new Set<string>();
const prepare = Database.prototype.prepare;
beforeAll(() => {
  Database.prototype.prepare = function recording(this: Database.Database, source: string) {
    if (/^\s*(select|with)\b/i.test(source)) seen.add(source);
    return prepare.call(this, source);
  } as typeof prepare;
});
afterAll(() => {
  Database.prototype.prepare = prepare;
});

/** The newest row by rowid (the trail's chain head): SQLite reports a SCAN but reads one row from the end. */
const newestRow = /^SELECT [\w, ]+ FROM \w+ ORDER BY id DESC LIMIT 1$/i;

/**
 * `SCAN <table>` rows of the plan (SEARCH … USING INDEX is a lookup, not a scan), and a sort of the trail in a
 * temporary tree (the history page must read it in index order).
 */
function fullScans(db: Database.Database, source: string): string[] {
  if (newestRow.test(source.trim())) return [];
  const params = (source.match(/\?/g) ?? []).map(() => null);
  const plan = (prepare.call(db, `EXPLAIN QUERY PLAN ${source}`).all(params) as { detail: string }[]).map(
    (row) => row.detail,
  );
  const scans = plan.filter((detail) =>
    LARGE.some((table) => new RegExp(`^SCAN ${table}\\b(?! USING (COVERING )?INDEX)`).test(detail)),
  );
  const sortsTrail =
    /from "?audit_entries"?/i.test(source) && plan.some((detail) => detail.startsWith('USE TEMP B-TREE FOR ORDER BY'));
  return sortsTrail ? [...scans, 'USE TEMP B-TREE FOR ORDER BY (audit_entries)'] : scans;
}

describe('query plans of the engagement pages', () => {
  let s: Sweep;
  beforeAll(async () => {
    s = await buildSweep();
  }, 120_000);

  it('reads no large table from end to end on any page of an engagement', async () => {
    const pages = sweptRoutes(s.t).filter((r) => r.method === 'GET' && inEngagement(r));
    for (const route of pages) {
      const res = await s.members.partner.get(urlOf(route, s.e1, undefined));
      expect(res.statusCode, route.url).toBeLessThan(500);
    }
    expect(seen.size).toBeGreaterThan(50);
    const scans = [...seen].flatMap((source) =>
      fullScans(s.t.app.conn.sqlite, source).map((scan) => `${scan}\n    in ${source}`),
    );
    expect(scans).toEqual([]);
  }, 300_000);
});
