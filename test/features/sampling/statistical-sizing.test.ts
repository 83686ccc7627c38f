// Statistical sizing on the control's Sampling page (issue 13, item 5): the sizing form refreshes the page with
// htmx, whose answer is the page's fragment alone (no layout, so no <main>). It selected `main` from that answer,
// found nothing and emptied the page; it now selects a wrapper the fragment holds.
import { describe, expect, it } from 'vitest';
import { writeTestPlan } from '../../../src/features/controls/test-plan-service.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';

async function dailyControl() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'OPS-STATS', frequency: 'daily', risk: 'lower' });
  t.app.conn.db.transaction((tx) =>
    writeTestPlan(tx, controlId, {
      procedures: [{ kind: 'inspection', text: 'Inspected the daily reconciliation.' }],
      attributes: ['Reconciliation prepared.'],
    }),
  );
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  expect((await senior.post(`/engagements/${eid}/controls/${controlId}/populations/generate`)).statusCode).toBe(303);
  return { t, eid, url: `/engagements/${eid}/controls/${controlId}/sampling`, senior };
}

/** The element the sizing form's htmx answer is swapped from and into. */
function swapTargetOf(body: string): string {
  const form = /<form[^>]*class="form-row sizing"[^>]*>/.exec(body)![0];
  const select = /hx-select="([^"]+)"/.exec(form)![1]!;
  expect(/hx-target="([^"]+)"/.exec(form)![1]).toBe(select);
  return select;
}

describe('statistical sizing on the Sampling page', () => {
  it('the htmx answer to a sizing change holds the element the form selects, with the statistical proposal', async () => {
    const { url, senior } = await dailyControl();
    const page = await senior.get(url);
    const target = swapTargetOf(page.body);
    expect(target).toMatch(/^#[\w-]+$/);

    const fragment = await senior.get(`${url}?sizing=statistical&confidence=95&tolerableRate=5&expectedRate=0`, {
      'hx-request': 'true',
    });
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).not.toContain('<main');
    expect(fragment.body).toContain(`id="${target.slice(1)}"`);
    expect(fragment.body).toContain('Proposed size: 59</strong>');
    // The selection form below carries the statistical sizing it will be selected with.
    expect(fragment.body).toContain('name="sizing" value="statistical"');
    expect(fragment.body).toContain('name="tolerableRate" value="5"');
  });

  it('ticking statistics before a rate is typed shows its fields and says what is missing, not the table size', async () => {
    const { url, senior } = await dailyControl();
    const fragment = await senior.get(`${url}?sizing=statistical`, { 'hx-request': 'true' });
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).toContain('name="tolerableRate"');
    expect(fragment.body).toContain('value="statistical" checked');
    expect(fragment.body).toContain('Proposed size: —</strong> — Enter the tolerable deviation rate.');
    expect(fragment.body).not.toContain('Proposed size: 20');
  });

  it('a statistical selection from the page draws the 59 items it proposed', async () => {
    const { t, eid, senior } = await dailyControl();
    const pid = Number(
      (
        t.app.conn.sqlite.prepare("SELECT id FROM populations WHERE status = 'draft' ORDER BY id DESC").get() as {
          id: number;
        }
      ).id,
    );
    const res = await senior.post(`/engagements/${eid}/populations/${pid}/samples`, {
      sizing: 'statistical',
      confidence: '95',
      tolerableRate: '5',
      expectedRate: '0',
      method: 'random',
      seed: '42',
    });
    expect(res.statusCode).toBe(303);
    const sample = t.app.conn.sqlite
      .prepare('SELECT status, planned_size, proposed_size, sizing FROM samples WHERE population_id = ?')
      .get(pid);
    expect(sample).toEqual({ status: 'active', planned_size: 59, proposed_size: 59, sizing: 'statistical' });
  });
});
