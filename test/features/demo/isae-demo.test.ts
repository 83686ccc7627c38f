// Issue 14, item 9: a small ISAE 3402 engagement in the demo, fully tested, whose missed access review
// qualifies the proposed opinion on one control objective.
import { describe, expect, it } from 'vitest';
import { buildTestApp, loginAs, type TestApp } from '../../helpers/app.js';

const all = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const unescapeHtml = (html: string) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');

async function isaeDemo() {
  const t = await buildTestApp();
  const eid = Number(all(t, "SELECT id FROM engagements WHERE client_name = 'Fenwick Payroll Services Ltd'")[0]!.id);
  const partner = await loginAs(t.app, 'partner');
  return { t, eid, partner };
}

describe('the demo ISAE 3402 engagement', () => {
  it('is listed for the team, with its four control objectives each addressed by a walked-through control', async () => {
    const { t, eid, partner } = await isaeDemo();
    expect((await partner.get('/engagements')).body).toContain('Fenwick Payroll Services Ltd');
    expect(all(t, 'SELECT framework FROM engagements WHERE id = ?', eid)).toEqual([{ framework: 'isae3402' }]);
    const mapped = all(
      t,
      'SELECT o.reference AS objective, c.reference AS control, w.conclusion AS design FROM control_mappings m JOIN controls c ON c.id = m.control_id JOIN control_objectives o ON o.id = m.objective_id LEFT JOIN walkthroughs w ON w.control_id = c.id WHERE c.engagement_id = ? ORDER BY o.position',
      eid,
    );
    expect(mapped).toEqual([
      { objective: 'CO1', control: 'FP-MD-01', design: 'suitably-designed' },
      { objective: 'CO2', control: 'FP-PC-01', design: 'suitably-designed' },
      { objective: 'CO3', control: 'FP-PY-01', design: 'suitably-designed' },
      { objective: 'CO4', control: 'FP-AC-01', design: 'suitably-designed' },
    ]);
  });

  it('has every control concluded and prepared, the statement on record, and proposes a qualified opinion for CO4', async () => {
    const { t, eid, partner } = await isaeDemo();
    const papers = all(
      t,
      'SELECT c.reference AS control, w.conclusion AS conclusion, w.prepared_by IS NOT NULL AS prepared FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE w.engagement_id = ? ORDER BY c.reference',
      eid,
    );
    expect(papers).toEqual([
      { control: 'FP-AC-01', conclusion: 'not-effective', prepared: 1 },
      { control: 'FP-MD-01', conclusion: 'no-exceptions', prepared: 1 },
      { control: 'FP-PC-01', conclusion: 'no-exceptions', prepared: 1 },
      { control: 'FP-PY-01', conclusion: 'no-exceptions', prepared: 1 },
    ]);
    const page = unescapeHtml((await partner.get(`/engagements/${eid}/opinion`)).body);
    expect(page).toContain('Harriet Fenwick');
    expect(page).toMatch(/Proposed opinion: <span class="status status-bad">Qualified/);
    expect(page).toContain('FP-AC-01');
    expect(page).toContain('control objective CO4 stated in the description was not achieved');
    expect(page).toContain('In our opinion, except for the matter described');
    expect(page).toContain("based on the criteria described in Fenwick Payroll Services Ltd's statement");
    expect(page).not.toContain('Not ready:');
  });
});
