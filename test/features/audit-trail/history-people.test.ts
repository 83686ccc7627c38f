// The trail keeps who decided as the column's user id; the History page names them beside it.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

describe('the History page', () => {
  it('names the person a user-id field records, beside the id', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const entry = t.app.conn.sqlite
      .prepare(
        "SELECT entity, entity_id AS entityId, json_extract(changes, '$.completedBy[1]') AS userId FROM audit_entries WHERE engagement_id = ? AND entity = 'population-ca' AND json_extract(changes, '$.completedBy[1]') IS NOT NULL LIMIT 1",
      )
      .get(eid) as { entity: string; entityId: string; userId: number };
    const name = (
      t.app.conn.sqlite.prepare('SELECT name FROM users WHERE id = ?').get(entry.userId) as { name: string }
    ).name;
    const manager = await loginAs(t.app, 'manager');
    const page = await manager.get(`/engagements/${eid}/history?entity=${entry.entity}&entityId=${entry.entityId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      new RegExp(`<td>completedBy</td><td class="clip">[^<]*</td><td class="clip">[^<]*${name} \\(#${entry.userId}\\)`),
    );
  });
});
