import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { divergentRows } from '../../../src/core/audit/replay.js';
import { emailFile, textPdf } from '../../../src/features/demo/evidence-files.js';
import { loginAs } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';
import { formVersion, passAll, rows, workpaper } from '../testing/helpers.js';

const evidence = (w: Awaited<ReturnType<typeof workpaper>>) =>
  rows(
    w.t,
    'SELECT * FROM evidence_files WHERE workpaper_id = (SELECT id FROM workpapers WHERE sample_id = ?) ORDER BY id',
    w.sampleId,
  );

describe('evidence files', () => {
  it('stores an upload by its SHA-256 with what it really is, who uploaded it and when', async () => {
    const w = await workpaper();
    const pdf = textPdf(['Change CHG-00012 approved by B. Tanaka']);
    const res = await upload(
      w.t.app,
      w.staff,
      `${w.url}/items/${w.items[0]}/evidence`,
      {},
      { name: 'approval.pdf', content: pdf, type: 'text/html' },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${w.url}/items/${w.items[0]}#evidence`);
    const [row] = evidence(w);
    expect(row).toMatchObject({
      original_name: 'approval.pdf',
      size: pdf.length,
      file_type: 'pdf',
      sample_item_id: w.items[0],
    });
    const sha = String(row!.sha256);
    expect(existsSync(path.join(w.t.dir, 'evidence', sha.slice(0, 2), sha))).toBe(true);
    expect(readdirSync(path.join(w.t.dir, 'evidence', 'incoming'))).toEqual([]);
    expect(
      rows(w.t, "SELECT action FROM audit_entries WHERE entity = 'evidence' AND entity_id = ?", String(row!.id)),
    ).toEqual([{ action: 'upload' }]);
    expect((await w.staff.get(`${w.url}/items/${w.items[0]}`)).body).toContain('approval.pdf</a>');
  });

  it('refuses a file over the size limit with a clear message', async () => {
    const w = await workpaper({ env: { TICKMARK_MAX_UPLOAD_MB: '1' } });
    const res = await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      { name: 'big.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024)]) },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The file is larger than the limit of 1 MB.');
    expect(evidence(w)).toEqual([]);
  });

  it('refuses an empty file and HTML disguised as a PDF, storing nothing', async () => {
    const w = await workpaper();
    const empty = await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'empty.pdf', content: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('The file is empty.');
    const html = await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      {
        name: 'invoice.pdf',
        content: '<html><body><script>fetch("/admin")</script></body></html>',
        type: 'application/pdf',
      },
    );
    expect(html.statusCode).toBe(422);
    expect(html.body).toContain('The file contains HTML, SVG or XML markup, which is not accepted as evidence');
    expect(evidence(w)).toEqual([]);
    expect(
      existsSync(path.join(w.t.dir, 'evidence'))
        ? readdirSync(path.join(w.t.dir, 'evidence')).filter((d) => d !== 'incoming' && !/^[0-9a-f]{2}$/.test(d))
        : [],
    ).toEqual([]);
  });

  it('strips bidirectional controls and other invisible characters from file names, as stored and as shown', async () => {
    const w = await workpaper();
    const spoof = 'invoice\u202efdp.exe';
    const res = await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      { name: spoof, content: textPdf(['approved']) },
    );
    expect(res.statusCode).toBe(303);
    expect(evidence(w).map((r) => r.original_name)).toEqual(['invoicefdp.exe']);
    // A row stored before names were cleaned is shown cleaned on every page and in the download header.
    w.t.app.conn.sqlite
      .prepare('UPDATE evidence_files SET original_name = ?')
      .run('approval\u2067\u200f\u202efdp.scr\u2069');
    const [row] = evidence(w);
    const invisible = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
    for (const page of [w.url, `${w.url}/print`]) {
      const body = (await w.staff.get(page)).body;
      expect(body, page).toContain('approvalfdp.scr');
      expect(body, page).not.toMatch(invisible);
    }
    const download = await w.staff.get(`/engagements/${w.eid}/evidence/${row!.id}/download`);
    expect(decodeURIComponent(String(download.headers['content-disposition']))).toContain("UTF-8''approvalfdp.scr");
  });

  it('downloads always as an attachment with a safe name, nosniff and a content type it can trust', async () => {
    const w = await workpaper();
    await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      { name: 'Prüfung Q1 (final).pdf', content: textPdf(['ok']) },
    );
    await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      {
        name: 'mail.eml',
        content: emailFile({
          from: 'a@x.example',
          to: 'b@y.example',
          date: 'Mon, 6 Jan 2025 09:00:00 +0000',
          subject: 'Approval',
          body: 'Approved.',
        }),
      },
    );
    const [pdf, eml] = evidence(w);
    const download = await w.staff.get(`/engagements/${w.eid}/evidence/${pdf!.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Pr_fung Q1 (final).pdf"; filename*=UTF-8''Pr%C3%BCfung%20Q1%20%28final%29.pdf`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const mail = await w.staff.get(`/engagements/${w.eid}/evidence/${eml!.id}/download`);
    expect(mail.headers['content-type']).toBe('application/octet-stream');
    expect(mail.headers['content-disposition']).toMatch(/^attachment; /);
  });

  it('nobody off the team can download or upload: 404', async () => {
    const w = await workpaper();
    await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'a.txt', content: 'Inspected.' });
    const id = evidence(w)[0]!.id;
    const demoFile = rows(w.t, 'SELECT id FROM evidence_files ORDER BY id LIMIT 1')[0]!.id;
    expect((await w.staff.get(`/engagements/${w.eid}/evidence/${demoFile}/download`)).statusCode).toBe(200);
    const admin = await loginAs(w.t.app, 'admin');
    await admin.get('/engagements');
    expect((await admin.get(`/engagements/${w.eid}/evidence/${id}/download`)).statusCode).toBe(404);
    expect((await admin.get(`/engagements/${w.eid}/evidence/${demoFile}/download`)).statusCode).toBe(404);
    expect((await upload(w.t.app, admin, `${w.url}/evidence`, {}, { name: 'b.txt', content: 'x' })).statusCode).toBe(
      404,
    );
    expect(evidence(w)).toHaveLength(1);
  });

  it('deletes a mistaken upload before preparation; afterwards files are only superseded, the old kept in history', async () => {
    const w = await workpaper();
    await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'wrong.txt', content: 'Wrong client.' });
    const wrong = evidence(w)[0]!;
    expect((await w.staff.post(`${w.url}/evidence/${wrong.id}/delete`)).statusCode).toBe(303);
    expect(evidence(w)).toEqual([]);
    expect(existsSync(path.join(w.t.dir, 'evidence', String(wrong.sha256).slice(0, 2), String(wrong.sha256)))).toBe(
      false,
    );
    await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'listing.csv', content: 'Change ID\nCHG-1\n' });
    await passAll(w);
    await w.staff.post(`${w.url}/conclusion`, { accept: '1', version: formVersion(w) });
    expect((await w.staff.post(`${w.url}/prepared`)).statusCode).toBe(303);
    const listing = evidence(w)[0]!;
    const refused = await w.staff.post(`${w.url}/evidence/${listing.id}/delete`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('cannot be deleted, only replaced');
    const replaced = await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence/${listing.id}/supersede`,
      {},
      { name: 'listing-v2.csv', content: 'Change ID\nCHG-1\nCHG-2\n' },
    );
    expect(replaced.statusCode).toBe(303);
    const [old, current] = evidence(w);
    expect(old).toMatchObject({ original_name: 'listing.csv', superseded_by_id: current!.id });
    expect(current).toMatchObject({ original_name: 'listing-v2.csv', superseded_by_id: null });
    const page = await w.staff.get(w.url);
    expect(page.body).toContain('Replaced files (1)');
    expect(
      rows(
        w.t,
        "SELECT action FROM audit_entries WHERE entity = 'evidence' AND entity_id IN (?, ?, ?) ORDER BY id",
        String(wrong.id),
        String(old!.id),
        String(current!.id),
      ).map((r) => r.action),
    ).toEqual(['upload', 'delete', 'upload', 'supersede']);
    const superseding = rows(
      w.t,
      "SELECT changes FROM audit_entries WHERE entity = 'evidence' AND action = 'supersede' AND entity_id = ?",
      String(current!.id),
    )[0]!;
    expect(JSON.parse(String(superseding.changes))).toMatchObject({
      supersedes: [null, old!.id],
      originalName: [null, 'listing-v2.csv'],
      uploadedBy: [null, current!.uploaded_by],
    });
    expect(divergentRows(w.t.app.conn.db, w.eid)).toEqual([]);
  });
});
