// Issue 14, item 4: the partner approved and locked an opinion with nothing concluded. Each blocker is replayed
// through the approve route: refused (422) naming what is open, nothing written, then approved once cleared.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { completeFieldwork } from '../../helpers/factories.js';

const run = (t: TestApp, sql: string, ...args: unknown[]) => t.app.conn.sqlite.prepare(sql).run(...args);
const n = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite
    .prepare(sql)
    .pluck()
    .get(...args) as number;
const workpaperOf = (t: TestApp, reference: string) =>
  n(
    t,
    'SELECT w.id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = ? ORDER BY w.id LIMIT 1',
    reference,
  );

interface Blocker {
  name: string;
  /** Opens the matter on an engagement otherwise ready to approve. */
  open(t: TestApp, eid: number): void;
  /** What the refusal and the page must say. */
  named: RegExp;
  clear(t: TestApp, eid: number): void;
}

const BLOCKERS: Blocker[] = [
  {
    name: 'a control in scope is unconcluded',
    open: (t) => run(t, 'UPDATE workpapers SET conclusion = NULL WHERE id = ?', workpaperOf(t, 'CC6.1-01')),
    named: /1 control is not yet concluded: CC6\.1-01\./,
    clear: (t) => run(t, "UPDATE workpapers SET conclusion = 'no-exceptions' WHERE id = ?", workpaperOf(t, 'CC6.1-01')),
  },
  {
    name: 'a workpaper is prepared but not reviewed',
    open: (t) => run(t, 'DELETE FROM signoffs WHERE workpaper_id = ?', workpaperOf(t, 'CC8.1-01')),
    named: /1 workpaper is not prepared and reviewed: CC8\.1-01 \(Whole period\): prepared, not reviewed\./,
    clear: (t) =>
      run(
        t,
        "INSERT INTO signoffs (engagement_id, workpaper_id, level, user_id, signed_at) SELECT engagement_id, id, 'reviewed', (SELECT id FROM users WHERE email = 'senior@demo.tickmark.test'), strftime('%Y-%m-%dT%H:%M:%fZ', changed_at, '+2 seconds') FROM workpapers WHERE id = ?",
        workpaperOf(t, 'CC8.1-01'),
      ),
  },
  {
    name: 'a workpaper is not prepared',
    open: (t) =>
      run(t, 'UPDATE workpapers SET prepared_at = NULL, prepared_by = NULL WHERE id = ?', workpaperOf(t, 'CC6.3-01')),
    named: /CC6\.3-01 \(Whole period\): not prepared/,
    clear: (t) =>
      run(
        t,
        "UPDATE workpapers SET prepared_at = strftime('%Y-%m-%dT%H:%M:%fZ', changed_at, '+1 seconds'), prepared_by = (SELECT id FROM users WHERE email = 'staff@demo.tickmark.test') WHERE id = ?",
        workpaperOf(t, 'CC6.3-01'),
      ),
  },
  {
    name: 'a sign-off is stale (the work changed after it was signed)',
    open: (t) =>
      run(t, "UPDATE workpapers SET changed_at = '2027-01-01T00:00:00.000Z' WHERE id = ?", workpaperOf(t, 'A1.2-01')),
    named: /A1\.2-01 \(Whole period\): sign-off stale \(the work changed after it was signed\)/,
    clear: (t) => {
      run(t, "UPDATE workpapers SET prepared_at = '2027-01-02T00:00:00.000Z' WHERE id = ?", workpaperOf(t, 'A1.2-01'));
      run(
        t,
        "UPDATE signoffs SET signed_at = '2027-01-03T00:00:00.000Z' WHERE workpaper_id = ?",
        workpaperOf(t, 'A1.2-01'),
      );
    },
  },
  {
    name: 'a C&A record of a tested population is open',
    open: (t) =>
      run(
        t,
        'UPDATE population_ca SET completed_at = NULL, completed_by = NULL WHERE population_id = (SELECT population_id FROM workpapers WHERE id = ?)',
        workpaperOf(t, 'CC8.1-01'),
      ),
    named: /Completeness and accuracy is open for 1 population used in testing: CC8\.1-01 \(Whole period\)\./,
    clear: (t) =>
      run(
        t,
        "UPDATE population_ca SET completed_at = '2026-01-10T00:00:00.000Z' WHERE population_id = (SELECT population_id FROM workpapers WHERE id = ?)",
        workpaperOf(t, 'CC8.1-01'),
      ),
  },
  {
    name: 'a review note is open',
    open: (t, eid) =>
      run(
        t,
        "UPDATE review_notes SET status = 'open' WHERE id = (SELECT min(id) FROM review_notes WHERE engagement_id = ?)",
        eid,
      ),
    named: /1 review note is still open\./,
    clear: (t, eid) => run(t, "UPDATE review_notes SET status = 'cleared' WHERE engagement_id = ?", eid),
  },
  {
    name: 'a criterion is unaddressed',
    open: (t, eid) =>
      run(
        t,
        "DELETE FROM control_mappings WHERE criterion_id = 'CC9.2' AND control_id IN (SELECT id FROM controls WHERE engagement_id = ?)",
        eid,
      ),
    named:
      /1 criterion or objective is not addressed by a tested control, a subservice organization's controls \(carve-out\) or a reason for not applicable: CC9\.2\./,
    clear: (t, eid) =>
      run(
        t,
        "INSERT INTO control_mappings (control_id, criterion_id) SELECT id, 'CC9.2' FROM controls WHERE engagement_id = ? AND reference = 'CC9.2-01'",
        eid,
      ),
  },
  {
    name: 'the quality reviewer on the team has not signed',
    open: (t, eid) =>
      run(
        t,
        "INSERT INTO engagement_members (engagement_id, user_id, role, role_since) VALUES (?, (SELECT id FROM users WHERE email = 'admin@demo.tickmark.test'), 'eqr', '2026-01-01T00:00:00.000Z')",
        eid,
      ),
    named: /The engagement quality reviewer has not signed off\./,
    clear: (t, eid) =>
      run(
        t,
        "INSERT INTO opinion_decisions (engagement_id, quality_review_by, quality_review_at, updated_at) VALUES (?, (SELECT id FROM users WHERE email = 'admin@demo.tickmark.test'), '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')",
        eid,
      ),
  },
];

