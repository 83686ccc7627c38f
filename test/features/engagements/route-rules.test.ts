// Issue 12, item 13: the quality reviewer could save C&A and extend samples; role rules are now read from one
// table for every route, and the app will not start with a write route the table does not cover.
import { describe, expect, it } from 'vitest';
import { routeRuleProblems, ROUTE_RULES } from '../../../src/core/http/route-rules.js';
import { buildTestApp, Client, demoEngagementId, type TestApp } from '../../helpers/app.js';

async function qualityReviewer(t: TestApp): Promise<Client> {
  const s = t.app.conn.sqlite;
  s.prepare(
    "INSERT INTO users (email, name, firm_role, password_hash, created_at) SELECT 'eqr@example.com', 'Eve Quality', 'partner', password_hash, '2025-01-01' FROM users WHERE email = 'partner@demo.tickmark.test'",
  ).run();
  s.prepare(
    "INSERT INTO engagement_members (engagement_id, user_id, role, role_since) SELECT ?, id, 'eqr', '2025-01-01T00:00:00.000Z' FROM users WHERE email = 'eqr@example.com'",
  ).run(demoEngagementId(t));
  const client = new Client(t.app);
  await client.login('eqr@example.com');
  return client;
}

const one = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).get(...args) as Record<string, unknown>;

describe('role rules on every write route', () => {
  it('keeps the quality reviewer out of completeness and accuracy and out of the sample (the replay)', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const eqr = await qualityReviewer(t);
    const population = one(
      t,
      "SELECT p.id FROM populations p JOIN controls c ON c.id = p.control_id WHERE c.reference = 'CC8.1-01'",
    ).id;
    const sample = one(t, 'SELECT id FROM samples WHERE population_id = ?', population).id;
    const page = await eqr.get(`/engagements/${eid}/populations/${population}`);
    expect(page.statusCode).toBe(200);
    const before = {
      ca: t.app.conn.sqlite.prepare('SELECT * FROM population_ca').all(),
      items: one(t, 'SELECT count(*) AS n FROM sample_items').n,
      trail: one(t, 'SELECT count(*) AS n FROM audit_entries').n,
    };
    const ca = await eqr.post(`/engagements/${eid}/populations/${population}/ca`, {
      sourceSystem: 'Jira',
      clientCount: '120',
    });
    expect(ca.statusCode).toBe(403);
    expect(ca.body).toContain(
      'Your role on this engagement does not allow you to record completeness and accuracy (staff, seniors, managers and the engagement partner do).',
    );
    expect((await eqr.post(`/engagements/${eid}/populations/${population}/ca/complete`)).statusCode).toBe(403);
    const control = one(t, "SELECT id FROM controls WHERE reference = 'CC8.1-01'").id;
    expect((await eqr.post(`/engagements/${eid}/controls/${control}/workpaper/${population}/extend`)).statusCode).toBe(
      403,
    );
    expect(
      (await eqr.post(`/engagements/${eid}/controls/${control}/workpaper/${population}/replacements`)).statusCode,
    ).toBe(403);
    expect(
      (
        await eqr.post(`/engagements/${eid}/populations/${population}/replace`, {
          reason: 'The client sent a corrected list.',
        })
      ).statusCode,
    ).toBe(403);
    expect({
      ca: t.app.conn.sqlite.prepare('SELECT * FROM population_ca').all(),
      items: one(t, 'SELECT count(*) AS n FROM sample_items').n,
      trail: one(t, 'SELECT count(*) AS n FROM audit_entries').n,
    }).toEqual(before);
    // What a reviewer does stays open: verifying the selection and signing the quality review.
    expect((await eqr.post(`/engagements/${eid}/samples/${sample}/verify`)).statusCode).toBe(200);
  });

  it('names every write route, and refuses a table that misses one or names one that is gone', () => {
    const route = { method: 'POST', url: '/engagements/:engagementId/new-thing', public: false };
    expect(routeRuleProblems([route])).toContain(
      'POST /engagements/:engagementId/new-thing has no row in route-rules.ts: say which roles may use it',
    );
    expect(
      routeRuleProblems([{ method: 'GET', url: '/engagements/:engagementId/new-page', public: false }]).filter((p) =>
        p.includes('new-page'),
      ),
    ).toEqual([]);
    expect(routeRuleProblems([{ method: 'GET', url: '/new-firm-page', public: false }])).toContain(
      'GET /new-firm-page has no row in route-rules.ts: say which roles may use it',
    );
    expect(
      routeRuleProblems([{ method: 'POST', url: '/login', public: true }]).filter((p) => p.includes('/login')),
    ).toEqual([]);
    expect(routeRuleProblems([])).toContain(
      `route-rules.ts has a row for ${Object.keys(ROUTE_RULES)[0]}, which no route answers to`,
    );
  });

  it('holds for the app as built: every route is covered and every row is a route', async () => {
    const t = await buildTestApp();
    expect(routeRuleProblems(t.app.routeTable)).toEqual([]);
  });
});

describe('HEAD requests', () => {
  it('follow the rule of their GET route', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const { loginAs } = await import('../../helpers/app.js');
    const staff = await loginAs(t.app, 'staff');
    const head = (url: string) => t.app.inject({ method: 'HEAD', url, headers: { cookie: staff.cookie } });
    expect((await head(`/engagements/${eid}/controls`)).statusCode).toBe(200);
    expect((await head('/engagements')).statusCode).toBe(200);
    expect((await head(`/engagements/${eid}/edit`)).statusCode).toBe(403);
    expect((await head('/admin/users')).statusCode).toBe(403);
  });
});
