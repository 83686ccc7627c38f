import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildWorkpaper, completeFieldwork } from '../../helpers/factories.js';
import { getEngagement } from '../../../src/core/engagement/queries.js';
import { sectionOneDraft } from '../../../src/features/reports/section-one.js';

const count = (t: TestApp, sql: string, ...args: unknown[]) =>
  (t.app.conn.sqlite.prepare(sql).get(...args) as { n: number }).n;

describe('the opinion', () => {
  it('proposes a qualified opinion from a failed control and drafts the basis paragraph', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare('DELETE FROM workpapers').run();
    buildWorkpaper(t, eid, { reference: 'CC7.2-01', conclusion: 'not-effective' });
    completeFieldwork(t, eid);
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/opinion`);
    expect(page.body).toMatch(/Proposed opinion: <span class="status status-bad">Qualified/);
    expect(page.body).toContain('In our opinion, except for');
    expect(page.body).toContain('CC7.2');
  });

  it('shows on the demo a criterion addressed by a carve-out’s CSOCs, one marked not applicable, and the assertion', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    const page = (await partner.get(`/engagements/${eid}/opinion`)).body.replaceAll('&#39;', "'");
    expect(page).toMatch(
      /CC6\.4[\s\S]*?Subservice organization’s controls[\s\S]*?Addressed by the subservice organization’s controls \(carve-out\)\./,
    );
    expect(page).toMatch(
      /CC6\.5[\s\S]*?Not applicable: Nimbus Ledger holds no customer data on physical assets of its own/,
    );
    expect(page).toContain('Dana Whitfield');
    expect(page).not.toMatch(/not addressed by a tested control/);
  });

  it('says "Not ready" instead of a type while controls are unconcluded, naming them, and proposes nothing to approve', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/opinion`);
    expect(page.body).toMatch(/Proposed opinion: <span class="status status-planning">Not ready<\/span>/);
    expect(page.body).toMatch(
      /Not ready: The description&#39;s fair presentation is not concluded[^<]* \d+ controls are not yet concluded: CC1\.1-01, [^<]*CC9\.2-01, A1\.1-01, A1\.3-01\./,
    );
    expect(page.body).not.toContain('(proposed)');
    completeFieldwork(t, eid);
    const ready = await partner.get(`/engagements/${eid}/opinion`);
    expect(ready.body).not.toContain('Not ready');
    expect(ready.body).toMatch(/Proposed opinion: <span class="status status-bad">Qualified/);
  });

  it('words the opinion paragraph on the page as the Section I draft does, complementary controls included', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const partner = await loginAs(t.app, 'partner');
    const page = await partner.get(`/engagements/${eid}/opinion`);
    const opinion = sectionOneDraft(t.app.conn.db, t.config.rootDir, getEngagement(t.app.conn.db, eid)!).sections.at(
      -1,
    )!;
    expect(opinion.paragraphs.join(' ')).toContain('complementary user entity controls');
    for (const paragraph of opinion.paragraphs) expect(page.body.replaceAll('&#39;', "'")).toContain(paragraph);
  });

  it('asks for written reasons to depart from the proposal, then locks the engagement on approval', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    t.app.conn.sqlite.prepare("UPDATE review_notes SET status = 'cleared'").run();
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/opinion`);
    const page = await partner.get(`/engagements/${eid}/opinion`);
    const proposed = /<option value="(\w+)" selected>/.exec(page.body)![1]!;
    const other = proposed === 'unqualified' ? 'qualified' : 'unqualified';
    const bare = await partner.post(`/engagements/${eid}/opinion/approve`, { type: other, reason: '' });
    expect(bare.statusCode).toBe(422);
    expect(bare.body).toContain('Explain in writing why the opinion differs from the proposal.');
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/opinion`);
    expect((await staff.post(`/engagements/${eid}/opinion/approve`, { type: proposed })).statusCode).toBe(403);
    expect((await partner.post(`/engagements/${eid}/opinion/approve`, { type: proposed })).statusCode).toBe(303);
    expect(count(t, 'SELECT count(*) AS n FROM engagements WHERE id = ? AND locked_at IS NOT NULL', eid)).toBe(1);
  });

  it('the lock refuses every write route of the engagement until the partner unlocks it with a reason', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    t.app.conn.sqlite.prepare("UPDATE engagements SET locked_at = '2026-02-01T00:00:00.000Z' WHERE id = ?").run(eid);
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}`);
    const writes = t.app.routeTable.filter(
      (r) =>
        r.method === 'POST' &&
        r.url.startsWith('/engagements/:engagementId') &&
        !r.url.endsWith('/opinion/unlock') &&
        !r.url.endsWith('/roll-forward') &&
        !r.url.endsWith('/archive'),
    );
    const trailBefore = count(t, 'SELECT count(*) AS n FROM audit_entries');
    for (const route of writes) {
      const url = route.url.replace(':engagementId', String(eid)).replace(/:\w+/g, '1');
      const res = await partner.post(url, {});
      expect([route.url, res.statusCode]).toEqual([route.url, 423]);
    }
    expect(count(t, 'SELECT count(*) AS n FROM audit_entries')).toBe(trailBefore);
    console.log(`lock: ${writes.length} write routes refused`);
    expect((await partner.post(`/engagements/${eid}/opinion/unlock`, { reason: '' })).statusCode).toBe(422);
    expect(
      (await partner.post(`/engagements/${eid}/opinion/unlock`, { reason: 'Subsequent event disclosed by management' }))
        .statusCode,
    ).toBe(303);
    expect(count(t, "SELECT count(*) AS n FROM audit_entries WHERE action = 'unlock'")).toBe(1);
    expect(
      (await partner.post(`/engagements/${eid}/subservice-orgs`, { name: 'New host', method: 'inclusive' })).statusCode,
    ).toBe(303);
  });
});
