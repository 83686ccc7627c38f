// Issue 14, item 1: a criterion in scope with no controls is addressed by a mark "not applicable" with a reason.
// Replayed through the routes: the mark needs a reason and a criterion with nothing mapped, only a manager or the
// partner may give or remove it, both go in the trail, and the marked criterion no longer blocks readiness or approval.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { completeFieldwork } from '../../helpers/factories.js';

const run = (t: TestApp, sql: string, ...args: unknown[]) => t.app.conn.sqlite.prepare(sql).run(...args);
const n = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite
    .prepare(sql)
    .pluck()
    .get(...args) as number;
const unescapeHtml = (html: string) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
const REASON = 'Nimbus Ledger has no vendors or business partners that bear on the system.';

/** The demo (CC6.5 already marked) with fieldwork complete and notes cleared, but CC9.2's only control unmapped:
 * CC9.2 is unaddressed. */
async function withUnaddressedCriterion() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  completeFieldwork(t, eid);
  run(t, "UPDATE review_notes SET status = 'cleared' WHERE engagement_id = ?", eid);
  run(
    t,
    "DELETE FROM control_mappings WHERE criterion_id = 'CC9.2' AND control_id IN (SELECT id FROM controls WHERE engagement_id = ?)",
    eid,
  );
  const partner = await loginAs(t.app, 'partner');
  await partner.get(`/engagements/${eid}/opinion`);
  const url = `/engagements/${eid}/opinion`;
  return {
    t,
    eid,
    partner,
    url,
    marks: () =>
      n(t, "SELECT count(*) FROM criterion_exclusions WHERE engagement_id = ? AND criterion_ref = 'CC9.2'", eid),
  };
}

