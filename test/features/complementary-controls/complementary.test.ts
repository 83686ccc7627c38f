import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { count } from '../controls/helpers.js';

const orgId = (t: Awaited<ReturnType<typeof buildTestApp>>, name: string) =>
  (t.app.conn.sqlite.prepare('SELECT id FROM subservice_orgs WHERE name = ?').get(name) as { id: number }).id;

describe('CUECs and CSOCs', () => {
  it('lists the demo complementary controls with their criteria and subservice organization', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const res = await staff.get(`/engagements/${id}/complementary-controls`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('CUEC-01');
    expect(res.body).toMatch(/CSOC-03<\/td><td>[^<]+<\/td>\s*<td>PayRelay Ltd<\/td>\s*<td>CC6.7<\/td>/);
    expect(res.body).not.toContain('Add a complementary control');
  });

  it('adds a CSOC only for a carved-out subservice organization, and maps it to criteria in scope', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const base = `/engagements/${id}/complementary-controls`;
    await senior.get(base);
    const noOrg = await senior.post(base, {
      kind: 'csoc',
      reference: 'CSOC-09',
      description: 'Stratus monitors its hypervisors.',
      criteria: 'CC7.2',
    });
    expect(noOrg.statusCode).toBe(422);
    expect(noOrg.body).toContain('Choose the carved-out subservice organization');
    const outOfScope = await senior.post(base, {
      kind: 'csoc',
      reference: 'CSOC-09',
      description: 'x',
      subserviceOrgId: String(orgId(t, 'Stratus Cloud Services')),
      criteria: 'P1.1',
    });
    expect(outOfScope.body).toContain('P1.1 is not in scope');
    t.app.conn.sqlite
      .prepare(
        "INSERT INTO subservice_orgs (engagement_id, name, services, method) VALUES (?, 'Inclusive Co', '', 'inclusive')",
      )
      .run(id);
    const inclusive = await senior.post(base, {
      kind: 'csoc',
      reference: 'CSOC-09',
      description: 'x',
      subserviceOrgId: String(orgId(t, 'Inclusive Co')),
      criteria: 'CC7.2',
    });
    expect(inclusive.body).toContain('Inclusive Co is included (inclusive method)');
    const ok = await senior.post(base, {
      kind: 'csoc',
      reference: 'CSOC-09',
      description: 'Stratus monitors its hypervisors.',
      subserviceOrgId: String(orgId(t, 'Stratus Cloud Services')),
      criteria: ['CC7.2', 'cc7.3'],
    });
    expect(ok.statusCode).toBe(303);
    const coverage = await senior.get(`/engagements/${id}/coverage`);
    expect(coverage.body).toContain('CSOC CSOC-09');
    const dup = await senior.post(base, { kind: 'cuec', reference: 'csoc-09', description: 'x' });
    expect(dup.body).toContain('CSOC-09 is already used');
    expect(count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'complementary-control'")).toBe(1);
  });

  it('edits and deletes a CUEC; a CUEC never carries a subservice organization', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const cuec = (
      t.app.conn.sqlite.prepare("SELECT id FROM complementary_controls WHERE reference = 'CUEC-02'").get() as {
        id: number;
      }
    ).id;
    const base = `/engagements/${id}/complementary-controls`;
    const form = await manager.get(`${base}/${cuec}/edit`);
    expect(form.body).toContain('value="CUEC-02"');
    const saved = await manager.post(`${base}/${cuec}`, {
      kind: 'cuec',
      reference: 'CUEC-02',
      description: 'Users enable MFA.',
      subserviceOrgId: String(orgId(t, 'PayRelay Ltd')),
      criteria: ['CC6.1', 'CC6.2'],
    });
    expect(saved.statusCode).toBe(303);
    expect(
      t.app.conn.sqlite
        .prepare('SELECT subservice_org_id AS o, description AS d FROM complementary_controls WHERE id = ?')
        .get(cuec),
    ).toEqual({ o: null, d: 'Users enable MFA.' });
    expect((await manager.post(`${base}/${cuec}/delete`)).statusCode).toBe(303);
    expect(
      count(t, 'SELECT count(*) AS n FROM complementary_control_mappings WHERE complementary_control_id = ?', cuec),
    ).toBe(0);
  });

  it('records the CSOCs removed with their subservice organization', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${id}`);
    await manager.post(`/engagements/${id}/subservice-orgs/${orgId(t, 'Stratus Cloud Services')}/remove`);
    expect(count(t, "SELECT count(*) AS n FROM complementary_controls WHERE kind = 'csoc'")).toBe(1);
    expect(
      count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'complementary-control' AND action = 'delete'"),
    ).toBe(2);
  });

  it('refuses changes by staff', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${id}/complementary-controls`);
    expect(
      (
        await staff.post(`/engagements/${id}/complementary-controls`, {
          kind: 'cuec',
          reference: 'CUEC-9',
          description: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });
});
