// Every registered route, called as anonymous, as a user off the team and as the lowest role on it.
// The route list comes from fastify's own table, so a new route is swept without anyone adding it here.
import { describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../helpers/app.js';

/** Routes only a senior, manager, partner or administrator may use: staff must get 403. */
const ROLE_ONLY: RegExp[] = [
  /^(GET|POST) \/admin\//,
  /^GET \/engagements\/new$/,
  /^POST \/engagements$/,
  /^(GET|POST) \/engagements\/:engagementId\/edit$/,
  /^POST \/engagements\/:engagementId\/subservice-orgs/,
  /^POST \/engagements\/:engagementId\/team/,
  /^GET \/engagements\/:engagementId\/controls\/new$/,
  /^POST \/engagements\/:engagementId\/controls$/,
  /^(GET|POST) \/engagements\/:engagementId\/controls\/import/,
  /^GET \/engagements\/:engagementId\/controls\/:controlId\/details\/edit$/,
  /^POST \/engagements\/:engagementId\/controls\/:controlId\/(details|delete)$/,
  /^POST \/engagements\/:engagementId\/(objectives|complementary-controls|tickmarks)/,
  /^GET \/engagements\/:engagementId\/complementary-controls\/:complementaryId\/edit$/,
  /^POST \/engagements\/:engagementId\/populations\/:populationId\/(ca\/complete|replace|mapping)$/,
  /^POST \/engagements\/:engagementId\/controls\/:controlId\/populations\/upload$/,
  /^POST \/engagements\/:engagementId\/samples\/:sampleId\/(approve|decline)$/,
  /^POST \/engagements\/:engagementId\/opinion\//,
  /^POST \/engagements\/:engagementId\/audit-trail\/verify$/,
  /^POST \/engagements\/:engagementId\/roll-forward$/,
  /^(GET|POST) \/engagements\/import$/,
  /^GET \/engagements\/:engagementId\/archive\/export$/,
  /^POST \/engagements\/:engagementId\/archive$/,
];

/** Not swept as a signed-in user: they end the session the sweep is using. */
const SESSION_ENDING = new Set(['POST /logout']);

function ids(t: TestApp): Record<string, string> {
  const s = t.app.conn.sqlite;
  const one = (sql: string) => String((s.prepare(sql).get() as { id: number } | undefined)?.id ?? 999999);
  const engagementId = String(demoEngagementId(t));
  return {
    engagementId,
    controlId: one("SELECT id FROM controls WHERE reference = 'CC8.1-01'"),
    populationId: one("SELECT p.id FROM populations p JOIN controls c ON c.id = p.control_id WHERE c.reference = 'CC8.1-01'"),
    sampleId: one("SELECT s.id FROM samples s JOIN controls c ON c.id = s.control_id WHERE c.reference = 'CC8.1-01'"),
    memberId: one("SELECT m.id FROM engagement_members m WHERE m.role = 'senior'"),
    orgId: one('SELECT id FROM subservice_orgs'),
    userId: one("SELECT id FROM users WHERE email = 'senior@demo.tickmark.test'"),
    complementaryId: one('SELECT id FROM complementary_controls'),
    objectiveId: '999999',
    tickmarkId: one('SELECT id FROM tickmarks'),
    importId: '999999',
  };
}

function fill(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? '999999').replace(/\*$/, 'htmx.min.js');
}

function sweepable(t: TestApp): RouteEntry[] {
  return t.app.routeTable.filter((r) => !r.public && !r.url.startsWith('/static/') && (r.method === 'GET' || r.method === 'POST'));
}

const SECRETS = ['Nimbus', 'CC8.1-01', 'Stratus Cloud'];

async function call(t: TestApp, client: Client | null, route: RouteEntry, url: string) {
  if (!client) return t.app.inject({ method: route.method as 'GET' | 'POST', url, payload: route.method === 'POST' ? '' : undefined, headers: route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
  return route.method === 'GET' ? client.get(url) : client.post(url, {});
}

describe('authorization sweep over every registered route', () => {
  it('sends anonymous requests to log in and shows them nothing', async () => {
    const t = await buildTestApp();
    const values = ids(t);
    const routes = sweepable(t);
    for (const route of routes) {
      const res = await call(t, null, route, fill(route.url, values));
      expect([route.method, route.url, res.statusCode, res.headers.location]).toEqual([route.method, route.url, 303, '/login']);
      for (const secret of SECRETS) expect(res.body, `${route.method} ${route.url}`).not.toContain(secret);
    }
    console.log(`authorization sweep: ${routes.length} routes called anonymously`);
  });

  it('answers 404 to a user who is not on the team, on every engagement route, revealing nothing', async () => {
    const t = await buildTestApp();
    const values = ids(t);
    const admin = await loginAs(t.app, 'admin');
    const routes = sweepable(t).filter((r) => r.url.startsWith('/engagements/:engagementId'));
    for (const route of routes) {
      const res = await call(t, admin, route, fill(route.url, values));
      expect([route.method, route.url, res.statusCode]).toEqual([route.method, route.url, 404]);
      for (const secret of SECRETS) expect(res.body, `${route.method} ${route.url}`).not.toContain(secret);
    }
    console.log(`authorization sweep: ${routes.length} engagement routes refused to a user off the team`);
  });

  it('answers 403 to the lowest role on role-only actions, and never fails on the others', async () => {
    const t = await buildTestApp();
    const values = ids(t);
    const staff = await loginAs(t.app, 'staff');
    const routes = sweepable(t).filter((r) => !SESSION_ENDING.has(`${r.method} ${r.url}`));
    let refused = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const res = await call(t, staff, route, fill(route.url, values));
      const roleOnly = ROLE_ONLY.some((re) => re.test(key));
      if (roleOnly) refused++;
      expect([key, roleOnly ? res.statusCode : res.statusCode === 403 ? 'refused' : 'allowed']).toEqual([key, roleOnly ? 403 : 'allowed']);
      expect(res.statusCode, key).toBeLessThan(500);
    }
    expect(refused).toBeGreaterThan(20);
    console.log(`authorization sweep: ${routes.length} routes called as staff, ${refused} refused for want of a role`);
  });
});
