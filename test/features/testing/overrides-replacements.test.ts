// Route tests for the one-extension policy's overrides and for replacing items that were not occurrences (#10, items 1, 2).
import { describe, expect, it } from 'vitest';
import { selectRandom } from '../../../src/domain/selection.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { exceptionOn, formVersion, passAll, rows, workpaper, type Workpaper } from './helpers.js';

const evaluation = async (w: Workpaper) => (await w.staff.get(`${w.url}/evaluation`, { 'hx-request': 'true' })).body;
const itemCount = (w: Workpaper) =>
  Number(rows(w.t, 'SELECT count(*) AS n FROM sample_items WHERE sample_id = ?', w.sampleId)[0]!.n);
const overrideIdOn = (body: string) => /overrides\/(\d+)\/approve/.exec(body)?.[1];

/** Two deviations in the planned 25: the policy proposes "not effective", a further extension is an override. */
async function twoDeviations(): Promise<Workpaper> {
  const w = await workpaper({ rows: 400, seed: '2025' });
  await exceptionOn(w, 2);
  await exceptionOn(w, 9);
  await passAll(w);
  return w;
}

/** Every attribute of item `index` marked not applicable. */
async function whollyNotApplicable(w: Workpaper, index: number): Promise<void> {
  for (const attribute of ['A', 'B', 'C'])
    await w.mark(w.staff, w.items[index]!, attribute, 'na', 0, 'The ticket was a duplicate, not a change.');
}