async function readyEngagement() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  completeFieldwork(t, eid);
  run(t, "UPDATE review_notes SET status = 'cleared' WHERE engagement_id = ?", eid);
  const partner = await loginAs(t.app, 'partner');
  return {
    t,
    eid,
    partner,
    approve: () => partner.post(`/engagements/${eid}/opinion/approve`, { type: 'qualified', reason: '' }),
  };
}

describe('approval is refused while anything is open', () => {
  it.each(BLOCKERS.map((b) => [b.name, b] as const))(
    '%s: refused naming it, nothing written; approved once cleared',
    async (_name, blocker) => {
      const { t, eid, partner, approve } = await readyEngagement();
      blocker.open(t, eid);
      const page = await partner.get(`/engagements/${eid}/opinion`);
      expect(page.body.replaceAll('&#39;', "'")).toMatch(blocker.named);
      const trail = n(t, 'SELECT count(*) FROM audit_entries');
      const refused = await approve();
      expect(refused.statusCode).toBe(422);
      const body = refused.body.replaceAll('&#39;', "'");
      expect(body).toContain('The opinion cannot be approved while matters are open');
      expect(body).toMatch(blocker.named);
      expect(n(t, 'SELECT count(*) FROM engagements WHERE id = ? AND locked_at IS NULL', eid)).toBe(1);
      expect(
        n(t, 'SELECT count(*) FROM opinion_decisions WHERE engagement_id = ? AND approved_type IS NOT NULL', eid),
      ).toBe(0);
      expect(n(t, 'SELECT count(*) FROM audit_entries')).toBe(trail);

      blocker.clear(t, eid);
      await partner.get(`/engagements/${eid}/opinion`);
      const approved = await approve();
      expect(approved.statusCode, approved.body.slice(0, 400)).toBe(303);
      expect(n(t, 'SELECT count(*) FROM engagements WHERE id = ? AND locked_at IS NOT NULL', eid)).toBe(1);
    },
  );

  it('the demo as seeded (mid-fieldwork) is refused with every open matter listed at once', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/opinion`);
    const refused = await partner.post(`/engagements/${eid}/opinion/approve`, { type: 'qualified', reason: '' });
    expect(refused.statusCode).toBe(422);
    for (const matter of [
      /28 controls are not yet concluded/,
      /CC1\.4-01 \(Whole period\): prepared, not reviewed/,
      /CC7\.2-01 \(Whole period\): sign-off stale/,
      /1 review note is still open/,
    ])
      expect(refused.body).toMatch(matter);
    expect(n(t, 'SELECT count(*) FROM engagements WHERE id = ? AND locked_at IS NULL', eid)).toBe(1);
  });
});