describe('marking a criterion not applicable', () => {
  it('addresses the criterion: the roll-up shows the reason, the proposal is ready and the partner may approve', async () => {
    const { t, eid, partner, url } = await withUnaddressedCriterion();
    const before = unescapeHtml((await partner.get(url)).body);
    expect(before).toContain('Not ready:');
    expect(before).toMatch(/not addressed by a tested control[^.]*: CC9\.2\./);
    const refused = await partner.post(`${url}/approve`, { type: 'qualified', reason: '' });
    expect(refused.statusCode).toBe(422);

    const marked = await partner.post(`${url}/not-applicable`, {
      notApplicableRef: 'cc9.2',
      notApplicableReason: REASON,
    });
    expect(marked.statusCode).toBe(303);
    const row = t.app.conn.sqlite
      .prepare(
        "SELECT criterion_ref AS ref, reason FROM criterion_exclusions WHERE engagement_id = ? AND criterion_ref = 'CC9.2'",
      )
      .get(eid);
    expect(row).toEqual({ ref: 'CC9.2', reason: REASON });
    const after = unescapeHtml((await partner.get(url)).body);
    expect(after).toContain(`Not applicable: ${REASON}`);
    expect(after).not.toContain('Not ready:');
    expect(after).not.toMatch(/not addressed by a tested control/);
    const approved = await partner.post(`${url}/approve`, { type: 'qualified', reason: '' });
    expect(approved.statusCode, approved.body.slice(0, 400)).toBe(303);
    expect(n(t, 'SELECT count(*) FROM engagements WHERE id = ? AND locked_at IS NOT NULL', eid)).toBe(1);
  });

  it('records the mark and its removal in the trail, and the removed mark leaves the criterion unaddressed again', async () => {
    const { t, eid, partner, url, marks } = await withUnaddressedCriterion();
    await partner.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON });
    const id = n(t, "SELECT id FROM criterion_exclusions WHERE engagement_id = ? AND criterion_ref = 'CC9.2'", eid);
    const created = t.app.conn.sqlite
      .prepare(
        "SELECT action, changes FROM audit_entries WHERE entity = 'criterion-exclusion' AND entity_id = ? ORDER BY id",
      )
      .all(String(id)) as { action: string; changes: string }[];
    expect(created.map((e) => e.action)).toEqual(['create']);
    expect(JSON.parse(created[0]!.changes)).toEqual({ criterionRef: [null, 'CC9.2'], reason: [null, REASON] });

    const removed = await partner.post(`${url}/not-applicable/${id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect(marks()).toBe(0);
    const actions = t.app.conn.sqlite
      .prepare("SELECT action FROM audit_entries WHERE entity = 'criterion-exclusion' AND entity_id = ? ORDER BY id")
      .pluck()
      .all(String(id));
    expect(actions).toEqual(['create', 'delete']);
    expect(unescapeHtml((await partner.get(url)).body)).toMatch(/Not ready:.*CC9\.2/s);
    const again = await partner.post(`${url}/not-applicable/${id}/remove`, {});
    expect(again.statusCode).toBe(303);
    expect(actions.length).toBe(
      n(t, "SELECT count(*) FROM audit_entries WHERE entity = 'criterion-exclusion' AND entity_id = ?", String(id)),
    );
    expect((await partner.post(`${url}/not-applicable/99999/remove`, {})).statusCode).toBe(404);
  });

  it('requires a reason: 422 beside the field, nothing saved, the choice kept', async () => {
    const { t, partner, url, marks } = await withUnaddressedCriterion();
    const trail = n(t, 'SELECT count(*) FROM audit_entries');
    const res = await partner.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: '   ' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="notApplicableReason-error">The reason it is not applicable is required\./);
    expect(res.body).toMatch(/<option value="CC9\.2" selected>/);
    expect(marks()).toBe(0);
    expect(n(t, 'SELECT count(*) FROM audit_entries')).toBe(trail);
  });

  it('refuses a criterion with controls mapped, naming them, and one outside the scope', async () => {
    const { partner, url, marks } = await withUnaddressedCriterion();
    const mapped = await partner.post(`${url}/not-applicable`, {
      notApplicableRef: 'CC9.1',
      notApplicableReason: REASON,
    });
    expect(mapped.statusCode).toBe(422);
    expect(mapped.body).toMatch(
      /id="notApplicableRef-error">CC9\.1 cannot be marked not applicable: CC9\.1-01 is mapped to it\./,
    );
    const outside = await partner.post(`${url}/not-applicable`, {
      notApplicableRef: 'PI1.1',
      notApplicableReason: REASON,
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('Choose a criterion or objective in scope.');
    expect(marks()).toBe(0);
  });

  it('refuses a second mark on the same criterion', async () => {
    const { partner, url, marks } = await withUnaddressedCriterion();
    await partner.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON });
    const twice = await partner.post(`${url}/not-applicable`, {
      notApplicableRef: 'CC9.2',
      notApplicableReason: 'Again.',
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('CC9.2 is already marked not applicable.');
    expect(marks()).toBe(1);
  });

  it('is for a manager or the partner: a senior is refused the mark and its removal', async () => {
    const { t, eid, partner, url, marks } = await withUnaddressedCriterion();
    const senior = await loginAs(t.app, 'senior');
    await senior.get(url);
    expect(
      (await senior.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON }))
        .statusCode,
    ).toBe(403);
    expect(marks()).toBe(0);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(url);
    expect(
      (await manager.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON }))
        .statusCode,
    ).toBe(303);
    const id = n(t, "SELECT id FROM criterion_exclusions WHERE engagement_id = ? AND criterion_ref = 'CC9.2'", eid);
    expect((await senior.post(`${url}/not-applicable/${id}/remove`, {})).statusCode).toBe(403);
    expect(marks()).toBe(1);
    expect((await partner.post(`${url}/not-applicable/${id}/remove`, {})).statusCode).toBe(303);
  });

  it('is refused on a locked engagement, changing nothing', async () => {
    const { t, eid, partner, url, marks } = await withUnaddressedCriterion();
    await partner.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON });
    run(t, "UPDATE engagements SET locked_at = '2026-02-27T10:00:00.000Z' WHERE id = ?", eid);
    const id = n(t, "SELECT id FROM criterion_exclusions WHERE engagement_id = ? AND criterion_ref = 'CC9.2'", eid);
    expect((await partner.post(`${url}/not-applicable/${id}/remove`, {})).statusCode).toBe(423);
    expect(marks()).toBe(1);
  });
});

describe('a mark on a criterion that later gets a control', () => {
  it('no longer decides the status, and the roll-up says so', async () => {
    const { t, eid, partner, url } = await withUnaddressedCriterion();
    await partner.post(`${url}/not-applicable`, { notApplicableRef: 'CC9.2', notApplicableReason: REASON });
    run(
      t,
      "INSERT INTO control_mappings (control_id, criterion_id) SELECT id, 'CC9.2' FROM controls WHERE engagement_id = ? AND reference = 'CC9.2-01'",
      eid,
    );
    const page = unescapeHtml((await partner.get(url)).body);
    expect(page).not.toContain(`Not applicable: ${REASON}`);
    expect(page).toContain(`Marked not applicable (${REASON}), but controls are now mapped to it`);
  });
});
