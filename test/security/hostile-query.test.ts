// Every GET route, with hostile query strings and path parameters: bad, over-long and repeated values answer a
// page (the filter ignoring them, or a 400), never a 500, and nothing comes back unescaped. The route list is
// fastify's own, so a new page is covered without anyone adding it here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/app.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../helpers/app.js';
import { demoIds, fillParams, hostile, MARK } from './hostile-values.js';

/** Every name a route reads from the query string (grep `req.query`), and some an attacker would try. */
const QUERY_KEYS = [
  'status',
  'entity',
  'entityId',
  'before',
  'workpaper',
  'mine',
  'control',
  'criterion',
  'frequency',
  'nature',
  'key',
  'sort',
  'dir',
  'sizing',
  'confidence',
  'tolerableRate',
  'expectedRate',
  'sampleSize',
  'deviations',
];
const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '_csrf', 'a[b]', ''];
const RAW_FRAGMENTS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '&&&',
  '==',
  '?',
  'status[]=open',
  'status[0]=open&status[1]=all',
  '__proto__[polluted]=1',
];
const PARAM_VALUES = [
  '0',
  '-1',
  '01',
  '1e3',
  'abc',
  '9'.repeat(30),
  '%00',
  '..',
  '%2e%2e%2f',
  'A'.repeat(150),
  encodeURIComponent(MARK),
  '\u202e1',
];
/** Not fuzzed: prints through Chromium (its own tests cover it); the archive export prints every workpaper, so it
 * gets one hostile query below rather than nine. */
const SKIP = [/\/pdf$/, /\/archive\/export$/];

const enc = encodeURIComponent;
const queryOf = (pairs: [string, string][]) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
const randomQuery = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...QUERY_KEYS, ...ODD_KEYS), fc.string({ maxLength: 12 })),
        fc.oneof(hostile, fc.constantFrom('x', 'a'.repeat(61), 'a'.repeat(201))),
      ),
      { maxLength: 6 },
    ),
    fc.option(fc.constantFrom(...RAW_FRAGMENTS), { nil: undefined }),
  )
  .map(([pairs, raw]) => [queryOf(pairs), raw].filter(Boolean).join('&'));

function getRoutes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.filter(
    (r) => r.method === 'GET' && !r.public && !r.url.startsWith('/static/') && !SKIP.some((re) => re.test(r.url)),
  );
}

async function expectAPage(client: Client, url: string): Promise<number> {
  const res = await client.get(url);
  expect(res.statusCode, url.slice(0, 300)).toBeLessThan(500);
  expect(res.body, url.slice(0, 300)).not.toContain(MARK);
  if (res.statusCode === 400) expect(res.body, url.slice(0, 300)).toContain('Request refused');
  return res.statusCode;
}

async function setUp() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const clients = { manager: await loginAs(t.app, 'manager'), admin: await loginAs(t.app, 'admin') };
  const clientFor = (url: string) => (url.startsWith('/admin') ? clients.admin : clients.manager);
  return { t, eid, ids: demoIds(t, eid), clientFor, ...clients };
}

describe('hostile query strings', () => {
  it('the breaks the tester found: a stale filter value is ignored, an over-long or repeated one is a 400 page', async () => {
    const { manager, eid, ids } = await setUp();
    const base = `/engagements/${eid}`;
    const stale = await manager.get(`${base}/review-notes?status=x`);
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toContain('Review notes');
    const long = await manager.get(`${base}/history?entity=${'a'.repeat(61)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('The address gives “entity” a value Tickmark does not use.');
    const repeated: [string, string][] = [
      ['review-notes', 'status=open&status=cleared'],
      ['history', 'entity=control&entity=sample'],
      ['controls', 'sort=owner&sort=risk'],
      ['pbc', 'status=open&status=overdue'],
      ['exceptions', 'control=1&control=2'],
      ['sampling-calculator', 'confidence=90&confidence=95'],
      [`controls/${ids.controlId}/sampling`, 'sizing=table&sizing=statistical'],
    ];
    for (const [page, query] of repeated) {
      const res = await manager.get(`${base}/${page}?${query}`);
      expect([page, res.statusCode], query).toEqual([page, 400]);
      expect(res.body).toContain('more than once');
    }
    const huge = await manager.get(`${base}/controls?criterion=${'C'.repeat(5000)}`);
    expect(huge.statusCode).toBe(400);
    const exported = await manager.get(`${base}/archive/export?${RAW_FRAGMENTS.join('&')}&status=${'9'.repeat(5000)}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
  });

  it('never fail on any GET route: bad, over-long, repeated and random values', async () => {
    const { t, ids, clientFor } = await setUp();
    const routes = getRoutes(t);
    expect(routes.length).toBeGreaterThan(50);
    let sent = 0;
    for (const route of routes) {
      const url = fillParams(route.url, ids);
      const client = clientFor(url);
      for (const query of [
        queryOf(QUERY_KEYS.map((k) => [k, 'x'])),
        queryOf(QUERY_KEYS.map((k) => [k, 'a'.repeat(61)])),
        queryOf(QUERY_KEYS.map((k) => [k, '9'.repeat(5000)])),
        queryOf(
          QUERY_KEYS.flatMap(
            (k) =>
              [
                [k, '1'],
                [k, '2'],
              ] as [string, string][],
          ),
        ),
        RAW_FRAGMENTS.join('&'),
      ]) {
        await expectAPage(client, `${url}?${query}`);
        sent++;
      }
      await fc.assert(
        fc.asyncProperty(randomQuery, async (query) => {
          await expectAPage(client, `${url}?${query}`);
          sent++;
        }),
        { numRuns: 4 },
      );
    }
    console.log(`hostile query strings: ${routes.length} GET routes, ${sent} requests`);
  });
});

describe('hostile path parameters', () => {
  it('never fail: each id of each GET route replaced by junk, huge or other ids answers a page', async () => {
    const { t, ids, clientFor } = await setUp();
    let sent = 0;
    for (const route of getRoutes(t).filter((r) => r.url.includes(':'))) {
      for (const param of [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        for (const value of [...PARAM_VALUES, ...Object.values(ids)]) {
          const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
            name === param ? value : enc(ids[name] ?? '999999'),
          );
          const status = await expectAPage(clientFor(url), url);
          // Junk is no row (a 404 or a refusal); '..' and its encoding walk up the path, to a page that exists.
          if (PARAM_VALUES.includes(value) && !['01', '..', '%2e%2e%2f'].includes(value))
            expect([url, status]).not.toEqual([url, 200]);
          sent++;
        }
      }
    }
    console.log(`hostile path parameters: ${sent} requests`);
  });
});
