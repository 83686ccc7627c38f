// Every route of fastify's route table, reads and writes, public ones and those outside an engagement, sent
// as the demo partner with a hostile value in each path parameter and with hostile query strings: whatever
// comes back, it is never a 5xx. A new route is covered without anyone adding it here.
import { describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../helpers/app.js';
import { demoIds, fillParams } from './hostile-values.js';

/** What a person or a script could put in a path segment; encoded where a URL cannot carry it raw. */
const HOSTILE_PARAMS = [
  'abc',
  '-1',
  '0',
  '01',
  '1e3',
  '1.5',
  '0x10',
  '99999999999999999999',
  '9007199254740993',
  '%00',
  '%ff',
  'x'.repeat(2000),
  encodeURIComponent('🧾ü\u202e'),
  ' 1',
  '1%20',
];
/** Hostile query strings, raw as they arrive: repeated keys, arrays, emptiness, huge numbers, bad escapes. */
const HOSTILE_QUERIES = [
  'page=1&page=2',
  'sort=risk&sort=owner&status=a&status=b',
  'a[]=1&a[]=2&status[]=open&page[]=1',
  'status[0]=open&status[1]=all&page[x]=1',
  '',
  '=&&=x&page=&item=',
  `page=${'9'.repeat(400)}&item=99999999999999999999`,
  'page=-1&item=1e308&confidence=NaN&sampleSize=Infinity',
  'page=%ff&status=%ff%fe&%ff=1',
  'status=%E0%A4%A&entity=%C0%AF',
  '__proto__[polluted]=1&constructor[prototype][x]=1&__proto__=x',
  `q=${'x'.repeat(8000)}`,
];
/** Printed through Chromium: a hostile id is refused before printing, but every query string would print. */
const PRINTED = [/\/pdf$/, /\/archive\/export$/];
/** Writes that change what later requests see; they are sent last, and /logout from a session of its own. */
const LAST = [/\/logout$/, /\/delete$/, /\/remove$/, /\/discard$/, /\/lock$/, /\/unlock$/, /\/replace$/];

const failures: string[] = [];
const statuses = new Map<number, number>();

async function send(client: Client, route: RouteEntry, url: string, what: string): Promise<void> {
  const res = route.method === 'GET' ? await client.get(url) : await client.post(url, {});
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} (${what}) answered ${res.statusCode}`);
}

function routesOf(t: TestApp): RouteEntry[] {
  const all = t.app.routeTable.filter((r) => !r.url.startsWith('/static/') && r.url !== '*');
  const isLast = (r: RouteEntry) => r.method !== 'GET' && LAST.some((re) => re.test(r.url));
  return [
    ...all.filter((r) => r.method === 'GET'),
    ...all.filter((r) => r.method !== 'GET' && !isLast(r)),
    ...all.filter(isLast),
  ];
}

async function setUp() {
  const t = await buildTestApp();
  const partner = await loginAs(t.app, 'partner');
  const eid = demoEngagementId(t);
  const ids: Record<string, string> = {
    ...demoIds(t, eid),
    userId: '1',
    keyId: '1',
    noteId: '1',
    objectiveId: '1',
    criterionId: '1',
  };
  return { t, partner, ids };
}

/** A client for the route: /logout from a throwaway session, so the partner stays logged in for the rest. */
async function clientFor(t: TestApp, partner: Client, route: RouteEntry): Promise<Client> {
  if (!route.url.endsWith('/logout')) return partner;
  return loginAs(t.app, 'partner');
}

describe('hostile input on every route', () => {
  it('no route answers 5xx to a hostile path parameter or query string', { timeout: 900_000 }, async () => {
    const { t, partner, ids } = await setUp();
    const routes = routesOf(t);
    expect(routes.length).toBeGreaterThan(150);
    expect(routes.some((r) => r.url === '/login' && r.method === 'POST')).toBe(true);
    let sent = 0;
    for (const route of routes) {
      const client = await clientFor(t, partner, route);
      await client.get('/');
      for (const param of [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        for (const value of HOSTILE_PARAMS) {
          const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
            name === param ? value : encodeURIComponent(ids[name] ?? '999999'),
          );
          await send(client, route, url, `:${param} = ${value.slice(0, 40)}`);
          sent++;
        }
      }
      if (PRINTED.some((re) => re.test(route.url))) continue;
      for (const query of HOSTILE_QUERIES) {
        await send(client, route, `${fillParams(route.url, ids)}?${query}`, `?${query.slice(0, 60)}`);
        sent++;
      }
    }
    console.log(
      `hostile routes: ${routes.length} routes, ${sent} requests, answered ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    // Not vacuous: some reads succeed, hostile ids are refused as no such page, and writes are not all forged.
    expect([statuses.get(200), statuses.get(404)].every((n) => (n ?? 0) > 100)).toBe(true);
    expect(failures).toEqual([]);
  });

  it('an id that is no positive integer is the 404 page, whichever way the route looks it up', async () => {
    const t = await buildTestApp();
    const admin = await loginAs(t.app, 'admin');
    await admin.get('/admin/trusted-keys');
    for (const url of ['/admin/trusted-keys/abc/remove', '/admin/trusted-keys/1e3/remove', '/admin/users/01/active']) {
      const res = await admin.post(url, {});
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.body).toContain('Not found');
    }
  });
});
