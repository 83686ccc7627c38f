import { describe, expect, it } from 'vitest';
import { loginAs } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { rows, workpaper } from './helpers.js';

describe('the test grid', () => {
  it('saves a mark at once and answers with the cell; the trail records it', async () => {
    const w = await workpaper();
    const res = await w.mark(w.staff, w.items[0]!, 'A', 'pass');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /^<td id="cell-\d+-A" class="cell is-pass state-saved" tabindex="-1"[^>]*data-version="1"/,
    );
    expect(res.body).toContain('Saved');
    expect(
      rows(w.t, 'SELECT result, version FROM test_results WHERE sample_item_id = ? AND attribute = ?', w.items[0], 'A'),
    ).toEqual([{ result: 'pass', version: 1 }]);
    const trail = rows(
      w.t,
      "SELECT action, changes FROM audit_entries WHERE entity = 'test-result' ORDER BY id DESC LIMIT 1",
    )[0]!;
    expect(trail.action).toBe('create');
    expect(JSON.parse(String(trail.changes))).toMatchObject({
      cell: [null, `${w.keyOf(w.items[0]!)} / A`],
      result: [null, 'pass'],
    });
  });

  it('refuses N/A without a reason and keeps nothing; with the reason it is saved', async () => {
    const w = await workpaper();
    const refused = await w.mark(w.staff, w.items[1]!, 'C', 'na');
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Not saved: Say why the attribute is not applicable to this item.');
    expect(refused.body).toContain('is-blank');
    expect(rows(w.t, 'SELECT * FROM test_results WHERE sample_item_id = ?', w.items[1])).toEqual([]);
    const saved = await w.mark(w.staff, w.items[1]!, 'C', 'na', 0, 'Not an emergency change.');
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('<span class="na-reason">Not an emergency change.</span>');
  });

  it('keeps the first of two marks based on the same version and tells the second who changed the cell', async () => {
    const w = await workpaper();
    const senior = await loginAs(w.t.app, 'senior');
    await senior.get(w.url);
    expect((await w.mark(w.staff, w.items[2]!, 'B', 'pass')).statusCode).toBe(200);
    const late = await w.mark(senior, w.items[2]!, 'B', 'exception', 0);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('is-pass state-conflict');
    expect(late.body).toMatch(/Priya Shah changed this cell to Pass at \d\d:\d\d UTC; your Exception was not saved\./);
    expect(
      rows(
        w.t,
        'SELECT result, version, updated_by FROM test_results WHERE sample_item_id = ? AND attribute = ?',
        w.items[2],
        'B',
      )[0],
    ).toMatchObject({ result: 'pass', version: 1 });
    // The same mark from stale ground changes nothing and is no conflict; from the current version it is saved.
    expect((await w.mark(senior, w.items[2]!, 'B', 'pass', 0)).statusCode).toBe(200);
    const current = await w.mark(senior, w.items[2]!, 'B', 'exception', 1);
    expect(current.statusCode).toBe(200);
    expect(current.body).toContain('data-version="2"');
  });

  it('passes the blank cells of a row or a column, leaving marked cells alone, with one trail entry', async () => {
    const w = await workpaper();
    await w.mark(w.staff, w.items[0]!, 'A', 'exception');
    await w.mark(w.staff, w.items[3]!, 'B', 'na', 0, 'Not applicable to this change.');
    const row = await w.staff.post(`${w.url}/bulk-pass`, { item: String(w.items[0]) }, { 'hx-request': 'true' });
    expect(row.statusCode).toBe(200);
    expect(row.headers['hx-trigger']).toBe('workpaper-changed');
    expect(row.body).toContain('data-message="2 blank cells marked as passed."');
    const column = await w.staff.post(`${w.url}/bulk-pass`, { attribute: 'B' });
    expect(column.statusCode).toBe(303);
    const marks = rows(
      w.t,
      'SELECT sample_item_id AS item, attribute, result FROM test_results WHERE result IS NOT NULL AND sample_item_id IN (SELECT id FROM sample_items WHERE sample_id = ?)',
      w.sampleId,
    );
    expect(marks.find((m) => m.item === w.items[0] && m.attribute === 'A')!.result).toBe('exception');
    expect(marks.find((m) => m.item === w.items[3] && m.attribute === 'B')!.result).toBe('na');
    expect(marks.filter((m) => m.attribute === 'B')).toHaveLength(25);
    const bulk = rows(
      w.t,
      "SELECT changes FROM audit_entries WHERE action = 'pass-blank-cells' AND entity_id = (SELECT CAST(id AS TEXT) FROM workpapers WHERE sample_id = ?) ORDER BY id",
      w.sampleId,
    );
    expect(bulk).toHaveLength(2);
    expect(JSON.parse(String(bulk[1]!.changes)).passed[1]).toHaveLength(23);
  });

  it('works without JavaScript: an item’s page saves its marks, all or nothing', async () => {
    const w = await workpaper();
    const item = w.items[4]!;
    const page = await w.staff.get(`${w.url}/items/${item}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>Item ${w.keyOf(item)}</h1>`);
    const refused = await w.staff.post(`${w.url}/items/${item}/results`, {
      'result-A': 'pass',
      'result-B': 'na',
      'reason-B': '',
      'result-C': 'pass',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Say why the attribute is not applicable to this item.');
    expect(rows(w.t, 'SELECT * FROM test_results WHERE sample_item_id = ?', item)).toEqual([]);
    await w.mark(w.staff, item, 'C', 'exception');
    const conflict = await w.staff.post(`${w.url}/items/${item}/results`, {
      'result-A': 'pass',
      'version-A': '0',
      'result-B': 'pass',
      'version-B': '0',
      'result-C': 'pass',
      'version-C': '0',
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Someone else marked this Exception meanwhile; nothing on this form was saved.');
    expect(
      rows(w.t, 'SELECT attribute, result FROM test_results WHERE sample_item_id = ? ORDER BY attribute', item),
    ).toEqual([{ attribute: 'C', result: 'exception' }]);
    const saved = await w.staff.post(`${w.url}/items/${item}/results`, {
      'result-A': 'pass',
      'version-A': '0',
      'result-B': 'pass',
      'version-B': '0',
      'result-C': 'exception',
      'version-C': '1',
    });
    expect(saved.statusCode).toBe(303);
    const grid = await w.staff.get(w.url);
    expect(grid.body).toContain(`id="cell-${item}-B" class="cell is-pass"`);
  });

  it('records notes, an evidence reference and tickmarks from the legend, and who tested the item', async () => {
    const w = await workpaper();
    const item = w.items[5]!;
    await w.mark(w.staff, item, 'A', 'pass');
    await w.staff.get(`${w.url}/items/${item}`);
    const unknown = await w.staff.post(`${w.url}/items/${item}/notes`, {
      evidenceRef: 'CHG ticket',
      tickmarks: ['✓', 'ZZ'],
      notes: '',
      version: '0',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('Not in the engagement&#39;s tickmark legend: ZZ');
    expect(
      (
        await w.staff.post(`${w.url}/items/${item}/notes`, {
          evidenceRef: 'Jira CHG-4411, PR #4411',
          tickmarks: ['✓', 'T'],
          notes: 'Approval seen in the pull request.',
          version: '0',
        })
      ).statusCode,
    ).toBe(303);
    const stale = await w.staff.post(`${w.url}/items/${item}/notes`, { evidenceRef: 'other', notes: '', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this item’s notes');
    const page = await w.staff.get(`${w.url}/items/${item}`);
    expect(page.body).toContain('Tested by Priya Shah');
    expect(page.body).toContain('value="Jira CHG-4411, PR #4411"');
    expect(rows(w.t, 'SELECT tickmarks FROM tested_items WHERE sample_item_id = ?', item)).toEqual([
      { tickmarks: '["✓","T"]' },
    ]);
  });
});

describe('a control not yet sampled', () => {
  it('says where to start instead of a grid', async () => {
    const w = await workpaper();
    const bare = buildControl(w.t, w.eid);
    const page = await w.staff.get(`/engagements/${w.eid}/controls/${bare}/workpaper`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('There is nothing to test yet');
    const control = await w.staff.get(`/engagements/${w.eid}/controls/${bare}`);
    expect(control.body).toContain(`href="/engagements/${w.eid}/controls/${bare}/workpaper">Workpaper</a>`);
  });
});

describe('a replaced population', () => {
  it('keeps its workpaper as read-only history', async () => {
    const w = await workpaper();
    await w.mark(w.staff, w.items[0]!, 'A', 'pass');
    const senior = await loginAs(w.t.app, 'senior');
    const populationId = rows(w.t, 'SELECT population_id FROM samples WHERE id = ?', w.sampleId)[0]!.population_id;
    await senior.get(`/engagements/${w.eid}/populations/${populationId}`);
    expect(
      (
        await senior.post(`/engagements/${w.eid}/populations/${populationId}/replace`, {
          reason: 'The client sent a corrected list',
        })
      ).statusCode,
    ).toBe(303);
    const page = await w.staff.get(w.url);
    expect(page.body).toContain('the workpaper is kept as history and cannot be changed');
    expect(page.body).not.toContain('id="grid-keys"');
    const refused = await w.mark(w.staff, w.items[1]!, 'A', 'pass');
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('kept as history');
  });
});

describe('who may see and change a workpaper', () => {
  it('nobody off the team can read or change anything: the same 404 as a workpaper that does not exist', async () => {
    const w = await workpaper();
    await w.mark(w.staff, w.items[0]!, 'A', 'exception');
    const admin = await loginAs(w.t.app, 'admin');
    await admin.get('/engagements');
    for (const url of [
      w.url,
      `${w.url}/evaluation`,
      `${w.url}/items/${w.items[0]}`,
      `${w.url}/items/${w.items[0]}/exceptions/A`,
      `/engagements/${w.eid}/exceptions`,
      `/engagements/${w.eid}/controls/${w.controlId}/workpaper`,
    ]) {
      expect([url, (await admin.get(url)).statusCode]).toEqual([url, 404]);
    }
    expect((await w.mark(admin, w.items[1]!, 'A', 'pass')).statusCode).toBe(404);
    expect((await admin.post(`${w.url}/bulk-pass`, { attribute: 'A' })).statusCode).toBe(404);
    expect(
      rows(
        w.t,
        'SELECT count(*) AS n FROM test_results WHERE sample_item_id IN (SELECT id FROM sample_items WHERE sample_id = ?)',
        w.sampleId,
      )[0]!.n,
    ).toBe(1);
  });

  it('a workpaper of another control or engagement is not reachable through this one’s address', async () => {
    const w = await workpaper();
    const other = rows(
      w.t,
      "SELECT id FROM populations WHERE control_id <> ? AND status = 'frozen' LIMIT 1",
      w.controlId,
    )[0]!.id;
    expect((await w.staff.get(`/engagements/${w.eid}/controls/${w.controlId}/workpaper/${other}`)).statusCode).toBe(
      404,
    );
    expect((await w.mark(w.staff, 999999, 'A', 'pass')).statusCode).toBe(422);
  });

  it('the engagement quality reviewer reads the workpaper but does not test', async () => {
    const w = await workpaper();
    const admin = rows(w.t, "SELECT id FROM users WHERE email = 'admin@demo.tickmark.test'")[0]!.id;
    w.t.app.conn.sqlite
      .prepare("INSERT INTO engagement_members (engagement_id, user_id, role) VALUES (?, ?, 'eqr')")
      .run(w.eid, admin);
    const eqr = await loginAs(w.t.app, 'admin');
    const page = await eqr.get(w.url);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="grid-keys"');
    expect((await w.mark(eqr, w.items[0]!, 'A', 'pass')).statusCode).toBe(403);
  });
});
