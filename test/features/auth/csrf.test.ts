// Where the CSRF token may come from (issue 12, item 16): the form's field or htmx's header, never the URL.
import { describe, expect, it } from 'vitest';
import { textPdf } from '../../../src/features/demo/evidence-files.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { multipartBody, upload } from '../../helpers/multipart.js';
import { rows, workpaper } from '../testing/helpers.js';

describe('CSRF token', () => {
  it('is not accepted from the query string of a form post', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    await manager.get(`/engagements/${eid}`);
    const res = await manager.post(`/engagements/${eid}/subservice-orgs?_csrf=${encodeURIComponent(manager.csrf)}`, {
      name: 'Sneaky',
      method: 'inclusive',
      _csrf: null,
    });
    expect(res.statusCode).toBe(403);
    const fromHeader = await manager.post(
      `/engagements/${eid}/subservice-orgs`,
      { name: 'Through htmx', method: 'inclusive', _csrf: null },
      { 'x-csrf-token': manager.csrf },
    );
    expect(fromHeader.statusCode).toBeLessThan(400);
    const names = (t.app.conn.sqlite.prepare('SELECT name FROM subservice_orgs').all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names).toContain('Through htmx');
    expect(names).not.toContain('Sneaky');
  });

  it('of an upload is a form field, not the URL', async () => {
    const w = await workpaper();
    const target = `${w.url}/evidence`;
    const { body, contentType } = multipartBody({}, { name: 'approval.pdf', content: textPdf(['approved']) });
    const inUrl = await w.t.app.inject({
      method: 'POST',
      url: `${target}?_csrf=${encodeURIComponent(w.staff.csrf)}`,
      payload: body,
      headers: { cookie: w.staff.cookie, 'content-type': contentType },
    });
    expect(inUrl.statusCode).toBe(403);
    expect(rows(w.t, 'SELECT id FROM evidence_files WHERE original_name = ?', 'approval.pdf')).toEqual([]);
    const asField = await upload(
      w.t.app,
      w.staff,
      target,
      {},
      { name: 'approval.pdf', content: textPdf(['approved']) },
    );
    expect(asField.statusCode).toBe(303);
    expect(rows(w.t, 'SELECT id FROM evidence_files WHERE original_name = ?', 'approval.pdf')).toHaveLength(1);
  });

  it('every upload form sends it as its first field, and none in its address', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const control = (
      t.app.conn.sqlite.prepare("SELECT id FROM controls WHERE reference = 'CC6.2-01'").get() as { id: number }
    ).id;
    const pages = [
      `/engagements/${eid}/controls/${control}/population`,
      `/engagements/${eid}/controls/import`,
      `/engagements/${eid}/pbc`,
      '/engagements/import',
    ];
    let forms = 0;
    for (const page of pages) {
      const html = (await manager.get(page)).body;
      for (const m of html.matchAll(/<form([^>]*enctype="multipart\/form-data"[^>]*)>([\s\S]*?)<\/form>/g)) {
        forms++;
        expect(m[1], page).not.toContain('_csrf');
        expect(/<input\b[^>]*name="([^"]+)"/.exec(m[2]!)?.[1], page).toBe('_csrf');
      }
    }
    expect(forms).toBeGreaterThanOrEqual(4);
  });
});
