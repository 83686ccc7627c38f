// The forms a page shows, read from its HTML the way a browser would submit them.
import type { TestApp } from '../helpers/app.js';

export interface Form {
  page: string;
  action: string;
  multipart: boolean;
  /** Every field name but the CSRF token. */
  fields: string[];
  /** What the browser would send untouched: values, checked boxes, selected options, textarea text. */
  defaults: Record<string, string | string[]>;
  /** Fields a person types free text into (text inputs and textareas). */
  textFields: string[];
  /** Date inputs. */
  dateFields: string[];
}

export const SKIP_ACTIONS = [/\/logout$/, /\/opinion\/approve$/, /\/roll-forward$/, /\/account\/password$/];

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function add(defaults: Record<string, string | string[]>, name: string, value: string): void {
  const had = defaults[name];
  defaults[name] = had === undefined ? value : [...[had].flat(), value];
}

function readFields(body: string): Pick<Form, 'fields' | 'defaults' | 'textFields' | 'dateFields'> {
  const defaults: Record<string, string | string[]> = {};
  const names = new Set<string>();
  const textFields = new Set<string>();
  const dateFields = new Set<string>();
  for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    if (!name || name === '_csrf') continue;
    names.add(name);
    const type = attr(tag, 'type') ?? 'text';
    if (type === 'file' || type === 'submit') continue;
    if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(tag)) continue;
    if (['text', 'search'].includes(type)) textFields.add(name);
    if (type === 'date') dateFields.add(name);
    add(defaults, name, unescapeHtml(attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')));
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(m[1]!, 'name');
    if (!name) continue;
    names.add(name);
    textFields.add(name);
    add(defaults, name, unescapeHtml(m[2]!));
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(m[1]!, 'name');
    if (!name) continue;
    names.add(name);
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]!);
    const chosen = options.filter((o) => /\bselected\b/.test(o));
    for (const o of chosen.length ? chosen : options.slice(0, 1))
      add(defaults, name, unescapeHtml(attr(o, 'value') ?? ''));
  }
  return { fields: [...names], defaults, textFields: [...textFields], dateFields: [...dateFields] };
}

export function formsOf(page: string, html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = match[1]!;
    if (!/method="post"/i.test(attrs)) continue;
    const action = attr(attrs, 'action')?.replace(/&amp;/g, '&');
    if (!action || SKIP_ACTIONS.some((re) => re.test(action))) continue;
    forms.push({ page, action, multipart: /multipart/i.test(attrs), ...readFields(match[2]!) });
  }
  return forms;
}

/** The pages whose forms the tests fill: one of each kind, on the demo's CC1.4-01 workpaper. */
export function pagesToCrawl(t: TestApp, eid: number): string[] {
  const s = t.app.conn.sqlite;
  const id = (sql: string) => (s.prepare(sql).get() as { id: number }).id;
  const control = id("SELECT id FROM controls WHERE reference = 'CC1.4-01'");
  const population = id(`SELECT id FROM populations WHERE control_id = ${control}`);
  const sample = id(`SELECT id FROM samples WHERE control_id = ${control}`);
  const workpaper = id(`SELECT id FROM workpapers WHERE control_id = ${control}`);
  const item = id(`SELECT id FROM sample_items WHERE sample_id = ${sample} ORDER BY sequence`);
  const unsampled = id("SELECT id FROM controls WHERE reference = 'CC6.2-01'");
  const base = `/engagements/${eid}`;
  return [
    base,
    `${base}/edit`,
    `${base}/team`,
    `${base}/controls`,
    `${base}/controls/new`,
    `${base}/controls/${control}`,
    `${base}/controls/${control}/details/edit`,
    `${base}/controls/${control}/test-plan/edit`,
    `${base}/controls/${control}/walkthrough/edit`,
    `${base}/complementary-controls`,
    `${base}/tickmarks`,
    `${base}/controls/${control}/population`,
    `${base}/controls/${unsampled}/population`,
    `${base}/holidays`,
    `${base}/populations/${population}`,
    `${base}/controls/${control}/sampling`,
    `${base}/samples/${sample}`,
    `${base}/controls/${control}/workpaper`,
    `${base}/controls/${control}/workpaper/${population}/items/${item}`,
    `${base}/workpapers/${workpaper}/review`,
    `${base}/review-notes`,
    `${base}/opinion`,
    `${base}/pbc`,
    `${base}/exceptions`,
    `${base}/controls/import`,
    '/engagements/new',
    '/engagements/import',
    '/admin/users',
    '/admin/methodology',
  ];
}