describe('one extension, after at most one deviation', () => {
  it('proposes "not effective" after two deviations and draws a further extension only once a manager approves it', async () => {
    const w = await twoDeviations();
    const before = await evaluation(w);
    expect(before).toContain('Not operating effectively');
    expect(before).toContain('A further extension to <strong>54 items</strong>');
    // Before the override, the proposal's own extension route refuses: the policy proposes none.
    expect((await w.staff.post(`${w.url}/extend`)).statusCode).toBe(422);
    expect(itemCount(w)).toBe(25);

    expect((await w.staff.post(`${w.url}/overrides`, { rationale: '' })).statusCode).toBe(422);
    const asked = await w.staff.post(`${w.url}/overrides`, {
      rationale: 'Both deviations trace to one release day; a wider sample shows whether it recurs.',
    });
    expect(asked.statusCode).toBe(303);
    expect(itemCount(w)).toBe(25);
    // Pending: "prepared" is refused, saying what waits.
    await w.staff.post(`${w.url}/conclusion`, { conclusion: 'not-effective', version: formVersion(w) });
    const refused = await w.staff.post(`${w.url}/prepared`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'The request for a further extension to 54 items awaits the approval of a manager or the engagement partner.',
    );

    // The tester cannot approve (role); the manager who asked could not either (see the domain test).
    const page = await w.staff.get(w.url);
    expect(page.body).toContain('Awaiting the approval of a manager or the engagement partner');
    const manager = await loginAs(w.t.app, 'manager');
    const managerPage = await manager.get(w.url);
    const id = overrideIdOn(managerPage.body)!;
    expect((await w.staff.post(`${w.url}/overrides/${id}/approve`)).statusCode).toBe(403);
    expect((await manager.post(`${w.url}/overrides/${id}/approve`)).statusCode).toBe(303);
    const positions = rows(
      w.t,
      'SELECT pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
      w.sampleId,
    ).map((r) => r.position);
    expect(positions).toEqual(selectRandom({ populationSize: 400, sampleSize: 54, seed: 2025 }));
    const decided = rows(
      w.t,
      "SELECT o.status, o.extend_to, o.rationale, u.email FROM workpaper_overrides o JOIN users u ON u.id = o.decided_by WHERE o.kind = 'extension'",
    );
    expect(decided).toEqual([
      {
        status: 'approved',
        extend_to: 54,
        rationale: 'Both deviations trace to one release day; a wider sample shows whether it recurs.',
        email: 'manager@demo.tickmark.test',
      },
    ]);
    expect(
      rows(
        w.t,
        "SELECT count(*) AS n FROM audit_entries WHERE entity = 'workpaper-override' AND action IN ('request', 'approve')",
      )[0]!.n,
    ).toBe(2);
    // A second approval of the same request is refused; the override shows on the workpaper and the printout.
    expect((await manager.post(`${w.url}/overrides/${id}/approve`)).statusCode).toBe(422);
    expect((await w.staff.get(w.url)).body).toContain('Further extension to 54 items');
    const print = await w.staff.get(`${w.url}/print`);
    expect(print.body).toContain('Further extension to 54 items');
    expect(print.body).toContain('Both deviations trace to one release day; a wider sample shows whether it recurs.');
    expect(print.body).toContain('Approved</span> by');
  });

  it('offers no further extension once the one extension is tested, and a declined request keeps its reason', async () => {
    const w = await workpaper({ rows: 400, seed: '2025' });
    await exceptionOn(w, 6);
    await passAll(w);
    expect((await w.staff.post(`${w.url}/extend`)).statusCode).toBe(303);
    expect(itemCount(w)).toBe(41);
    // A second deviation in the extension: not effective, and no second extension is proposed or drawable.
    w.items.push(
      ...rows(
        w.t,
        'SELECT id FROM sample_items WHERE sample_id = ? AND sequence >= 25 ORDER BY sequence',
        w.sampleId,
      ).map((r) => Number(r.id)),
    );
    await exceptionOn(w, 30);
    await passAll(w);
    const after = await evaluation(w);
    expect(after).toContain('Not operating effectively');
    expect(after).not.toContain('Extend the sample');
    expect((await w.staff.post(`${w.url}/extend`)).statusCode).toBe(422);
    expect(itemCount(w)).toBe(41);
    // Only an override goes further; a manager may decline it, with a reason that stays on the record.
    expect(
      (await w.staff.post(`${w.url}/overrides`, { rationale: 'The second deviation is in a different team.' }))
        .statusCode,
    ).toBe(303);
    const manager = await loginAs(w.t.app, 'manager');
    const id = overrideIdOn((await manager.get(w.url)).body)!;
    expect((await manager.post(`${w.url}/overrides/${id}/decline`, { reason: '' })).statusCode).toBe(422);
    expect(
      (
        await manager.post(`${w.url}/overrides/${id}/decline`, {
          reason: 'Two deviations: the control did not operate as designed.',
        })
      ).statusCode,
    ).toBe(303);
    expect(itemCount(w)).toBe(41);
    expect(rows(w.t, 'SELECT status, decline_reason FROM workpaper_overrides')).toEqual([
      { status: 'declined', decline_reason: 'Two deviations: the control did not operate as designed.' },
    ]);
    expect((await w.staff.get(w.url)).body).toContain('Two deviations: the control did not operate as designed.');
  });

  it('refuses an override of another workpaper (404) and one with nothing to ask for (422)', async () => {
    const w = await workpaper();
    await passAll(w);
    const none = await w.staff.post(`${w.url}/overrides`, {
      rationale: 'A further extension, although nothing deviated.',
    });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain(
      'No further extension can restore assurance on these figures: there is none to ask for.',
    );
    const manager = await loginAs(w.t.app, 'manager');
    await manager.get(w.url);
    expect((await manager.post(`${w.url}/overrides/999999/approve`)).statusCode).toBe(404);
    expect(rows(w.t, 'SELECT count(*) AS n FROM workpaper_overrides')[0]!.n).toBe(0);
  });
  it('a manager who asks for an override cannot approve it; the engagement partner can', async () => {
    const w = await twoDeviations();
    const manager = await loginAs(w.t.app, 'manager');
    await manager.get(w.url);
    expect(
      (
        await manager.post(`${w.url}/overrides`, {
          rationale: 'The deviations cluster in one week; more items show whether they recur.',
        })
      ).statusCode,
    ).toBe(303);
    const id = String(rows(w.t, 'SELECT id FROM workpaper_overrides')[0]!.id);
    const own = await manager.post(`${w.url}/overrides/${id}/approve`);
    expect(own.statusCode).toBe(422);
    expect(own.body).toContain('You asked for this override: another manager or the engagement partner decides it.');
    expect(itemCount(w)).toBe(25);
    const partner = await loginAs(w.t.app, 'partner');
    await partner.get(w.url);
    expect((await partner.post(`${w.url}/overrides/${id}/approve`)).statusCode).toBe(303);
    expect(itemCount(w)).toBe(54);
  });
});

