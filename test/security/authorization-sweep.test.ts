// Every registered route, called by people who must get nothing from it: anonymous visitors, users of every
// firm role who are not on the team, a deactivated user's kept cookie, and a member who mixes another
// engagement's ids into this one's URLs. Each sends the forms' real fields, and each refusal must leave the
// database exactly as it was. The route list comes from fastify's own table, so a new route is swept without
// anyone adding it here; role by role checks are in role-sweep.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { Client } from '../helpers/app.js';
import {
  buildSweep,
  inEngagement,
  keyOf,
  newMember,
  paramsOf,
  SECRETS,
  send,
  sweptRoutes,
  urlOf,
  withRollback,
  type Sweep,
} from './sweep/fixture.js';
import { FIRM_ROLES, SWEEP_ROWS } from './sweep/table.js';

let s: Sweep;
beforeAll(async () => {
  s = await buildSweep();
}, 120_000);

/** Sends the route's real request and checks the answer and that nothing in the database changed. */
async function refusedUnchanged(
  client: Client,
  route: RouteEntry,
  url: string,
  expected: { status: number; location?: string },
  secrets = SECRETS,
) {
  const mark = s.changes.mark();
  const res = await send(s, client, route, url);
  const key = keyOf(route);
  expect([key, res.statusCode, ...(expected.location ? [res.headers.location] : [])]).toEqual([
    key,
    expected.status,
    ...(expected.location ? [expected.location] : []),
  ]);
  expect([key, s.changes.since(mark)]).toEqual([key, []]);
  for (const secret of secrets) expect(res.body, key).not.toContain(secret);
  return res;
}

describe('authorization sweep over every registered route', () => {
  it('sends anonymous requests to log in, shows them nothing and changes nothing', async () => {
    const routes = sweptRoutes(s.t);
    for (const route of routes)
      await refusedUnchanged(new Client(s.t.app), route, urlOf(route, s.e1, SWEEP_ROWS[keyOf(route)]), {
        status: 303,
        location: '/login',
      });
    console.log(`authorization sweep: ${routes.length} routes called anonymously`);
  });

  it('answers 404 on every engagement route to users of every firm role who are not on the team, changing nothing', async () => {
    const routes = sweptRoutes(s.t).filter(inEngagement);
    for (const firmRole of FIRM_ROLES) {
      for (const route of routes)
        await refusedUnchanged(s.outsiders[firmRole], route, urlOf(route, s.e1, SWEEP_ROWS[keyOf(route)]), {
          status: 404,
        });
    }
    console.log(
      `authorization sweep: ${routes.length} engagement routes refused to off-team users of ${FIRM_ROLES.length} firm roles`,
    );
  });

  it('treats a deactivated member’s kept cookie as no log-in at all, on every route', async () => {
    const leaver = await newMember(s, 'leaver@sweep.test', 'senior', 'senior');
    const { sqlite } = s.t.app.conn;
    const userId = (sqlite.prepare("SELECT id FROM users WHERE email = 'leaver@sweep.test'").get() as { id: number })
      .id;
    const session = sqlite.prepare('SELECT sid, data, expires_at FROM sessions WHERE user_id = ?').get(userId) as {
      sid: string;
      data: string;
      expires_at: number;
    };
    expect(JSON.parse(session.data).userId).toBe(userId);
    expect((await leaver.get(`/engagements/${s.e1.engagementId}`)).statusCode).toBe(200);
    sqlite.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
    const keep = sqlite.prepare('UPDATE sessions SET data = ?, expires_at = ?, user_id = ? WHERE sid = ?');
    const routes = sweptRoutes(s.t);
    for (const route of routes) {
      // The cookie is kept as it was when the user was active: the session row is put back before each request.
      keep.run(session.data, Date.now() + 3_600_000, userId, session.sid);
      await refusedUnchanged(leaver, route, urlOf(route, s.e1, SWEEP_ROWS[keyOf(route)]), {
        status: 303,
        location: '/login',
      });
    }
    console.log(`authorization sweep: ${routes.length} routes refused to a deactivated user's kept cookie`);
  });

  it('answers 404 to a member of both engagements who puts the other engagement’s ids in this one’s URLs, changing nothing', async () => {
    const partner = s.members.partner;
    const routes = sweptRoutes(s.t).filter(
      (r) => inEngagement(r) && paramsOf(r.url).some((p) => p !== 'engagementId' && p !== 'attribute'),
    );
    let mixed = 0;
    for (const route of routes) {
      const row = SWEEP_ROWS[keyOf(route)];
      // The same request with this engagement's own ids is found: the 404s below are the foreign ids' doing.
      const own = await withRollback(s, () => send(s, partner, route, urlOf(route, s.e1, row)));
      expect([keyOf(route), own.result.statusCode === 404 ? 'not found with its own ids' : 'found']).toEqual([
        keyOf(route),
        'found',
      ]);
      for (const param of paramsOf(route.url).filter((p) => p !== 'engagementId' && p !== 'attribute')) {
        await refusedUnchanged(partner, route, urlOf(route, s.e1, row, { param, from: s.e2 }), { status: 404 }, []);
        mixed++;
      }
    }
    console.log(`authorization sweep: ${mixed} URLs of ${routes.length} routes with another engagement's ids refused`);
  });
});
