import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';

const rowsOf = (body: string) =>
  [...body.matchAll(/<td class="nowrap"><a href="[^"]+\/controls\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);

/** Counts the SQL statements a request prepares, to show the matrix does not query per row. */
/** Counts the statements run (not compiled: the connection keeps compiled statements) until the test ends. */
function countStatements(t: TestApp): { readonly n: number } {
  const proto = Object.getPrototypeOf(t.app.conn.sqlite.prepare('SELECT 1')) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const counter = { n: 0 };
  for (const method of ['all', 'get', 'run', 'iterate']) {
    const original = proto[method]!;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      counter.n++;
      return original.apply(this, args);
    };
    onTestFinished(() => {
      proto[method] = original;
    });
  }
  return counter;
}

function addControls(t: TestApp, engagementId: number, n: number): void {
  const sqlite = t.app.conn.sqlite;
  const insert = sqlite.prepare(
    "INSERT INTO controls (engagement_id, reference, description, owner, frequency, nature, control_type, is_key, risk, implemented_from, created_at, updated_at) VALUES (?, ?, ?, 'Owner', 'daily', 'manual', 'detective', 0, 'lower', '2025-01-01', 'now', 'now')",
  );
  const map = sqlite.prepare("INSERT INTO control_mappings (control_id, criterion_id) VALUES (?, 'CC7.2')");
  const proc = sqlite.prepare(
    "INSERT INTO test_procedures (control_id, position, kind, text) VALUES (?, 1, 'inspection', 'Inspected the log.')",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = insert.run(
        engagementId,
        `BULK-${String(i).padStart(3, '0')}`,
        `Bulk control number ${i} monitors the log.`,
      ).lastInsertRowid;
      map.run(id);
      proc.run(id);
    }
  })();
}

describe('the control matrix', () => {
  it('lists the demo matrix to every team member, in reference order', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const res = await staff.get(`/engagements/${id}/controls`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('34 controls');
    const refs = rowsOf(res.body);
    expect(refs).toHaveLength(34);
    expect(refs.slice(0, 3)).toEqual(['A1.1-01', 'A1.2-01', 'A1.3-01']);
    expect(refs.at(-1)).toBe('CC9.2-01');
    expect(res.body).toContain('aria-current="page">Controls</a>');
    expect(res.body).not.toContain('New control');
  });

  it('filters by criterion, frequency, nature, key and test status', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const get = async (qs: string) => rowsOf((await senior.get(`/engagements/${id}/controls?${qs}`)).body);
    expect(await get('criterion=CC6.2')).toEqual(['CC6.2-01', 'CC6.3-01', 'CC6.3-02']);
    expect(await get('criterion=cc6.2&frequency=quarterly')).toEqual(['CC6.3-02']);
    expect(await get('nature=automated')).toEqual(['CC6.1-01', 'CC6.1-02', 'CC6.6-01', 'CC8.1-02']);
    expect(await get('frequency=daily&key=yes')).toEqual(['A1.2-01', 'CC7.2-01']);
    expect((await get('key=no')).length + (await get('key=yes')).length).toBe(34);
    expect(await get('status=walked-through')).toEqual(['A1.2-01', 'CC6.2-01', 'CC6.3-01', 'CC8.1-01']);
    expect(await get('frequency=nonsense')).toHaveLength(34);
    const none = await senior.get(`/engagements/${id}/controls?criterion=CC6.2&nature=automated`);
    expect(none.body).toContain('No control matches these filters.');
  });

  it('sorts by any column through the query string, keeping the filters in the links', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const res = await senior.get(`/engagements/${id}/controls?sort=frequency&dir=desc&key=yes`);
    const refs = rowsOf(res.body);
    expect(refs[0]).toBe('CC1.4-01'); // event-driven first, then by reference
    expect(refs.at(-1)).toBe('CC9.2-01'); // annual last, ties by reference
    expect(res.body).toContain('aria-sort="descending"');
    expect(res.body).toContain(`href="/engagements/${id}/controls?key=yes&amp;sort=frequency"`);
    const byRisk = rowsOf((await senior.get(`/engagements/${id}/controls?sort=risk`)).body);
    expect(byRisk.slice(0, 2)).toEqual(['A1.2-01', 'CC3.2-01']);
  });

  it('answers an htmx filter request with the table alone', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const res = await senior.get(`/engagements/${id}/controls?nature=automated`, { 'hx-request': 'true' });
    expect(res.body.trimStart()).toMatch(/^<div id="matrix-table">/);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('4 of 34 controls match the filters.');
    expect(res.headers.vary).toContain('HX-Request');
    // The back button after hx-push-url may ask for the page again: it gets the whole page.
    const restore = await senior.get(`/engagements/${id}/controls?nature=automated`, {
      'hx-request': 'true',
      'hx-history-restore-request': 'true',
    });
    expect(restore.body).toContain('<html');
    expect(restore.body).toContain('<h1>Control matrix</h1>');
  });

  it('renders 500 controls with the same number of queries as 34 (its speed is measured in bench/)', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const counter = countStatements(t);
    await senior.get(`/engagements/${id}/controls`);
    const small = counter.n;
    addControls(t, id, 500);
    const before = counter.n;
    const res = await senior.get(`/engagements/${id}/controls`);
    expect(res.statusCode).toBe(200);
    expect(rowsOf(res.body)).toHaveLength(534);
    expect(counter.n - before).toBe(small);
  });
});

describe('access to the control screens', () => {
  it('answers 404 on every screen to someone off the team', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = (
      t.app.conn.sqlite.prepare("SELECT id FROM controls WHERE reference = 'CC6.2-01'").get() as { id: number }
    ).id;
    const admin = await loginAs(t.app, 'admin');
    const paths = [
      'controls',
      'controls/new',
      `controls/${cid}`,
      `controls/${cid}/details/edit`,
      `controls/${cid}/test-plan/edit`,
      'controls/import',
      'controls/export.xlsx',
      'coverage',
      'tickmarks',
      'objectives',
      'complementary-controls',
    ];
    for (const path of paths) {
      const res = await admin.get(`/engagements/${id}/${path}`);
      expect(res.statusCode, path).toBe(404);
      expect(res.body).not.toContain('Nimbus');
    }
    await admin.get('/engagements');
    for (const path of ['controls', `controls/${cid}/test-plan`, `controls/${cid}/delete`, 'tickmarks']) {
      expect((await admin.post(`/engagements/${id}/${path}`, { reference: 'X' })).statusCode, path).toBe(404);
    }
  });
});
