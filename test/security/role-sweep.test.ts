// Every role against every role-only action, from the one table of who may do what (sweep/table.ts): each
// engagement role on the team (quality reviewer included) on every write route and role-only page, each firm
// role on the routes outside an engagement, and every write of a locked engagement. A refusal must change
// nothing; an allowed request (run in a transaction that is rolled back) must not be refused, and with the
// forms' real fields must write, unless the table says why it cannot from the sweep's starting point.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { lockExemptionOf, ruleFor } from '../../src/core/http/route-rules.js';
import type { Client } from '../helpers/app.js';
import {
  buildSweep,
  inEngagement,
  isDownload,
  keyOf,
  send,
  sweptRoutes,
  urlOf,
  withRollback,
  type Sweep,
} from './sweep/fixture.js';
import { ENGAGEMENT_ROLES, FIRM_ROLES, SWEEP_ROWS, type SweepRow } from './sweep/table.js';

let s: Sweep;
beforeAll(async () => {
  s = await buildSweep();
}, 120_000);

/** Calls the route as `client`; a refusal is checked to change nothing, an allowed call is rolled back. */
async function check(
  client: Client,
  route: RouteEntry,
  row: SweepRow | undefined,
  allowed: boolean,
  refusal: RegExp,
): Promise<string[]> {
  const key = keyOf(route);
  const url = urlOf(route, s.e1, row);
  if (!allowed) {
    const mark = s.changes.mark();
    const res = await send(s, client, route, url);
    expect([key, res.statusCode]).toEqual([key, 403]);
    expect(res.body, key).toMatch(refusal);
    expect([key, s.changes.since(mark)]).toEqual([key, []]);
    return [];
  }
  const { result, wrote } = await withRollback(s, () => send(s, client, route, url));
  expect([
    key,
    result.statusCode === 403 ? `refused: ${/<p>([^<]*)<\/p>/.exec(result.body)?.[1]}` : 'not refused',
  ]).toEqual([key, 'not refused']);
  expect(result.statusCode, key).toBeLessThan(500);
  return wrote;
}

