import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';
import { multipartBody, upload, type UploadFile } from '../../helpers/multipart.js';
import { textPdf } from '../../../src/features/demo/evidence-files.js';

const rows = (t: TestApp, eid: number) =>
  t.app.conn.sqlite
    .prepare('SELECT * FROM management_assertions WHERE engagement_id = ? ORDER BY id')
    .all(eid) as Record<string, unknown>[];
const trail = (t: TestApp, eid: number) =>
  t.app.conn.sqlite
    .prepare(
      "SELECT action, changes FROM audit_entries WHERE entity = 'management-assertion' AND engagement_id = ? ORDER BY id",
    )
    .all(eid) as { action: string; changes: string }[];
/** Stored content files (not the incoming folder). */
const stored = (t: TestApp) =>
  readdirSync(path.join(t.dir, 'evidence'), { recursive: true, withFileTypes: true }).filter(
    (d) => d.isFile() && /^[0-9a-f]{64}$/.test(d.name),
  ).length;
const fields = { signerName: 'Ana Reyes', signerTitle: 'Chief Operating Officer', signedOn: '2026-02-24' };
const signed: UploadFile = {
  name: 'assertion-signed.pdf',
  content: textPdf(['Management assertion', 'Signed: Ana Reyes']),
  type: 'application/pdf',
};

async function post(t: TestApp, client: Client, eid: number, form: Record<string, string>, file: UploadFile = signed) {
  const page = await client.get(`/engagements/${eid}/assertion`);
  expect(page.statusCode).toBe(200);
  return upload(t.app, client, `/engagements/${eid}/assertion`, { version: versionIn(page.body), ...form }, file);
}

describe("management's assertion", () => {
  it('the demo has it on record, shown on the engagement and opinion pages', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    for (const url of [`/engagements/${eid}`, `/engagements/${eid}/opinion`]) {
      const page = await staff.get(url);
      expect(page.body).toContain('Management’s assertion');
      expect(page.body).toContain('Signed by Dana Whitfield, Chief Executive Officer');
    }
    const opinion = await staff.get(`/engagements/${eid}/opinion`);
    expect(opinion.body).toContain('based on the criteria described in Nimbus Ledger, Inc.&#39;s assertion');
    const [row] = rows(t, eid);
    const file = await staff.get(`/engagements/${eid}/assertion/${row!.id}/download`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment/);
    expect(file.body.startsWith('%PDF-')).toBe(true);
  });

  it('a manager replaces it: the old one is kept, superseded, and the trail records both', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const res = await post(t, manager, eid, fields);
    expect(res.statusCode).toBe(303);
    const all = rows(t, eid);
    expect(all).toHaveLength(2);
    expect(all[0]!.superseded_at).not.toBeNull();
    expect(all[1]).toMatchObject({
      signer_name: 'Ana Reyes',
      signer_title: 'Chief Operating Officer',
      signed_on: '2026-02-24',
      file_type: 'pdf',
      superseded_at: null,
      original_name: 'assertion-signed.pdf',
    });
    expect(String(all[1]!.sha256)).toMatch(/^[0-9a-f]{64}$/);
    const [first, second] = trail(t, eid);
    expect([first!.action, second!.action]).toEqual(['record', 'replace']);
    expect(JSON.parse(second!.changes).signerName).toEqual(['Dana Whitfield', 'Ana Reyes']);
    const page = await manager.get(`/engagements/${eid}/assertion`);
    expect(page.body).toContain('Recorded before');
    expect(page.body).toContain('Signed by</dt><dd>Ana Reyes, Chief Operating Officer');
  });

  it('staff and seniors may not record it; nothing is saved', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    for (const who of ['staff', 'senior'] as const) {
      const client = await loginAs(t.app, who);
      await client.get(`/engagements/${eid}`);
      const res = await upload(t.app, client, `/engagements/${eid}/assertion`, { version: '1', ...fields }, signed);
      expect(res.statusCode).toBe(403);
    }
    expect(rows(t, eid)).toHaveLength(1);
  });

  it('refuses an upload without the CSRF token as its first field', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}/assertion`);
    const { body, contentType } = multipartBody({ version: '1', ...fields }, signed);
    const res = await t.app.inject({
      method: 'POST',
      url: `/engagements/${eid}/assertion`,
      payload: body,
      headers: { cookie: manager.cookie, 'content-type': contentType },
    });
    expect(res.statusCode).toBe(403);
    expect(rows(t, eid)).toHaveLength(1);
  });

  it('refuses a file that is not a signed document, bad fields and a stale form, with a clear message and nothing saved', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    const before = rows(t, eid);
    const files = stored(t);
    const exe = await post(t, partner, eid, fields, {
      name: 'assertion.pdf',
      content: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]),
      type: 'application/pdf',
    });
    expect(exe.statusCode).toBe(422);
    expect(exe.body).toMatch(/class="field-error" id="file-error"/);
    const csv = await post(t, partner, eid, fields, { name: 'assertion.csv', content: 'a,b\n1,2\n', type: 'text/csv' });
    expect(csv.statusCode).toBe(422);
    expect(csv.body).toContain('is not a signed document');
    const empty = await post(t, partner, eid, fields, { name: 'assertion.pdf', content: '', type: 'application/pdf' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('The file is empty.');
    const noDate = await post(t, partner, eid, { ...fields, signedOn: '2026-02-30', signerName: '' });
    expect(noDate.statusCode).toBe(422);
    expect(noDate.body).toContain('The date signed must be a date (YYYY-MM-DD).');
    expect(noDate.body).toContain('Who signed it is required.');
    expect(noDate.body).toContain('value="Chief Operating Officer"');
    const stale = await upload(t.app, partner, `/engagements/${eid}/assertion`, { version: '0', ...fields }, signed);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Dana Whitfield');
    expect(rows(t, eid)).toEqual(before);
    expect(trail(t, eid)).toHaveLength(1);
    expect(stored(t)).toBe(files);
  });

  it('a file over the upload limit is refused with the limit named', async () => {
    const t = await buildTestApp({ env: { TICKMARK_MAX_UPLOAD_MB: '1' } });
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    const res = await post(t, manager, eid, fields, { name: 'big.pdf', content: big, type: 'application/pdf' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('larger than the limit of 1 MB');
    expect(rows(t, eid)).toHaveLength(1);
  });

  it('blocks approval while missing, saying so on the opinion page', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare('DELETE FROM management_assertions WHERE engagement_id = ?').run(eid);
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/opinion`);
    expect(page.body).toContain(
      'Management’s assertion is not recorded: record who signed it, the date and the signed file',
    );
    const res = await partner.post(`/engagements/${eid}/opinion/approve`, { type: 'qualified', reason: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Management’s assertion is not recorded');
    expect(t.app.conn.sqlite.prepare('SELECT locked_at FROM engagements WHERE id = ?').get(eid)).toEqual({
      locked_at: null,
    });
  });
});
