import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loginAs } from '../../helpers/app.js';
import { CSRF_HOLE, PageCache, fillCsrf } from '../../../src/core/http/page-cache.js';
import { rows, workpaper } from './helpers.js';

const csrfTokens = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/g)].map((m) => decodeURIComponent(m[1] ?? m[2]!));

describe('the kept workpaper page', () => {
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
      other.prepare('UPDATE controls SET description = ? WHERE id = ?').run('Changed from the sqlite3 shell.', w.controlId);
    } finally {
      other.close();
    }
    expect((await w.staff.get(w.url)).body).toContain('Changed from the sqlite3 shell.');
  });

  it('is kept per engagement role: the quality reviewer does not get the tester’s grid', async () => {
    const w = await workpaper();
    w.t.app.conn.sqlite.prepare("INSERT INTO engagement_members (engagement_id, user_id, role) SELECT ?, id, 'eqr' FROM users WHERE email = 'admin@demo.tickmark.test'").run(w.eid);
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
    sqlite.exec('CREATE TABLE t (x integer)');
    return { sqlite, cache: new PageCache(sqlite, capacity) };
  }
  const page = (body: string) => ({ title: 't', body });

  it('answers until any row changes', () => {
    const { sqlite, cache } = fixture();
    cache.put('k', cache.stamp(), page('a'));
    expect(cache.get('k')?.body).toBe('a');
    sqlite.prepare('INSERT INTO t VALUES (1)').run();
    expect(cache.get('k')).toBeUndefined();
    cache.put('k', cache.stamp(), page('b'));
    sqlite.prepare('UPDATE t SET x = 1').run();
    expect(cache.get('k')).toBeUndefined();
  });

  it('never answers with a page rendered from before a change', () => {
    const { sqlite, cache } = fixture();
    const stamp = cache.stamp();
    sqlite.prepare('DELETE FROM t').run();
    sqlite.prepare('INSERT INTO t VALUES (2)').run();
    cache.put('k', stamp, page('rendered before the insert'));
    expect(cache.get('k')).toBeUndefined();
  });

  it('keeps the most recently used pages up to its capacity', () => {
    const { cache } = fixture(2);
    const stamp = cache.stamp();
    cache.put('a', stamp, page('a'));
    cache.put('b', stamp, page('b'));
    cache.get('a');
    cache.put('c', stamp, page('c'));
    expect([cache.get('a')?.body, cache.get('b')?.body, cache.get('c')?.body]).toEqual(['a', undefined, 'c']);
  });

  it('fills every hole with the token, and refuses a token that would need escaping', () => {
    const body = `<input value="${CSRF_HOLE}"><form action="/x?_csrf=${CSRF_HOLE}">`;
    expect(Buffer.concat(fillCsrf(page(body), 'Ab-_9')!).toString()).toBe('<input value="Ab-_9"><form action="/x?_csrf=Ab-_9">');
    expect(fillCsrf(page(body), 'a"b')).toBeUndefined();
  });
});