describe('the role table', () => {
  it('has a row for every write route and every route outside an engagement, and no row for a route that is gone', () => {
    const routes = sweptRoutes(s.t);
    // Open to anyone signed in (the home page, the engagement list, one's own password): no role to sweep.
    const forEveryone = (r: RouteEntry) => ruleFor(r)?.kind === 'signed-in';
    const needRows = routes.filter((r) => (r.method === 'POST' || !inEngagement(r)) && !forEveryone(r)).map(keyOf);
    expect(needRows.filter((k) => !SWEEP_ROWS[k])).toEqual([]);
    const known = new Set(routes.map(keyOf));
    expect(Object.keys(SWEEP_ROWS).filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('role sweep', () => {
  it('lets each engagement role do exactly what the table says, on every write route and role-only page', async () => {
    const routes = sweptRoutes(s.t).filter((r) => inEngagement(r) && (r.method === 'POST' || SWEEP_ROWS[keyOf(r)]));
    const writes = new Map<string, string[]>();
    let refused = 0;
    for (const route of routes) {
      const row = SWEEP_ROWS[keyOf(route)];
      for (const role of ENGAGEMENT_ROLES) {
        const allowed = ((row?.roles ?? []) as readonly string[]).includes(role);
        if (!allowed) refused++;
        const wrote = await check(
          s.members[role],
          route,
          row,
          allowed,
          /Your role on this engagement does not allow you to /,
        );
        if (wrote.length > 0) writes.set(keyOf(route), wrote);
      }
    }
    // The bodies are real: each write route, for someone allowed, wrote something (or the table says why not).
    const silent = routes
      .filter((r) => r.method === 'POST' && !SWEEP_ROWS[keyOf(r)]?.writesNothing && !writes.has(keyOf(r)))
      .map(keyOf);
    expect(silent).toEqual([]);
    const stale = routes.filter((r) => SWEEP_ROWS[keyOf(r)]?.writesNothing && writes.has(keyOf(r))).map(keyOf);
    expect(stale, 'these rows say they write nothing, but they wrote: drop their writesNothing').toEqual([]);
    console.log(
      `role sweep: ${routes.length} routes × ${ENGAGEMENT_ROLES.length} engagement roles, ${refused} refused for want of a role`,
    );
  });

  it('opens every other page of the engagement to the most junior member and to the roles outside the work (the quality reviewer), never failing', async () => {
    // Downloads (workbooks, documents, PDFs) pass the same gate and are tested with their features.
    const pages = sweptRoutes(s.t).filter(
      (r) => inEngagement(r) && r.method === 'GET' && !SWEEP_ROWS[keyOf(r)] && !isDownload(r),
    );
    for (const role of ENGAGEMENT_ROLES.filter((r) => r !== 'senior' && r !== 'manager' && r !== 'partner')) {
      for (const route of pages) {
        const res = await s.members[role].get(urlOf(route, s.e1, undefined));
        expect([
          keyOf(route),
          role,
          res.statusCode === 403 ? 'refused' : res.statusCode >= 500 ? 'failed' : 'served',
        ]).toEqual([keyOf(route), role, 'served']);
      }
    }
    console.log(`role sweep: ${pages.length} pages read by staff and the quality reviewer`);
  });

  it('lets each firm role do exactly what the table says outside an engagement', async () => {
    const routes = sweptRoutes(s.t).filter(
      (r) => !inEngagement(r) && SWEEP_ROWS[keyOf(r)] && r.url !== '/account/password',
    );
    for (const route of routes) {
      const row = SWEEP_ROWS[keyOf(route)]!;
      for (const role of FIRM_ROLES)
        await check(
          s.outsiders[role],
          route,
          row,
          (row.roles as readonly string[]).includes(role),
          /Only (managers, partners and administrators|administrators) /,
        );
    }
    console.log(`role sweep: ${routes.length} firm routes × ${FIRM_ROLES.length} firm roles`);
  });

  it('answers 423 to every write of a locked (approved, not archived) engagement but unlocking, archiving and rolling forward, changing nothing', async () => {
    const { sqlite } = s.t.app.conn;
    const eid = s.e1.engagementId!;
    sqlite
      .prepare(
        "UPDATE engagements SET locked_at = '2026-02-27T10:00:00.000Z', locked_by = (SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'), status = 'completed' WHERE id = ?",
      )
      .run(eid);
    try {
      const routes = sweptRoutes(s.t).filter((r) => inEngagement(r) && r.method === 'POST');
      const open = new Set(routes.filter((r) => lockExemptionOf(r)?.whenLocked).map((r) => r.url));
      // The exemptions are the route table's; what they are is the methodology's, so it is pinned here too.
      expect([...open].sort()).toEqual([
        '/engagements/:engagementId/archive',
        '/engagements/:engagementId/opinion/unlock',
        '/engagements/:engagementId/roll-forward',
      ]);
      for (const route of routes) {
        const key = keyOf(route);
        const row = SWEEP_ROWS[key];
        const client = ((row?.roles ?? []) as readonly string[]).includes('partner')
          ? s.members.partner
          : s.members[(row!.roles as readonly ('eqr' | 'partner')[])[0]!];
        const url = urlOf(route, s.e1, row);
        if (open.has(route.url)) {
          const { result } = await withRollback(s, () => send(s, client, route, url));
          expect([key, result.statusCode === 423 ? 'locked' : 'open']).toEqual([key, 'open']);
          continue;
        }
        const mark = s.changes.mark();
        const res = await send(s, client, route, url);
        expect([key, res.statusCode]).toEqual([key, 423]);
        expect([key, s.changes.since(mark)]).toEqual([key, []]);
      }
      expect((await s.members.staff.get(`/engagements/${eid}/controls`)).statusCode).toBe(200);
      console.log(
        `role sweep: ${routes.length} write routes of a locked engagement, ${routes.length - open.size} refused`,
      );
    } finally {
      sqlite
        .prepare("UPDATE engagements SET locked_at = NULL, locked_by = NULL, status = 'fieldwork' WHERE id = ?")
        .run(eid);
    }
  });
});
