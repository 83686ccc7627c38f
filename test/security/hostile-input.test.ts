// Every form the app shows, found by crawling its pages, filled with hostile values by fast-check: never a 500,
// nothing reflected unescaped, and a refused request leaves the database as it was. Upload forms get hostile
// fields, file names and contents too; and markup stored through any form is checked on every page that shows it.
// (Query strings and path parameters: hostile-query.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textPdf } from '../../src/features/demo/evidence-files.js';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../helpers/app.js';
import { upload } from '../helpers/multipart.js';
import { formsOf, pagesToCrawl, type Form } from './form-crawl.js';
import { demoIds, fillParams, hostile, MARK } from './hostile-values.js';

/** Stored through the forms, then looked for on every page: it must only ever come back escaped. Short, so
 * that it fits a reference or a tickmark symbol too; it leaves an attribute and a tag whichever quote it is in. */
const STORED = `'"><u>x</u>`;
const RAW = [MARK, '<u>x</u>'];
/** Not filled with their own defaults in the stored pass: they delete or replace what the pages show. */
const DESTRUCTIVE = [/\/delete$/, /\/remove$/, /\/discard$/, /\/unlock$/, /\/replace$/];

const trail = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;

function expectNoRawMarkup(body: string, where: string): void {
  for (const raw of RAW) expect(body, where).not.toContain(raw);
}

async function crawlForms(t: TestApp, clients: { manager: Client; admin: Client }, eid: number): Promise<Form[]> {
  const forms: Form[] = [];
  for (const page of pagesToCrawl(t, eid)) {
    const res = await (page.startsWith('/admin') ? clients.admin : clients.manager).get(page);
    expect(res.statusCode, page).toBe(200);
    forms.push(...formsOf(page, res.body));
  }
  return [...new Map(forms.map((f) => [f.action, f])).values()];
}

async function setUp() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const clients = { manager: await loginAs(t.app, 'manager'), admin: await loginAs(t.app, 'admin') };
  const forms = await crawlForms(t, clients, eid);
  const clientOf = (form: Form) => (form.page.startsWith('/admin') ? clients.admin : clients.manager);
  return { t, eid, clients, forms, clientOf };
}

/** Checks one answer: no failure, no markup reflected, a refusal writes nothing, and where it leads is clean too. */
async function expectHarmless(
  t: TestApp,
  client: Client,
  action: string,
  res: Awaited<ReturnType<Client['get']>>,
  before: number,
  what: string,
): Promise<void> {
  expect(res.statusCode, `${action} ${what}`).toBeLessThan(500);
  expectNoRawMarkup(res.body, action);
  if (res.statusCode >= 400) expect(trail(t), `${action} was refused (${res.statusCode}) but wrote`).toBe(before);
  if (res.statusCode === 303 && res.headers.location)
    expectNoRawMarkup((await client.get(String(res.headers.location))).body, String(res.headers.location));
}

async function fuzzForm(t: TestApp, client: Client, form: Form, runs: number): Promise<number> {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fc.record(Object.fromEntries(form.fields.map((f) => [f, hostile]))), async (values) => {
      await client.get(form.page);
      const before = trail(t);
      const res = await client.post(form.action, values as Record<string, string>);
      sent++;
      await expectHarmless(t, client, form.action, res, before, JSON.stringify(values).slice(0, 300));
    }),
    { numRuns: runs },
  );
  return sent;
}

const fileNames = fc.oneof(
  fc.constantFrom(
    'list.csv',
    `${MARK}.csv`,
    'invoice\u202efdp.exe',
    '../../etc/passwd',
    'C:\\Users\\x\\evidence.pdf',
    "it's.pdf",
    '',
    `${'n'.repeat(300)}.pdf`,
    '\u0000.pdf',
  ),
  fc.string({ maxLength: 30 }),
);
const fileContents = fc.oneof(
  fc.constant(Buffer.from(`Key,Date,Description,${MARK}\nA-1,2025-03-01,${MARK},x\nA-2,2025-04-01,ok,${STORED}\n`)),
  fc.constant(textPdf([MARK])),
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 400 }).map((s) => Buffer.from(`a,b\n${s}\n`)),
);

async function fuzzUpload(t: TestApp, client: Client, form: Form, runs: number, statuses: number[]): Promise<number> {
  let sent = 0;
  const others = form.fields.filter((f) => f !== 'file');
  await fc.assert(
    fc.asyncProperty(
      fc.record(
        Object.fromEntries(others.map((f) => [f, fc.oneof(hostile, fc.constant(String(form.defaults[f] ?? '')))])),
      ),
      fileNames,
      fileContents,
      async (values, name, content) => {
        await client.get(form.page);
        const before = trail(t);
        const res = await upload(t.app, client, form.action, values as Record<string, string>, { name, content });
        sent++;
        statuses.push(res.statusCode);
        await expectHarmless(
          t,
          client,
          form.action,
          res,
          before,
          `${JSON.stringify(values).slice(0, 200)} file ${JSON.stringify(name).slice(0, 60)}`,
        );
      },
    ),
    { numRuns: runs },
  );
  return sent;
}

