// Every form the app shows, found by crawling its pages, filled with hostile values by fast-check:
// never a 500, nothing reflected unescaped, and a refused request leaves the database as it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../helpers/app.js';
import { hostile, MARK } from './hostile-values.js';

interface Form {
  page: string;
  action: string;
  fields: string[];
}

const SKIP = [/\/logout$/, /\/opinion\/approve$/, /\/roll-forward$/, /\/account\/password$/];

function formsOf(page: string, html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = match[1]!;
    if (!/method="post"/i.test(attrs) || /multipart/i.test(attrs)) continue;
    const action = /action="([^"]+)"/.exec(attrs)?.[1]?.replace(/&amp;/g, '&');
    if (!action || SKIP.some((re) => re.test(action))) continue;
    const fields = [...new Set([...match[2]!.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!).filter((n) => n !== '_csrf'))];
    forms.push({ page, action, fields });
  }
  return forms;
}

function pagesToCrawl(t: TestApp, eid: number): string[] {
  const s = t.app.conn.sqlite;
  const id = (sql: string) => (s.prepare(sql).get() as { id: number }).id;
  const control = id("SELECT id FROM controls WHERE reference = 'CC1.4-01'");
  const population = id(`SELECT id FROM populations WHERE control_id = ${control}`);
  const sample = id(`SELECT id FROM samples WHERE control_id = ${control}`);
  const workpaper = id(`SELECT id FROM workpapers WHERE control_id = ${control}`);
  const base = `/engagements/${eid}`;
  return [
    base, `${base}/edit`, `${base}/team`, `${base}/controls`, `${base}/controls/new`, `${base}/controls/${control}`, `${base}/controls/${control}/details/edit`,
    `${base}/controls/${control}/test-plan/edit`, `${base}/controls/${control}/walkthrough/edit`, `${base}/complementary-controls`, `${base}/tickmarks`,
    `${base}/controls/${control}/population`, `${base}/populations/${population}`, `${base}/controls/${control}/sampling`, `${base}/samples/${sample}`,
    `${base}/controls/${control}/workpaper`, `${base}/workpapers/${workpaper}/review`, `${base}/opinion`, `${base}/pbc`, `${base}/exceptions`, '/engagements/new', '/admin/users',
  ];
}

async function fuzz(t: TestApp, client: Client, form: Form, runs: number): Promise<number> {
  const trail = () => (t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fc.record(Object.fromEntries(form.fields.map((f) => [f, hostile]))), async (values) => {
      await client.get(form.page);
      const before = trail();
      const res = await client.post(form.action, values as Record<string, string>);
      sent++;
      expect(res.statusCode, `${form.action} ${JSON.stringify(values).slice(0, 300)}`).toBeLessThan(500);
      expect(res.body, form.action).not.toContain(MARK);
      if (res.statusCode >= 400) expect(trail(), `${form.action} was refused (${res.statusCode}) but wrote`).toBe(before);
      if (res.statusCode === 303 && res.headers.location) expect((await client.get(String(res.headers.location))).body).not.toContain(MARK);
    }),
    { numRuns: runs },
  );
  return sent;
}

describe('hostile input on every form', () => {
  it('never fails, never reflects markup, and a refused request writes nothing', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const admin = await loginAs(t.app, 'admin');
    const forms: Form[] = [];
    for (const page of pagesToCrawl(t, eid)) {
      const client = page.startsWith('/admin') ? admin : manager;
      const res = await client.get(page);
      expect(res.statusCode, page).toBe(200);
      forms.push(...formsOf(page, res.body));
    }
    const unique = [...new Map(forms.map((f) => [f.action, f])).values()];
    expect(unique.length).toBeGreaterThan(25);
    let inputs = 0;
    for (const form of unique) inputs += await fuzz(t, form.page.startsWith('/admin') ? admin : manager, form, 8);
    console.log(`hostile input: ${unique.length} forms, ${inputs} submissions`);
  });
});
