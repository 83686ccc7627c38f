import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';
import { zipEntries } from '../reports/zip-text.js';

const valid = {
  clientName: 'Acme Payroll Ltd',
  systemName: 'Acme Payroll',
  framework: 'isae3402',
  reportType: 'type2',
  periodStart: '2025-04-01',
  periodEnd: '2026-03-31',
  plannedReportDate: '2026-05-15',
};

function partnerId(t: Awaited<ReturnType<typeof buildTestApp>>): string {
  const row = t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'").get() as {
    id: number;
  };
  return String(row.id);
}

describe('engagements', () => {
  it('lets a manager create an engagement with a partner; both are on the team and it is in the audit trail', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    await manager.get('/engagements/new');
    const res = await manager.post('/engagements', { ...valid, partnerUserId: partnerId(t) });
    expect(res.statusCode).toBe(303);
    const page = await manager.get(String(res.headers.location));
    expect(page.body).toContain('Acme Payroll Ltd');
    expect(page.body).toContain('ISAE 3402 Type 2');
    const team = t.app.conn.sqlite
      .prepare(
        "SELECT u.email, m.role FROM engagement_members m JOIN users u ON u.id = m.user_id JOIN engagements e ON e.id = m.engagement_id WHERE e.client_name = 'Acme Payroll Ltd' ORDER BY m.role",
      )
      .all();
    expect(team).toEqual([
      { email: 'manager@demo.tickmark.test', role: 'manager' },
      { email: 'partner@demo.tickmark.test', role: 'partner' },
    ]);
    const trail = t.app.conn.sqlite
      .prepare(
        "SELECT entity, action FROM audit_entries WHERE entity IN ('engagement', 'team-member') AND engagement_id = (SELECT id FROM engagements WHERE client_name = 'Acme Payroll Ltd')",
      )
      .all();
    expect(trail).toHaveLength(3);
  });

  it('lets a partner open an engagement for another partner, joining its team as a manager (it answered 500)', async () => {
    const t = await buildTestApp();
    t.app.conn.sqlite
      .prepare(
        "INSERT INTO users (email, name, firm_role, password_hash, created_at) SELECT 'second.partner@example.com', 'Second Partner', 'partner', password_hash, '2025-01-01' FROM users WHERE email = 'partner@demo.tickmark.test'",
      )
      .run();
    const { Client } = await import('../../helpers/app.js');
    const second = new Client(t.app);
    await second.login('second.partner@example.com');
    await second.get('/engagements/new');
    const res = await second.post('/engagements', { ...valid, partnerUserId: partnerId(t) });
    expect(res.statusCode).toBe(303);
    const team = t.app.conn.sqlite
      .prepare(
        "SELECT u.email, m.role FROM engagement_members m JOIN users u ON u.id = m.user_id JOIN engagements e ON e.id = m.engagement_id WHERE e.client_name = 'Acme Payroll Ltd' ORDER BY m.role",
      )
      .all();
    expect(team).toEqual([
      { email: 'second.partner@example.com', role: 'manager' },
      { email: 'partner@demo.tickmark.test', role: 'partner' },
    ]);
  });

  it('re-renders the form with messages beside the fields and the input kept, saving nothing', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    await manager.get('/engagements/new');
    const before = t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM engagements').get();
    const res = await manager.post('/engagements', {
      ...valid,
      periodEnd: '2025-03-01',
      clientName: 'Kept <name>',
      partnerUserId: '',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Period end must be after period start.');
    expect(res.body).toContain('Choose the engagement partner.');
    expect(res.body).toContain('value="Kept &lt;name&gt;"');
    expect(t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM engagements').get()).toEqual(before);
  });

  it('refuses impossible dates', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    await manager.get('/engagements/new');
    const res = await manager.post('/engagements', {
      ...valid,
      periodStart: '2025-02-30',
      partnerUserId: partnerId(t),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Period start must be a date (YYYY-MM-DD).');
  });

  it('warns, without refusing, about a period shorter than 6 months', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const id = demoEngagementId(t);
    const version = versionIn((await manager.get(`/engagements/${id}/edit`)).body);
    const res = await manager.post(`/engagements/${id}/edit`, {
      ...valid,
      clientName: 'Nimbus Ledger, Inc.',
      framework: 'soc2',
      periodStart: '2025-07-01',
      periodEnd: '2025-10-31',
      plannedReportDate: '',
      categories: ['availability', 'privacy'],
      status: 'fieldwork',
      version,
    });
    expect(res.statusCode).toBe(303);
    const page = await manager.get(`/engagements/${id}`);
    expect(page.body).toMatch(/shorter than 6 months/i);
    expect(page.body).toContain('Security, Availability, Privacy');
    const entry = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE entity = 'engagement' AND action = 'update'")
      .get() as { changes: string };
    expect(JSON.parse(entry.changes).periodStart).toEqual(['2025-01-01', '2025-07-01']);
  });

  it('opens a Type I engagement as of one date: the as-of date is required, the period is not used, and no period warning is given', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    await manager.get('/engagements/new');
    const type1 = {
      ...valid,
      clientName: 'Design Only Ltd',
      reportType: 'type1',
      periodStart: '',
      periodEnd: '',
      plannedReportDate: '2025-08-15',
      partnerUserId: partnerId(t),
    };
    const missing = await manager.post('/engagements', type1);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toMatch(/id="asOfDate-error">A Type I report is as of a date: enter the as-of date\./);
    expect(missing.body).not.toContain('Period start is required.');

    const created = await manager.post('/engagements', { ...type1, asOfDate: '2025-06-30' });
    expect(created.statusCode).toBe(303);
    const row = t.app.conn.sqlite
      .prepare(
        "SELECT id, report_type AS type, period_start AS start, period_end AS end FROM engagements WHERE client_name = 'Design Only Ltd'",
      )
      .get() as { id: number; type: string; start: string; end: string };
    expect(row).toMatchObject({ type: 'type1', start: '2025-06-30', end: '2025-06-30' });
    const page = await manager.get(`/engagements/${row.id}`);
    expect(page.body).toMatch(/<dt>As of<\/dt><dd>[^<]*2025[^<]*<\/dd>/);
    expect(page.body).not.toMatch(/shorter than 6 months/i);
    expect((await manager.get('/engagements')).body).toMatch(/as of [^<]*2025/);
    const edit = await manager.get(`/engagements/${row.id}/edit`);
    expect(edit.body).toMatch(/id="asOfDate" name="asOfDate" type="date" value="2025-06-30"/);
  });

  it('still requires a Type II period, and dates the report after it', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    await manager.get('/engagements/new');
    const res = await manager.post('/engagements', {
      ...valid,
      periodStart: '',
      periodEnd: '',
      asOfDate: '2025-06-30',
      partnerUserId: partnerId(t),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Period start is required.');
    expect(res.body).toContain('Period end is required.');
    const early = await manager.post('/engagements', {
      ...valid,
      plannedReportDate: '2026-01-15',
      partnerUserId: partnerId(t),
    });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('The report is dated after the period ends');
  });

  it('prints a new engagement’s reports on the firm country’s paper unless the form chooses, and the choice reaches the Word report', async () => {
    const t = await buildTestApp({ env: { TICKMARK_FIRM_COUNTRY: 'gb' } });
    const manager = await loginAs(t.app, 'manager');
    const form = (await manager.get('/engagements/new')).body;
    expect(form).toMatch(/<option value="a4" selected>A4<\/option>/);
    expect(
      (await manager.post('/engagements', { ...valid, clientName: 'Paper Default Ltd', partnerUserId: partnerId(t) }))
        .statusCode,
    ).toBe(303);
    expect(
      (
        await manager.post('/engagements', {
          ...valid,
          clientName: 'Paper Letter Ltd',
          paperSize: 'letter',
          partnerUserId: partnerId(t),
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await manager.post('/engagements', {
          ...valid,
          clientName: 'Paper Bad Ltd',
          paperSize: 'a3',
          partnerUserId: partnerId(t),
        })
      ).body,
    ).toContain('Choose A4 or US Letter.');
    const paper = (name: string) =>
      t.app.conn.sqlite.prepare('SELECT id, paper_size AS paper FROM engagements WHERE client_name = ?').get(name) as
        | { id: number; paper: string }
        | undefined;
    expect(paper('Paper Default Ltd')!.paper).toBe('a4');
    expect(paper('Paper Letter Ltd')!.paper).toBe('letter');
    expect(paper('Paper Bad Ltd')).toBeUndefined();
    const pageWidth = async (id: number) => {
      const docx = await zipEntries((await manager.get(`/engagements/${id}/reports/section-iv.docx`)).rawPayload, [
        'word/document.xml',
      ]);
      return /<w:pgSz w:w="(\d+)"/.exec(docx['word/document.xml']!)![1];
    };
    expect(await pageWidth(paper('Paper Default Ltd')!.id)).toBe('16838');
    expect(await pageWidth(paper('Paper Letter Ltd')!.id)).toBe('15840');
  });

  it('keeps an edited engagement’s paper unless the form changes it, in the trail', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const id = demoEngagementId(t);
    const edit = (await manager.get(`/engagements/${id}/edit`)).body;
    expect(edit).toMatch(/<option value="letter" selected>US Letter<\/option>/);
    const fields = {
      ...valid,
      clientName: 'Nimbus Ledger, Inc.',
      framework: 'soc2',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      plannedReportDate: '',
      categories: ['availability'],
      status: 'fieldwork',
    };
    expect(
      (await manager.post(`/engagements/${id}/edit`, { ...fields, paperSize: 'a4', version: versionIn(edit) }))
        .statusCode,
    ).toBe(303);
    const entry = t.app.conn.sqlite
      .prepare(
        "SELECT changes FROM audit_entries WHERE entity = 'engagement' AND action = 'update' AND engagement_id = ?",
      )
      .get(id) as { changes: string };
    expect(JSON.parse(entry.changes).paperSize).toEqual([null, 'a4']);
    expect((await manager.get(`/engagements/${id}`)).body).toMatch(/<dt>Reports' paper<\/dt><dd>A4<\/dd>/);
  });

  it('does not let staff open engagements', async () => {
    const t = await buildTestApp();
    const staff = await loginAs(t.app, 'staff');
    expect((await staff.get('/engagements/new')).statusCode).toBe(403);
    expect((await staff.post('/engagements', { ...valid, partnerUserId: partnerId(t) })).statusCode).toBe(403);
  });

  it('escapes what users typed when it is shown', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const id = demoEngagementId(t);
    await manager.get(`/engagements/${id}`);
    await manager.post(`/engagements/${id}/subservice-orgs`, {
      name: '<script>alert(1)</script>',
      services: '"quoted"',
      method: 'inclusive',
    });
    const page = await manager.get(`/engagements/${id}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('team', () => {
  it('keeps exactly one engagement partner', async () => {
    const t = await buildTestApp();
    const manager = await loginAs(t.app, 'manager');
    const id = demoEngagementId(t);
    await manager.get(`/engagements/${id}/team`);
    const partnerMember = t.app.conn.sqlite
      .prepare("SELECT id FROM engagement_members WHERE engagement_id = ? AND role = 'partner'")
      .get(id) as { id: number };
    const demote = await manager.post(`/engagements/${id}/team/${partnerMember.id}/role`, { role: 'manager' });
    expect(demote.statusCode).toBe(422);
    expect(demote.body).toContain('The team needs an engagement partner.');
    const remove = await manager.post(`/engagements/${id}/team/${partnerMember.id}/remove`);
    expect(remove.statusCode).toBe(422);
    const seniorMember = t.app.conn.sqlite
      .prepare("SELECT id FROM engagement_members WHERE engagement_id = ? AND role = 'senior'")
      .get(id) as { id: number };
    const second = await manager.post(`/engagements/${id}/team/${seniorMember.id}/role`, { role: 'partner' });
    expect(second.statusCode).toBe(422);
    const roles = t.app.conn.sqlite
      .prepare('SELECT role FROM engagement_members WHERE engagement_id = ? ORDER BY role')
      .all(id);
    expect(roles.map((r) => (r as { role: string }).role)).toEqual(['manager', 'partner', 'senior', 'staff']);
  });

  it('lets the partner appoint a quality reviewer from outside the team, shown with their role', async () => {
    const t = await buildTestApp();
    const partner = await loginAs(t.app, 'partner');
    const id = demoEngagementId(t);
    await partner.get(`/engagements/${id}/team`);
    const extra = t.app.conn.sqlite
      .prepare(
        "INSERT INTO users (email, name, firm_role, password_hash, created_at) VALUES ('eqr@example.com', 'Eve Quality', 'partner', 'x', '2025-01-01') RETURNING id",
      )
      .get() as { id: number };
    const res = await partner.post(`/engagements/${id}/team`, { userId: String(extra.id), role: 'eqr' });
    expect(res.statusCode).toBe(303);
    const page = await partner.get(`/engagements/${id}/team`);
    expect(page.body).toContain('Eve Quality');
    expect(page.body).toContain('Engagement quality reviewer');
  });

  it('answers 403 to staff changing the team', async () => {
    const t = await buildTestApp();
    const staff = await loginAs(t.app, 'staff');
    const id = demoEngagementId(t);
    const res = await staff.post(`/engagements/${id}/team`, { userId: '5', role: 'staff' });
    expect(res.statusCode).toBe(403);
  });
});
