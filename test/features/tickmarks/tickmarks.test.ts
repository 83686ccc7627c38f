import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { count, openEngagement } from '../controls/helpers.js';

describe('the tickmark legend', () => {
  it('starts with the default set, on the demo and on every new engagement', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    const res = await staff.get(`/engagements/${id}/tickmarks`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<td class="tickmark-symbol">✓</td><td>Agreed without exception</td>');
    expect(res.body).toContain('<td class="tickmark-symbol">^</td><td>Footed (column total recomputed)</td>');
    expect(res.body).not.toContain('Add a tickmark');
    const manager = await loginAs(t.app, 'manager');
    const eid = await openEngagement(t, manager, { framework: 'soc2' });
    expect(count(t, 'SELECT count(*) AS n FROM tickmarks WHERE engagement_id = ?', eid)).toBe(10);
  });

  it('is edited by a senior: add, change, remove, restore the defaults', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const base = `/engagements/${id}/tickmarks`;
    await senior.get(base);
    expect((await senior.post(base, { symbol: 'Σ', meaning: 'Cross-footed' })).statusCode).toBe(303);
    const dup = await senior.post(base, { symbol: 'X', meaning: 'Again' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('&quot;X&quot; is already in the legend.');
    expect(dup.body).toContain('value="Again"');
    const x = (
      t.app.conn.sqlite.prepare("SELECT id FROM tickmarks WHERE engagement_id = ? AND symbol = 'X'").get(id) as {
        id: number;
      }
    ).id;
    expect(
      (await senior.post(`${base}/${x}`, { symbol: 'X', meaning: 'Exception: see the exception log' })).statusCode,
    ).toBe(303);
    expect((await senior.post(`${base}/${x}/delete`)).statusCode).toBe(303);
    expect(count(t, "SELECT count(*) AS n FROM tickmarks WHERE engagement_id = ? AND symbol = 'X'", id)).toBe(0);
    const restored = await senior.post(`${base}/defaults`);
    expect(restored.statusCode).toBe(303);
    expect((await senior.get(base)).body).toContain('1 default tickmark added.');
    expect(count(t, 'SELECT count(*) AS n FROM tickmarks WHERE engagement_id = ?', id)).toBe(11);
    expect(count(t, "SELECT count(*) AS n FROM audit_entries WHERE entity LIKE 'tickmark%'")).toBeGreaterThanOrEqual(4);
  });

  it('cannot be changed by staff', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${id}/tickmarks`);
    expect((await staff.post(`/engagements/${id}/tickmarks`, { symbol: 'Z', meaning: 'x' })).statusCode).toBe(403);
  });
});
