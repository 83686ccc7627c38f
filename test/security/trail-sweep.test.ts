// Every write route, performed once by someone allowed with the forms' real fields (the sweep's table, fixture
// and change log), inside a transaction that is rolled back: a request that changed any table must also have
// appended to the audit trail. The route list comes from fastify's own table, so a new write route is held to
// this without anyone adding it here.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import type { Client } from '../helpers/app.js';
import {
  buildSweep,
  inEngagement,
  keyOf,
  send,
  sweptRoutes,
  urlOf,
  withRollback,
  type Sweep,
} from './sweep/fixture.js';
import { SWEEP_ROWS, type EngagementRole, type FirmRole } from './sweep/table.js';

let s: Sweep;
beforeAll(async () => {
  s = await buildSweep();
}, 120_000);

/** The partner where the partner may, else the first role the table allows (the quality reviewer, the administrator). */
function allowedClient(route: RouteEntry): Client {
  const roles = SWEEP_ROWS[keyOf(route)]!.roles as readonly string[];
  const role = roles.includes('partner') ? 'partner' : roles[0]!;
  return inEngagement(route) ? s.members[role as EngagementRole] : s.outsiders[role as FirmRole];
}

/** What an allowed request changed, when it changed tables but wrote no trail entry; null when it holds. */
async function untrailedWrites(route: RouteEntry): Promise<string[] | null> {
  const { result, wrote } = await withRollback(s, () =>
    send(s, allowedClient(route), route, urlOf(route, s.e1, SWEEP_ROWS[keyOf(route)])),
  );
  expect(result.statusCode, keyOf(route)).toBeLessThan(500);
  const changed = wrote.filter((w) => !w.endsWith(' audit_entries'));
  return changed.length > 0 && !wrote.includes('insert audit_entries') ? changed : null;
}

describe('trail sweep over every write route', () => {
  it('appends a trail entry whenever an allowed request changes the database', async () => {
    const routes = sweptRoutes(s.t).filter((r) => r.method === 'POST' && SWEEP_ROWS[keyOf(r)]);
    const untrailed: Record<string, string[]> = {};
    for (const route of routes) {
      const changed = await untrailedWrites(route);
      if (changed) untrailed[keyOf(route)] = changed;
    }
    expect(untrailed, 'these routes changed the database without a trail entry').toEqual({});
    console.log(`trail sweep: ${routes.length} write routes performed, each change trailed`);
  });
});
