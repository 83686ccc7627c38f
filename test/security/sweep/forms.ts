// The forms a page shows, read the way a browser would submit them: the sweep posts what the app's own forms
// post, so a field added to a form (a version, say) is sent without anyone updating the sweep.

export type FormFields = Record<string, string | string[]>;

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
    out[m[1]!.toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

function add(fields: FormFields, name: string, value: string): void {
  const had = fields[name];
  fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
}

function fieldsOf(inner: string): FormFields {
  const fields: FormFields = {};
  for (const m of inner.matchAll(/<input\b([^>]*)>/gi)) {
    const a = attributes(m[1]!);
    const type = (a.type ?? 'text').toLowerCase();
    if (!a.name || ['submit', 'button', 'file', 'reset', 'image'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
    add(fields, a.name, a.value ?? (type === 'checkbox' ? 'on' : ''));
  }
  for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
    const a = attributes(m[1]!);
    if (a.name) add(fields, a.name, unescapeHtml(m[2]!));
  }
  for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const a = attributes(m[1]!);
    if (!a.name) continue;
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map(
      (o): Record<string, string> => ({ ...attributes(o[1]!), text: unescapeHtml(o[2]!.trim()) }),
    );
    const chosen = options.filter((o) => 'selected' in o);
    const values = (chosen.length > 0 ? chosen : 'multiple' in a ? [] : options.slice(0, 1)).map(
      (o) => o.value ?? o.text ?? '',
    );
    for (const v of values) add(fields, a.name, v);
  }
  return fields;
}

/** Every form on the page by the path it posts to (action or hx-post), without the CSRF token. */
export function formsOf(html: string): Map<string, FormFields> {
  const forms = new Map<string, FormFields>();
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attributes(m[1]!);
    const target = a['hx-post'] || a.action;
    if (!target || ((a.method ?? 'get').toLowerCase() !== 'post' && !a['hx-post'])) continue;
    const fields = fieldsOf(m[2]!);
    delete fields._csrf;
    const path = target.split(/[?#]/)[0]!;
    if (!forms.has(path)) forms.set(path, fields);
  }
  return forms;
}