describe('hostile input on every form', () => {
  it('never fails, never reflects markup, and a refused request writes nothing', async () => {
    const { t, forms, clientOf } = await setUp();
    const plain = forms.filter((f) => !f.multipart);
    expect(plain.length).toBeGreaterThan(25);
    let inputs = 0;
    for (const form of plain) inputs += await fuzzForm(t, clientOf(form), form, 8);
    console.log(`hostile input: ${plain.length} forms, ${inputs} submissions`);
  });

  it('upload forms: hostile fields, file names and contents never fail and a refused upload writes nothing', async () => {
    const { t, forms, clientOf } = await setUp();
    const uploads = forms.filter((f) => f.multipart);
    expect(uploads.map((f) => f.action.replace(/\d+/g, ':id')).sort()).toEqual(
      expect.arrayContaining([
        '/engagements/:id/controls/:id/populations/upload',
        '/engagements/:id/controls/import',
        '/engagements/:id/pbc/import',
        '/engagements/import',
      ]),
    );
    expect(uploads.some((f) => /\/evidence$/.test(f.action))).toBe(true);
    let sent = 0;
    const statuses: number[] = [];
    for (const form of uploads) sent += await fuzzUpload(t, clientOf(form), form, 6, statuses);
    // The token travels as the first field: no upload is refused as a forged form, and some get through.
    expect(statuses).not.toContain(403);
    expect(statuses.some((s) => s < 400)).toBe(true);
    // Whatever was stored keeps no invisible or markup characters in its file name.
    const names = t.app.conn.sqlite
      .prepare(
        'SELECT original_name AS n FROM evidence_files UNION ALL SELECT source_file FROM populations WHERE source_file IS NOT NULL',
      )
      .all() as { n: string }[];
    for (const { n } of names) expect(n).not.toMatch(/[\p{Cf}\p{Cc}<>"/\\]/u);
    console.log(
      `hostile uploads: ${uploads.length} forms, ${sent} uploads, ${statuses.filter((s) => s < 400).length} accepted`,
    );
  });
});

/** The form as a person would complete it: its defaults, with empty text and date fields filled in. */
function filledIn(form: Form, n: number): Record<string, string | string[]> {
  const values = { ...form.defaults };
  for (const f of form.textFields) if (!values[f]) values[f] = `F${n}`;
  for (const f of form.dateFields) if (!values[f]) values[f] = '2025-06-30';
  return values;
}

describe('stored markup on the pages that show it', () => {
  it('comes back escaped on every page, whichever form stored it', async () => {
    const { t, eid, clients, forms, clientOf } = await setUp();
    const evidence = forms.find((f) => f.multipart && /\/evidence$/.test(f.action))!;
    await clients.manager.get(evidence.page);
    const uploaded = await upload(
      t.app,
      clients.manager,
      evidence.action,
      {},
      { name: `<img src=x onerror=alert(2)>${MARK}\u202e.pdf`, content: textPdf([MARK]) },
    );
    expect(uploaded.statusCode, uploaded.body.slice(0, 2000)).toBe(303);
    let stored = 0;
    let attempts = 0;
    for (const form of forms.filter((f) => !f.multipart && !DESTRUCTIVE.some((re) => re.test(f.action)))) {
      for (const field of form.textFields) {
        const client = clientOf(form);
        // The version the page holds now: an earlier save in this loop has moved it on.
        const page = await client.get(form.page);
        const version = formsOf(form.page, page.body).find((f) => f.action === form.action)?.defaults.version;
        const res = await client.post(form.action, {
          ...filledIn(form, ++attempts),
          ...(version === undefined ? {} : { version }),
          [field]: `${[form.defaults[field] ?? ''].flat()[0] || `F${attempts}`} ${STORED}`,
        });
        expect(res.statusCode, `${form.action} ${field}`).toBeLessThan(500);
        if (res.statusCode < 400) stored++;
      }
    }
    expect(stored).toBeGreaterThan(25);
    const ids = demoIds(t, eid);
    let shown = 0;
    const pages = t.app.routeTable.filter(
      (r) => r.method === 'GET' && !r.public && !r.url.startsWith('/static/') && !/\/pdf$/.test(r.url),
    );
    for (const route of pages) {
      const url = fillParams(route.url, ids);
      const res = await (url.startsWith('/admin') ? clients.admin : clients.manager).get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      if (!String(res.headers['content-type']).startsWith('text/html')) continue;
      expectNoRawMarkup(res.body, url);
      if (res.body.includes('&lt;u&gt;x&lt;/u&gt;')) shown++;
    }
    expect(shown).toBeGreaterThan(10);
    console.log(
      `stored markup: ${stored} of ${attempts} text fields stored it, ${shown} of ${pages.length} pages showed it, always escaped`,
    );
  });
});
