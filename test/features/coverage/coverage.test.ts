import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { controlId, count, openEngagement, upload, xlsxOf } from '../controls/helpers.js';

describe('criteria coverage', () => {
  it('lists every in-scope criterion of the demo with its controls and complementary controls', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const res = await staff.get(`/engagements/${id}/coverage`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('34 of 36 criteria are addressed by at least one control.');
    expect(res.body).toContain('Addressed by a subservice organization’s controls (carve-out): CC6.4.');
    expect(res.body).toContain('Marked not applicable: CC6.5.');
    expect(res.body).toMatch(
      /<tr id="cov-CC6.4" class="">[\s\S]*?<span class="status status-ok">Carved out<\/span>[\s\S]*?CSOC CSOC-01 <span class="muted">\(Stratus Cloud Services\)<\/span>/,
    );
    expect(res.body).toMatch(
      /<tr id="cov-CC6.5" class="">[\s\S]*?<span class="status status-ok">Not applicable<\/span> Nimbus Ledger holds no customer data on physical assets/,
    );
    expect(res.body).toContain('Every criterion in scope is addressed.');
    expect(res.body).not.toContain('Not covered');
    expect(res.body).not.toContain('<strong>C1.1</strong>');
  });

  it('flags, in words, a criterion left without a control', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${id}/controls`);
    await manager.post(`/engagements/${id}/controls/${controlId(t, 'CC1.3-01')}/delete`);
    const res = await manager.get(`/engagements/${id}/coverage`);
    expect(res.body).toContain('33 of 36 criteria are addressed by at least one control.');
    expect(res.body).toContain('Not covered: <a href="#cov-CC1.3">CC1.3</a>.');
    expect(res.body).toMatch(
      /<tr id="cov-CC1.3" class="uncovered">[\s\S]*?<span class="status status-bad">Not covered<\/span> No control addresses this criterion./,
    );
  });

  it('follows the categories of the engagement', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    t.app.conn.sqlite
      .prepare(`UPDATE engagements SET categories = '["availability","confidentiality"]' WHERE id = ?`)
      .run(id);
    const senior = await loginAs(t.app, 'senior');
    const res = await senior.get(`/engagements/${id}/coverage`);
    expect(res.body).toContain('34 of 38 criteria');
    expect(res.body).toContain('Not covered: <a href="#cov-C1.1">C1.1</a>, <a href="#cov-C1.2">C1.2</a>.');
  });
});

describe('SOC 1 control objectives', () => {
  it('are added, edited, reordered and deleted by a senior, and drive the coverage', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const eid = await openEngagement(t, manager, {});
    const base = `/engagements/${eid}/objectives`;
    await manager.get(base);
    for (const [reference, text] of [
      ['CO1', 'Payroll changes are authorised.'],
      ['CO2', 'Payroll is calculated completely and accurately.'],
      ['CO3', 'Logical access is restricted.'],
    ]) {
      expect((await manager.post(base, { reference: reference!, text: text! })).statusCode).toBe(303);
    }
    const dup = await manager.post(base, { reference: 'co1', text: 'Again' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('CO1 is already the reference of another objective.');
    const ids = (
      t.app.conn.sqlite
        .prepare('SELECT id FROM control_objectives WHERE engagement_id = ? ORDER BY position')
        .all(eid) as { id: number }[]
    ).map((r) => r.id);
    await manager.post(`${base}/${ids[2]}/move`, { direction: 'up' });
    const order = t.app.conn.sqlite
      .prepare('SELECT reference FROM control_objectives WHERE engagement_id = ? ORDER BY position')
      .all(eid);
    expect(order).toEqual([{ reference: 'CO1' }, { reference: 'CO3' }, { reference: 'CO2' }]);
    await manager.post(`${base}/${ids[0]}`, {
      reference: 'CO1',
      text: 'Changes to payroll master data are authorised.',
    });
    const coverage = await manager.get(`/engagements/${eid}/coverage`);
    expect(coverage.body).toContain('0 of 3 objectives are addressed by at least one control.');
    expect(coverage.body).toContain('Changes to payroll master data are authorised.');

    await manager.get(`/engagements/${eid}/controls/new`);
    const created = await manager.post(`/engagements/${eid}/controls`, {
      reference: 'C-1',
      description: 'Payroll changes are approved.',
      frequency: 'event-driven',
      nature: 'manual',
      controlType: 'preventive',
      risk: 'lower',
      criteria: ['co1'],
    });
    expect(created.statusCode).toBe(303);
    expect((await manager.get(`/engagements/${eid}/coverage`)).body).toContain('1 of 3 objectives');
    const blocked = await manager.post(`${base}/${ids[0]}/delete`);
    expect(blocked.statusCode).toBe(422);
    expect(blocked.body).toContain('CO1 is addressed by 1 control; map it elsewhere before deleting it.');
    expect((await manager.post(`${base}/${ids[1]}/delete`)).statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM control_objectives WHERE engagement_id = ?', eid)).toBe(2);
    expect(
      count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'control-objective' AND engagement_id = ?", eid),
    ).toBe(6);
  });

  it('are read-only for staff', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const eid = await openEngagement(t, manager, {});
    await manager.get(`/engagements/${eid}/team`);
    const staffId = (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as { id: number }
    ).id;
    await manager.post(`/engagements/${eid}/team`, { userId: String(staffId), role: 'staff' });
    const staff = await loginAs(t.app, 'staff');
    const page = await staff.get(`/engagements/${eid}/objectives`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add a control objective');
    expect((await staff.post(`/engagements/${eid}/objectives`, { reference: 'CO9', text: 'x' })).statusCode).toBe(403);
  });

  it('map imported controls by objective reference', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const eid = await openEngagement(t, manager, {});
    await manager.get(`/engagements/${eid}/objectives`);
    await manager.post(`/engagements/${eid}/objectives`, { reference: 'CO1', text: 'Authorised changes.' });
    await manager.get(`/engagements/${eid}/controls/import`);
    const file = await xlsxOf([
      ['Ref', 'Control activity', 'Frequency', 'Nature', 'Type', 'Control objectives'],
      ['P-1', 'Approved.', 'Monthly', 'Manual', 'Detective', 'co1'],
      ['P-2', 'Approved.', 'Monthly', 'Manual', 'Detective', 'CO7'],
    ]);
    const res = await upload(t.app, manager, `/engagements/${eid}/controls/import`, 'soc1.xlsx', file);
    const preview = await manager.get(String(res.headers.location));
    expect(preview.body).toContain('Row 3, column F (Criteria): Unknown control objective &quot;CO7&quot;.');
  });
});