describe('items that are not occurrences are replaced', () => {
  it('counts a wholly N/A item as needing a replacement, refuses "prepared" with the count, and draws it from the seeded sequence', async () => {
    const w = await workpaper({ rows: 400, seed: '2025' });
    await whollyNotApplicable(w, 4);
    await passAll(w);
    const before = await evaluation(w);
    expect(before).toContain('Draw replacements (1)');
    expect(before).toContain('<strong class="proposal-replace">Replace the items that are not occurrences</strong>');
    const accept = await w.staff.post(`${w.url}/conclusion`, { accept: '1', version: formVersion(w) });
    expect(accept.statusCode).toBe(422);
    expect(accept.body).toContain('draw their replacements and test them first');
    const refused = await w.staff.post(`${w.url}/prepared`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      '1 item is not applicable on every attribute, so not an occurrence of the control: draw its replacement and test it.',
    );

    const replacedKey = w.keyOf(w.items[4]!);
    const drawn = await w.staff.post(`${w.url}/replacements`);
    expect(drawn.statusCode).toBe(303);
    // The replacement is the next item of the seeded sequence (the extension's stream); the sample still counts 25.
    const positions = rows(
      w.t,
      'SELECT pi.position FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ? ORDER BY si.sequence',
      w.sampleId,
    ).map((r) => r.position);
    expect(positions).toEqual(selectRandom({ populationSize: 400, sampleSize: 26, seed: 2025 }));
    const replacement = rows(
      w.t,
      'SELECT si.id, r.id AS replaces FROM sample_items si JOIN sample_items r ON r.id = si.replaces_item_id WHERE si.sample_id = ?',
      w.sampleId,
    );
    expect(replacement).toEqual([{ id: expect.any(Number), replaces: w.items[4] }]);
    expect((await w.staff.post(`${w.url}/replacements`)).statusCode).toBe(422);
    await w.staff.get(`/engagements/${w.eid}/samples/${w.sampleId}`);
    expect((await w.staff.post(`/engagements/${w.eid}/samples/${w.sampleId}/verify`)).body).toContain('✓ Matches');
    const grid = await w.staff.get(w.url);
    expect(grid.body).toContain(`Replacement for ${replacedKey}`);
    const half = await evaluation(w);
    expect(half).not.toContain('Draw replacements');

    await passAll(w);
    const after = await evaluation(w);
    expect(after).toContain('<strong class="proposal-no-exceptions">');
    expect(after).toMatch(/Items in the sample<\/dt><dd>25\b/);
    expect((await w.staff.post(`${w.url}/conclusion`, { accept: '1', version: formVersion(w) })).statusCode).toBe(303);
    expect((await w.staff.post(`${w.url}/prepared`)).statusCode).toBe(303);
    const print = await w.staff.get(`${w.url}/print`);
    expect(print.body).toContain(`Replacement for ${replacedKey}`);
    expect(print.body).toContain('Replaced by');
    expect(
      rows(
        w.t,
        "SELECT count(*) AS n FROM audit_entries WHERE entity = 'workpaper' AND action = 'replace' AND entity_id = (SELECT id FROM workpapers WHERE sample_id = ?)",
        w.sampleId,
      )[0]!.n,
    ).toBe(1);
    w.t.app.conn.sqlite
      .prepare("INSERT INTO control_mappings (control_id, criterion_id) VALUES (?, 'CC8.1')")
      .run(w.controlId);
    const sectionFour = await w.staff.get(`/engagements/${w.eid}/reports/section-iv`);
    expect(sectionFour.body).toContain('25 of 400');
    expect(sectionFour.body).toContain(
      '(1 of them a replacement for an item that was not an occurrence of the control)',
    );
  });

  it('the demo shows one: a CC6.3-01 leaver who was an internal transfer, replaced and the control concluded on its planned size', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const wp = rows(
      t,
      "SELECT w.conclusion, w.prepared_at, w.control_id, w.population_id, w.sample_id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = 'CC6.3-01'",
    )[0]!;
    expect(wp).toMatchObject({ conclusion: 'no-exceptions', prepared_at: expect.any(String) });
    const pairs = rows(
      t,
      'SELECT r.key AS replaced, pi.key AS replacement FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id JOIN sample_items o ON o.id = si.replaces_item_id JOIN population_items r ON r.id = o.population_item_id WHERE si.sample_id = ?',
      wp.sample_id,
    );
    expect(pairs).toHaveLength(1);
    const staff = await loginAs(t.app, 'staff');
    const page = await staff.get(`/engagements/${eid}/controls/${wp.control_id}/workpaper/${wp.population_id}`);
    expect(page.body).toContain(`Replacement for ${pairs[0]!.replaced}`);
    expect(page.body).toContain('an internal transfer recorded in Workday as a termination and rehire');
    const planned = Number(rows(t, 'SELECT planned_size FROM samples WHERE id = ?', wp.sample_id)[0]!.planned_size);
    expect(page.body).toContain(
      `Items in the sample</dt><dd>${planned} <span class="muted">— 1 item was not an occurrence`,
    );
  });
});
