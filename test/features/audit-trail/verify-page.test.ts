// The History page's Verify button checks the hash chain and replays the engagement's rows against their last
// entries, as npm run verify-audit-trail does: a value changed by raw SQL is shown with what the trail says.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

describe('the Verify button on the History page', () => {
  it('shows a value changed behind the app with its entity, id, field, the trail’s value and the row’s', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/history`);
    const clean = await partner.post(`/engagements/${eid}/audit-trail/verify`);
    expect(clean.statusCode).toBe(200);
    expect(clean.body).toContain('The audit trail is intact');
    expect(clean.body).toContain('holds the values of its last entry');
    expect(clean.body).not.toContain('Changed outside the app');

    const note = s
      .prepare(
        "SELECT n.id, n.status FROM review_notes n WHERE n.engagement_id = ? AND EXISTS (SELECT 1 FROM audit_entries a WHERE a.entity = 'review-note' AND a.entity_id = CAST(n.id AS TEXT)) ORDER BY n.id LIMIT 1",
      )
      .get(eid) as { id: number; status: string };
    s.prepare("UPDATE review_notes SET status = 'cleared-by-sql' WHERE id = ?").run(note.id);
    const page = await partner.post(`/engagements/${eid}/audit-trail/verify`);
    expect(page.body).toContain('The audit trail is intact');
    expect(page.body).toContain('Changed outside the app');
    const row = /<section class="card" id="divergences">[\s\S]*?<\/section>/.exec(page.body)![0];
    expect(row).toContain('1 value differs');
    expect(row).toContain(`>review-note</a></td><td class="num">${note.id}</td><td>status</td>`);
    expect(row).toContain(`&quot;${note.status}&quot;`);
    expect(row).toContain('&quot;cleared-by-sql&quot;');
  });
});
