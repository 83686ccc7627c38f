// A viewer reads everything and may do nothing: every write route of the engagement, swept from fastify's own
// route table, is refused to a viewer and changes nothing in the database.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { rowCounts } from '../archive/archive-helpers.js';

function realIds(t: TestApp, eid: number): Record<string, string> {
  const s = t.app.conn.sqlite;
  const one = (sql: string) => String((s.prepare(sql).get(eid) as { id: number } | undefined)?.id ?? 999999);
  return {
    engagementId: String(eid),
    controlId: one("SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC8.1-01'"),
    populationId: one(
      "SELECT p.id FROM populations p JOIN controls c ON c.id = p.control_id WHERE c.engagement_id = ? AND c.reference = 'CC8.1-01'",
    ),
    sampleId: one(
      "SELECT s.id FROM samples s JOIN controls c ON c.id = s.control_id WHERE c.engagement_id = ? AND c.reference = 'CC8.1-01'",
    ),
    memberId: one("SELECT id FROM engagement_members WHERE engagement_id = ? AND role = 'senior'"),
    orgId: one('SELECT id FROM subservice_orgs WHERE engagement_id = ?'),
    complementaryId: one('SELECT id FROM complementary_controls WHERE engagement_id = ?'),
    tickmarkId: one('SELECT id FROM tickmarks WHERE engagement_id = ?'),
    noteId: one('SELECT id FROM review_notes WHERE engagement_id = ?'),
    evidenceId: one('SELECT id FROM evidence_files WHERE engagement_id = ?'),
    workpaperId: one('SELECT id FROM workpapers WHERE engagement_id = ?'),
    sampleItemId: one(
      'SELECT i.id FROM sample_items i JOIN samples s ON s.id = i.sample_id JOIN controls c ON c.id = s.control_id WHERE c.engagement_id = ? LIMIT 1',
    ),
    requestId: one('SELECT id FROM pbc_requests WHERE engagement_id = ?'),
    limitationId: one('SELECT id FROM scope_limitations WHERE engagement_id = ?'),
  };
}

describe('the viewer role', () => {
  it('is refused every write on the engagement, and the database stays as it was', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite
      .prepare(
        "UPDATE engagement_members SET role = 'viewer' WHERE engagement_id = ? AND user_id = (SELECT id FROM users WHERE email = 'staff@demo.tickmark.test')",
      )
      .run(eid);
    const viewer = await loginAs(t.app, 'staff');
    const ids = realIds(t, eid);
    expect((await viewer.get(`/engagements/${eid}/controls`)).statusCode).toBe(200);
    const writes = t.app.routeTable.filter(
      (r) => r.method === 'POST' && r.url.startsWith('/engagements/:engagementId'),
    );
    expect(writes.length).toBeGreaterThan(40);
    const before = rowCounts(t.app.conn.sqlite);
    for (const route of writes) {
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? '999999');
      const res = await viewer.post(url, { reason: 'x', text: 'x', confirm: 'yes', role: 'partner', userId: '1' });
      expect([route.url, res.statusCode]).toEqual([route.url, 403]);
    }
    expect(rowCounts(t.app.conn.sqlite)).toEqual(before);
  });
});
