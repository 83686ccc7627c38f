import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Client, loginAs } from '../../helpers/app.js';
import { CSRF_HOLE, PageCache, fillCsrf } from '../../../src/core/http/page-cache.js';
import { appendAudit } from '../../../src/core/audit/trail.js';
import { rows, workpaper } from './helpers.js';

const csrfTokens = (html: string) =>
  [...html.matchAll(/name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/g)].map((m) => decodeURIComponent(m[1] ?? m[2]!));

const cacheOf = (res: { headers: Record<string, unknown> }) => res.headers['x-page-cache'];

describe('the kept workpaper page', () => {
  it('answers the next load from the cache, kept apart per engagement role', async () => {
    const w = await workpaper();
    expect(cacheOf(await w.staff.get(w.url))).toBe('hit');
    const senior = await loginAs(w.t.app, 'senior');
    expect(cacheOf(await senior.get(w.url))).toBe('miss');
    expect(cacheOf(await senior.get(w.url))).toBe('hit');
    expect(cacheOf(await w.staff.get(w.url))).toBe('hit');
  });

  it('stays kept while people log in, refresh their sessions, fail a log-in or only look at the log-in page', async () => {
    const w = await workpaper();
    const manager = await loginAs(w.t.app, 'manager');
    await manager.get('/engagements');
    await w.t.app.inject({ method: 'GET', url: '/login' });
    const stranger = new Client(w.t.app, '203.0.113.9');
    await stranger.get('/login');
    await stranger.post('/login', { email: 'staff@demo.tickmark.test', password: 'not the password' });
    const res = await w.staff.get(w.url);
    expect(res.statusCode).toBe(200);
    expect(cacheOf(res)).toBe('hit');
  });

  it('is dropped by a change to its own engagement only', async () => {
    const w = await workpaper();
    const other = w.t.app.conn.sqlite
      .prepare('SELECT c.id, c.engagement_id AS eid FROM controls c WHERE c.engagement_id <> ? LIMIT 1')
      .get(w.eid) as { id: number; eid: number };
    w.t.app.conn.db.transaction((tx) => {
      w.t.app.conn.sqlite.prepare('UPDATE controls SET owner = ? WHERE id = ?').run('Someone else', other.id);
      appendAudit(tx, null, {
        engagementId: other.eid,
        entity: 'control',
        entityId: other.id,
        action: 'update',
        changes: { owner: ['', 'Someone else'] },
      });
    });
    expect(cacheOf(await w.staff.get(w.url))).toBe('hit');
    await w.mark(w.staff, w.items[0]!, 'A', 'pass');
    const after = await w.staff.get(w.url);
    expect(cacheOf(after)).toBe('miss');
    expect(after.body).toMatch(/class="cell is-pass/);
  });

  it('renders every load afresh when switched off (TICKMARK_PAGE_CACHE=0)', async () => {
    const w = await workpaper({ env: { TICKMARK_PAGE_CACHE: '0' } });
    expect(cacheOf(await w.staff.get(w.url))).toBe('miss');
    expect(cacheOf(await w.staff.get(w.url))).toBe('miss');
  });

  it('gives a second reader the page with their own CSRF token in every form', async () => {
    const w = await workpaper();
    const senior = await loginAs(w.t.app, 'senior');
    await senior.get('/engagements');
    const first = await w.staff.get(w.url);
    const second = await senior.get(w.url);
    expect(second.statusCode).toBe(200);
    expect(second.body).not.toContain(CSRF_HOLE);
    const staffTokens = new Set(csrfTokens(first.body));
    const seniorTokens = csrfTokens(second.body);
    expect(seniorTokens.length).toBeGreaterThan(3);
    for (const token of seniorTokens) expect(staffTokens.has(token)).toBe(false);
    // The last form on the page is the workpaper's own (evidence upload is multipart; bulk pass is plain).
    const bulkToken = /action="[^"]*\/bulk-pass"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(second.body)![1]!;
    const passed = await senior.post(`${w.url}/bulk-pass`, { attribute: 'A', _csrf: bulkToken });
    expect(passed.statusCode).toBe(303);
  });

  it('shows a save on the very next load, and a change made through another connection too', async () => {
    const w = await workpaper();
    expect((await w.staff.get(w.url)).body).not.toMatch(/class="cell is-pass/);
    await w.mark(w.staff, w.items[0]!, 'A', 'pass');
    expect((await w.staff.get(w.url)).body).toMatch(/class="cell is-pass/);
    const other = new Database(w.t.config.dbPath);
    try {
      other
        .prepare('UPDATE controls SET description = ? WHERE id = ?')
        .run('Changed from the sqlite3 shell.', w.controlId);
    } finally {
      other.close();
    }
    expect((await w.staff.get(w.url)).body).toContain('Changed from the sqlite3 shell.');
  });

  it('is kept per engagement role: the quality reviewer does not get the tester’s grid', async () => {
    const w = await workpaper();
    w.t.app.conn.sqlite
      .prepare(
        "INSERT INTO engagement_members (engagement_id, user_id, role) SELECT ?, id, 'eqr' FROM users WHERE email = 'admin@demo.tickmark.test'",
      )
      .run(w.eid);
    // Logging in writes; done first, so that the staff member's page is still kept when the reviewer asks.
    const reviewer = await loginAs(w.t.app, 'admin');
    await reviewer.get('/engagements');
    expect((await w.staff.get(w.url)).body).toContain('/static/js/grid.js');
    const page = await reviewer.get(w.url);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/static/js/grid.js');
    expect(rows(w.t, 'SELECT count(*) AS n FROM engagement_members WHERE engagement_id = ?', w.eid)[0]!.n).toBe(5);
  });
});

describe('PageCache', () => {
  function fixture(capacity?: number) {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE audit_entries (id integer PRIMARY KEY, engagement_id integer)');
    const entry = (engagementId: number | null) =>
      sqlite.prepare('INSERT INTO audit_entries (engagement_id) VALUES (?)').run(engagementId);
    return { sqlite, entry, cache: new PageCache(sqlite, capacity) };
  }
  const page = (body: string) => ({ title: 't', body });

  it('answers until its engagement or the firm writes a trail entry', () => {
    const { entry, cache } = fixture();
    cache.put(1, 'k', cache.stamp(1), page('a'));
    entry(2);
    expect(cache.get(1, 'k')?.body).toBe('a');
    entry(1);
    expect(cache.get(1, 'k')).toBeUndefined();
    cache.put(1, 'k', cache.stamp(1), page('b'));
    entry(null);
    expect(cache.get(1, 'k')).toBeUndefined();
  });

  it('never answers with a page rendered from before a change', () => {
    const { entry, cache } = fixture();
    const stamp = cache.stamp(1);
    entry(1);
    cache.put(1, 'k', stamp, page('rendered before the entry'));
    expect(cache.get(1, 'k')).toBeUndefined();
  });

  it('keeps the most recently used pages up to its capacity, and keeps engagements apart', () => {
    const { cache } = fixture(2);
    const stamp = cache.stamp(1);
    cache.put(1, 'a', stamp, page('a'));
    cache.put(1, 'b', stamp, page('b'));
    cache.get(1, 'a');
    cache.put(1, 'c', stamp, page('c'));
    expect([cache.get(1, 'a')?.body, cache.get(1, 'b')?.body, cache.get(1, 'c')?.body, cache.get(2, 'a')]).toEqual([
      'a',
      undefined,
      'c',
      undefined,
    ]);
  });

  it('encodes a body once, and hands it back encoded even when it keeps nothing', () => {
    const { cache } = fixture(0);
    const kept = cache.put(1, 'k', cache.stamp(1), page(`x${CSRF_HOLE}y`));
    expect(kept.parts.map(String)).toEqual(['x', 'y']);
    expect(cache.get(1, 'k')).toBeUndefined();
  });

  it('fills every hole with the token, and refuses a token that would need escaping', () => {
    const body = `<input value="${CSRF_HOLE}"><form action="/x?_csrf=${CSRF_HOLE}">`;
    expect(Buffer.concat(fillCsrf(page(body), 'Ab-_9')!).toString()).toBe(
      '<input value="Ab-_9"><form action="/x?_csrf=Ab-_9">',
    );
    expect(fillCsrf(page(body), 'a"b')).toBeUndefined();
  });
});
