import { it, expect } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';

it('smoke', async () => {
  const started = Date.now();
  const t = await buildTestApp();
  console.log('seed ms', Date.now() - started);
  const eid = demoEngagementId(t);
  const staff = await loginAs(t.app, 'staff');
  for (const ref of ['CC1.4-01', 'CC7.1-01', 'CC8.1-01']) {
    const c = t.app.conn.sqlite.prepare('SELECT id FROM controls WHERE reference = ?').get(ref) as { id: number };
    const page = await staff.get(`/engagements/${eid}/controls/${c.id}/workpaper`);
    const ev = /<section class="card" id="evaluation"[\s\S]*?<\/section>/.exec(page.body)![0];
    console.log(ref, page.statusCode, page.body.length, ev.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
  }
  const reg = await staff.get(`/engagements/${eid}/exceptions`);
  console.log(reg.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-1500));
  expect(reg.statusCode).toBe(200);
});
