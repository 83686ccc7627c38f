import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { controlId, count } from './helpers.js';
import { versionIn } from '../../helpers/form-version.js';

const HX = { 'hx-request': 'true' };
const newControl = {
  reference: 'CC6.1-09',
  description: 'Privileged access to the production database is granted through a break-glass role.',
  owner: 'DBA lead',
  frequency: 'event-driven',
  nature: 'manual',
  controlType: 'preventive',
  risk: 'higher',
  isKey: 'yes',
  criteria: ['CC6.1', 'cc6.3'],
};

describe('creating controls', () => {
  it('lets a senior add a control, with the period start as implementation date and the criteria mapped', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/new`);
    const res = await senior.post(`/engagements/${id}/controls`, newControl);
    expect(res.statusCode).toBe(303);
    const page = await senior.get(String(res.headers.location));
    expect(page.body).toContain('Control CC6.1-09 added.');
    expect(page.body).toContain('<strong>CC6.3</strong> Role-based access and least privilege');
    expect(page.body).toContain('1 Jan 2025');
    const audit = t.app.conn.sqlite
      .prepare(
        "SELECT changes FROM audit_entries WHERE entity = 'control' AND action = 'create' ORDER BY id DESC LIMIT 1",
      )
      .get() as { changes: string };
    expect(JSON.parse(audit.changes)).toMatchObject({
      reference: [null, 'CC6.1-09'],
      criteria: [null, ['CC6.1', 'CC6.3']],
      isKey: [null, true],
    });
  });

  it('refuses a reference already used in the engagement (any case), keeping what was typed', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/new`);
    const res = await senior.post(`/engagements/${id}/controls`, { ...newControl, reference: 'cc6.2-01' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('CC6.2-01 is already the reference of another control in this engagement.');
    expect(res.body).toContain('value="cc6.2-01"');
    expect(res.body).toContain('break-glass role');
  });

  it('shows each field error beside its field', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/new`);
    const res = await senior.post(`/engagements/${id}/controls`, {
      reference: 'X-1',
      description: '',
      frequency: 'hourly',
      nature: 'manual',
      controlType: 'preventive',
      risk: 'lower',
      criteria: ['C1.1'],
      changedOn: '2025-06-01',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="description-error">Description is required.');
    expect(res.body).toContain('id="frequency-error">Choose how often the control operates.');
    expect(res.body).toContain(
      'id="descriptionBeforeChange-error">Describe how the control operated before the change.',
    );
  });

  it('refuses criteria outside the scope and change dates outside the period', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/new`);
    const scope = await senior.post(`/engagements/${id}/controls`, { ...newControl, criteria: ['C1.1'] });
    expect(scope.statusCode).toBe(422);
    expect(scope.body).toContain('C1.1 is not in scope: Confidentiality is not a category of this engagement.');
    const dates = await senior.post(`/engagements/${id}/controls`, {
      ...newControl,
      changedOn: '2026-03-01',
      descriptionBeforeChange: 'a',
      descriptionAfterChange: 'b',
    });
    expect(dates.statusCode).toBe(422);
    expect(dates.body).toContain('The change date falls inside the reporting period');
    expect(count(t, "SELECT count(*) AS n FROM controls WHERE reference = 'CC6.1-09'")).toBe(0);
  });

  it('records a change during the period and shows the two testing windows', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${id}/controls/new`);
    const res = await senior.post(`/engagements/${id}/controls`, {
      ...newControl,
      changedOn: '2025-07-01',
      descriptionBeforeChange: 'Granted by email.',
      descriptionAfterChange: 'Granted through the break-glass role.',
    });
    const page = await senior.get(String(res.headers.location));
    expect(page.body).toContain('1 Jan 2025 – 30 Jun 2025 and, separately, 1 Jul 2025 – 31 Dec 2025');
    expect(page.body).toContain('Granted by email.');
  });

  it('keeps staff from creating or editing controls (403 with the reason)', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const form = await staff.get(`/engagements/${id}/controls/new`);
    expect(form.statusCode).toBe(403);
    expect(form.body).toContain('seniors, managers and the engagement partner do');
    await staff.get(`/engagements/${id}/controls`);
    expect((await staff.post(`/engagements/${id}/controls`, newControl)).statusCode).toBe(403);
    const cid = controlId(t, 'CC6.2-01');
    expect((await staff.get(`/engagements/${id}/controls/${cid}/details/edit`)).statusCode).toBe(403);
    expect(
      (await staff.post(`/engagements/${id}/controls/${cid}/details`, { ...newControl, reference: 'CC6.2-01' }))
        .statusCode,
    ).toBe(403);
  });
});

describe('the control page, edited in place', () => {
  it('serves the edit form as a fragment to htmx and as a full page without it', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC6.2-01');
    const senior = await loginAs(t.app, 'senior');
    const fragment = await senior.get(`/engagements/${id}/controls/${cid}/details/edit`, HX);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body.trimStart()).toMatch(/^<section class="card" id="control-details"/);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain(`hx-post="/engagements/${id}/controls/${cid}/details"`);
    const full = await senior.get(`/engagements/${id}/controls/${cid}/details/edit`);
    expect(full.body).toContain('<html');
    expect(full.body).toContain('<h1>Edit control CC6.2-01</h1>');
    expect(full.body).toContain('value="CC6.2-01"');
    expect(full.body).toMatch(/name="criteria" value="CC6.2" checked/);
  });

  it('saves through htmx and returns the updated section, with the page title out of band', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC6.2-01');
    const senior = await loginAs(t.app, 'senior');
    const version = versionIn((await senior.get(`/engagements/${id}/controls/${cid}/details/edit`, HX)).body);
    const res = await senior.post(
      `/engagements/${id}/controls/${cid}/details`,
      { ...newControl, reference: 'CC6.2-01A', isKey: null, version },
      HX,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Control saved.');
    expect(res.body).toContain('hx-swap-oob="true"');
    expect(res.body).toContain('<h1>CC6.2-01A</h1>');
    const audit = t.app.conn.sqlite
      .prepare(
        "SELECT changes FROM audit_entries WHERE entity = 'control' AND action = 'update' ORDER BY id DESC LIMIT 1",
      )
      .get() as { changes: string };
    const changes = JSON.parse(audit.changes);
    expect(changes.reference).toEqual(['CC6.2-01', 'CC6.2-01A']);
    expect(changes.isKey).toEqual([true, false]);
    expect(changes.criteria).toEqual([['CC6.2'], ['CC6.1', 'CC6.3']]);
    expect(changes.frequency).toBeUndefined();
  });

  it('falls back to a redirect without JavaScript, and re-renders errors in place with htmx', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC6.2-01');
    const senior = await loginAs(t.app, 'senior');
    const plain = await senior.post(`/engagements/${id}/controls/${cid}/details`, {
      ...newControl,
      reference: 'CC6.2-01',
      version: versionIn((await senior.get(`/engagements/${id}/controls/${cid}/details/edit`)).body),
    });
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`/engagements/${id}/controls/${cid}`);
    const version = versionIn((await senior.get(`/engagements/${id}/controls/${cid}/details/edit`, HX)).body);
    const refused = await senior.post(
      `/engagements/${id}/controls/${cid}/details`,
      { ...newControl, reference: 'CC8.1-01', version },
      HX,
    );
    expect(refused.statusCode).toBe(200); // htmx swaps 2xx only; the errors are in the fragment
    expect(refused.body.trimStart()).toMatch(/^<section class="card" id="control-details"/);
    expect(refused.body).toContain('CC8.1-01 is already the reference of another control');
    expect(versionIn(refused.body)).toBe(version);
    expect((await senior.get(`/engagements/${id}/controls/${cid}/details`)).statusCode).toBe(303);
    expect((await senior.get(`/engagements/${id}/controls/${cid}/details`, HX)).body).toContain('Edit control');
  });

  it('lets staff edit the test plan, and refuses an all-inquiry plan with the reason', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC6.2-01');
    const staff = await loginAs(t.app, 'staff');
    const form = await staff.get(`/engagements/${id}/controls/${cid}/test-plan/edit`, HX);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="procedureText"');
    const version = versionIn(form.body);
    const inquiryOnly = await staff.post(
      `/engagements/${id}/controls/${cid}/test-plan`,
      {
        procedureKind: ['inquiry', 'inquiry'],
        procedureText: ['Inquired of the IT manager.', 'Inquired of HR.'],
        procedureOrder: ['1', '2'],
        attributeText: ['Approved'],
        version,
      },
      HX,
    );
    expect(inquiryOnly.statusCode).toBe(200);
    expect(inquiryOnly.body).toContain('id="procedures-error"');
    expect(inquiryOnly.body).toContain('Inquiry alone never gives enough evidence');
    expect(inquiryOnly.body).toContain('Inquired of HR.');
    const noAttributes = await staff.post(
      `/engagements/${id}/controls/${cid}/test-plan`,
      {
        procedureKind: 'inspection',
        procedureText: 'Inspected tickets.',
        procedureOrder: '1',
        attributeText: ['', ''],
        version,
      },
      HX,
    );
    expect(noAttributes.body).toContain('id="attributes-error"');
    expect(noAttributes.body).toContain('at least one attribute');
    const ok = await staff.post(
      `/engagements/${id}/controls/${cid}/test-plan`,
      {
        procedureKind: ['inquiry', 'inspection', 'inspection'],
        procedureText: ['Inquired of the IT manager.', 'Inspected the request.', ''],
        procedureOrder: ['2', '1', '3'],
        attributeText: ['Approved by the manager', '', 'Approved before provisioning'],
        version,
      },
      HX,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(
      /<li><span class="kind">Inspection:<\/span> Inspected the request.<\/li><li><span class="kind">Inquiry:<\/span>/,
    );
    expect(ok.body).toContain('<dt>B</dt><dd>Approved before provisioning</dd>');
    const letters = t.app.conn.sqlite
      .prepare('SELECT letter FROM test_attributes WHERE control_id = ? ORDER BY letter')
      .all(cid);
    expect(letters).toEqual([{ letter: 'A' }, { letter: 'B' }]);
    expect(
      count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity = 'test-plan' AND entity_id = ?", String(cid)),
    ).toBe(1);
  });

  it('records the walkthrough, requiring the deficiency when the design is not suitable', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC1.1-01');
    const staff = await loginAs(t.app, 'staff');
    const staffId = (
      t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as { id: number }
    ).id;
    await staff.get(`/engagements/${id}/controls/${cid}`);
    const missing = await staff.post(
      `/engagements/${id}/controls/${cid}/walkthrough`,
      {
        performedOn: '2025-04-02',
        performedBy: String(staffId),
        traced: 'Traced one new hire.',
        conclusion: 'not-suitably-designed',
        deficiency: '',
      },
      HX,
    );
    expect(missing.body).toContain('Describe the design deficiency');
    const outsider = await staff.post(
      `/engagements/${id}/controls/${cid}/walkthrough`,
      { performedOn: '2025-04-02', performedBy: '999', traced: 'x', conclusion: 'suitably-designed' },
      HX,
    );
    expect(outsider.body).toContain('Choose a member of the engagement team.');
    const ok = await staff.post(
      `/engagements/${id}/controls/${cid}/walkthrough`,
      {
        performedOn: '2025-04-02',
        performedBy: String(staffId),
        traced: 'Traced one new hire.',
        conclusion: 'not-suitably-designed',
        deficiency: 'Acknowledgement is not required before access.',
      },
      HX,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Not suitably designed');
    expect(ok.body).toContain('Priya Shah');
    const matrix = await staff.get(`/engagements/${id}/controls?status=design-deficiency`);
    expect(matrix.body).toContain('CC1.1-01');
    expect(matrix.body).toContain('1 of 34 controls match the filters.');
  });

  it('lets only a manager or the partner delete a control, which removes its plan and walkthrough', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const cid = controlId(t, 'CC8.1-01');
    for (const who of ['staff', 'senior'] as const) {
      const member = await loginAs(t.app, who);
      const page = await member.get(`/engagements/${id}/controls/${cid}`);
      expect(page.body).not.toContain('/delete');
      const res = await member.post(`/engagements/${id}/controls/${cid}/delete`);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('managers and the engagement partner do');
    }
    const manager = await loginAs(t.app, 'manager');
    const page = await manager.get(`/engagements/${id}/controls/${cid}`);
    expect(page.body).toContain('data-confirm="Delete control CC8.1-01');
    const res = await manager.post(`/engagements/${id}/controls/${cid}/delete`);
    expect(res.statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM controls WHERE id = ?', cid)).toBe(0);
    expect(count(t, 'SELECT count(*) AS n FROM test_procedures WHERE control_id = ?', cid)).toBe(0);
    expect(count(t, 'SELECT count(*) AS n FROM walkthroughs WHERE control_id = ?', cid)).toBe(0);
    const audit = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE entity = 'control' AND action = 'delete'")
      .get() as { changes: string };
    expect(JSON.parse(audit.changes).reference).toEqual(['CC8.1-01', null]);
    expect((await manager.get(`/engagements/${id}/controls/${cid}`)).statusCode).toBe(404);
  });

  it('answers 404 for a control of another engagement or a malformed id', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    for (const bad of ['abc', '0', '99999', '1e2'])
      expect((await senior.get(`/engagements/${id}/controls/${bad}`)).statusCode).toBe(404);
  });
});
