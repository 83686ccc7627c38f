// Issue #11 items 2 and 3 through the routes: the description's fair presentation, a design deficiency from the
// walkthrough, controls that did not operate, and a Type I engagement's words on the page and in Section I.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { completeFieldwork } from '../../helpers/factories.js';
import { getEngagement } from '../../../src/core/engagement/queries.js';
import { sectionOneDraft } from '../../../src/features/reports/section-one.js';

const unescapeHtml = (html: string) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
const sectionOne = (t: TestApp, eid: number) =>
  sectionOneDraft(t.app.conn.db, t.config.rootDir, getEngagement(t.app.conn.db, eid)!);
const sectionOneText = (t: TestApp, eid: number) =>
  sectionOne(t, eid)
    .sections.flatMap((s) => [s.heading, ...s.paragraphs])
    .join('\n');

describe('element (a): the description', () => {
  it('is an open matter until concluded; "no" needs the matters and qualifies the opinion, in the trail', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    t.app.conn.sqlite.prepare('DELETE FROM description_presentations WHERE engagement_id = ?').run(eid);
    const manager = await loginAs(t.app, 'manager');
    const url = `/engagements/${eid}/opinion`;
    expect(unescapeHtml((await manager.get(url)).body)).toContain(
      "Not ready: The description's fair presentation is not concluded",
    );

    const bare = await manager.post(`${url}/description`, {
      fairlyPresented: 'no',
      descriptionMatters: '',
      version: '0',
    });
    expect(bare.statusCode).toBe(422);
    expect(bare.body).toContain('Describe what the description misstates or omits.');
    expect(
      t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM description_presentations WHERE engagement_id = ?').get(eid),
    ).toEqual({ n: 0 });

    const saved = await manager.post(`${url}/description`, {
      fairlyPresented: 'no',
      descriptionMatters: 'The description omits the nightly backup process.',
      version: '0',
    });
    expect(saved.statusCode).toBe(303);
    const page = unescapeHtml((await manager.get(url)).body);
    expect(page).toContain(
      'Element (a), description: the description does not fairly present the system (The description omits the nightly backup process.)',
    );
    expect(page).toMatch(
      /does not fairly present the system that was designed and implemented throughout the period [^<]*\. The description omits the nightly backup process\./,
    );
    expect(sectionOne(t, eid).type).not.toBe('unqualified');
    const trail = t.app.conn.sqlite
      .prepare(
        "SELECT action, changes FROM audit_entries WHERE entity = 'description-presentation' AND engagement_id = ?",
      )
      .all(eid) as { action: string; changes: string }[];
    expect(trail.map((r) => r.action)).toEqual(['create']);
    expect(trail[0]!.changes).toContain('nightly backup');

    const stale = await manager.post(`${url}/description`, { fairlyPresented: 'yes', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(
      t.app.conn.sqlite
        .prepare('SELECT fairly_presented AS f FROM description_presentations WHERE engagement_id = ?')
        .get(eid),
    ).toEqual({ f: 0 });
  });

  it('is concluded by a manager or the partner only', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const refused = await senior.post(`/engagements/${eid}/opinion/description`, {
      fairlyPresented: 'yes',
      version: '0',
    });
    expect(refused.statusCode).toBe(403);
    expect(
      t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM description_presentations WHERE engagement_id = ?').get(eid),
    ).toEqual({ n: 0 });
  });
});

describe('element (b): design', () => {
  it('a walkthrough that finds the design deficient fails the criterion as "not suitably designed" on the page and in Section I', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    t.app.conn.sqlite
      .prepare(
        "UPDATE walkthroughs SET conclusion = 'not-suitably-designed', deficiency = 'Approval is not required before deployment.' WHERE control_id = (SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC8.1-01')",
      )
      .run(eid);
    expect(t.app.conn.sqlite.prepare('SELECT changes() AS n').get()).toEqual({ n: 1 });
    const partner = await loginAs(t.app, 'partner');
    const page = unescapeHtml((await partner.get(`/engagements/${eid}/opinion`)).body);
    expect(page).toContain('Not suitably designed (element (b)): CC8.1-01.');
    expect(page).toMatch(/CC8\.1 not achieved \(element \(b\), design: CC8\.1-01 not suitably designed\)/);
    const text = sectionOneText(t, eid);
    expect(text).toContain('Control CC8.1-01 was not suitably designed. Approval is not required before deployment.');
    expect(text).toContain('In our opinion, except for');
  });
});

describe('no testing performed', () => {
  it('a criterion whose only controls did not operate is flagged, stays achieved and is disclosed in Section I', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    const mapped =
      "SELECT m.control_id FROM control_mappings m JOIN controls c ON c.id = m.control_id WHERE c.engagement_id = ? AND m.criterion_id = 'CC7.4'";
    const changed = t.app.conn.sqlite
      .prepare(`UPDATE workpapers SET conclusion = 'no-testing' WHERE control_id IN (${mapped})`)
      .run(eid);
    expect(changed.changes).toBeGreaterThan(0);
    const partner = await loginAs(t.app, 'partner');
    const page = unescapeHtml((await partner.get(`/engagements/${eid}/opinion`)).body);
    expect(page).toContain('No testing performed: the controls did not operate during the period');
    expect(page).not.toMatch(/CC7\.4 not achieved/);
    expect(sectionOneText(t, eid)).toMatch(
      /controls related to trust services criteria CC7\.4 and CC7\.5 did not operate during the period January 1, 2025 to December 31, 2025 because the circumstances that warrant their operation did not occur during that period\. Therefore, we did not test the operating effectiveness of those controls\./,
    );
  });
});

describe('Type I', () => {
  it("a Type I engagement's opinion page and Section I use Type I words, as of the date, and never the Type II ones", async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    t.app.conn.sqlite
      .prepare(
        "UPDATE engagements SET report_type = 'type1', period_start = '2025-12-31', period_end = '2025-12-31' WHERE id = ?",
      )
      .run(eid);
    // An operating failure does not reach a Type I opinion.
    t.app.conn.sqlite
      .prepare(
        "UPDATE workpapers SET conclusion = 'not-effective' WHERE control_id = (SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC8.1-01')",
      )
      .run(eid);
    const partner = await loginAs(t.app, 'partner');
    const page = unescapeHtml((await partner.get(`/engagements/${eid}/opinion`)).body);
    const draft = sectionOne(t, eid);
    const text = sectionOneText(t, eid);
    expect(draft.reportType).toBe('type1');
    expect(draft.covered).toBe('as of December 31, 2025');
    expect(page).toContain(
      'Type I: on the description and the suitability of the design of controls, as of December 31, 2025.',
    );
    for (const words of [text, page]) {
      expect(words).toContain('were suitably designed as of December 31, 2025');
      expect(words).not.toMatch(
        /throughout the period|operating effectiveness|operated effectively throughout|did not operate effectively/,
      );
    }
    expect(page).not.toContain('Not operating effectively');
    expect(text).toMatch(/^b\. the controls stated in the description were suitably designed/m);
    expect(text).not.toMatch(/^c\. /m);
  });
});
