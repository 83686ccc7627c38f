// index.html, the archive's first page for a reader without Tickmark: the engagement, its period, the opinion as
// it stood, how the archive is signed, and every file linked by its relative name. One file: no script, no
// external asset, inline CSS only, so it opens offline from the unpacked folder.
import type { EngagementRow } from '../../core/engagement/queries.js';
import { capitalized, vocabularyOf } from '../../domain/vocabulary.js';
import { FRAMEWORK_LABELS, reportTypeLabel } from '../../core/format.js';
import { CHECKPOINTS_FILE, ENGAGEMENT_FILE, MANIFEST_FILE, SIGNATURE_FILE, TRAIL_FILE } from './archive-format.js';

export interface IndexEntry {
  name: string;
  title: string;
  size: number;
}

export interface IndexFacts {
  engagement: EngagementRow;
  opinion: string;
  exportedAt: string;
  exportedBy: string;
  fingerprint: string;
  appVersion: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** A relative link to an archive name: each segment percent-encoded, the slashes kept. */
export const hrefOf = (name: string) => name.split('/').map(encodeURIComponent).join('/');

/** The archive's folders and their headings; the assertion's in the engagement's standard's words. */
const groupsOf = (framework: string): [prefix: string, heading: string][] => [
  ['reports/', 'Reports'],
  ['workpapers/', 'Workpapers (PDF)'],
  ['populations/', 'Population files as received from the client'],
  ['assertion/', vocabularyOf(framework).assertionLabel],
  ['evidence/', 'Evidence'],
];

const CSS =
  'body{font:14px/1.45 sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#111}h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .5rem;vertical-align:top;border-bottom:1px solid #eee}td.num{text-align:right;white-space:nowrap}dt{font-weight:bold}dd{margin:0 0 .5rem 0}code{font-size:.9em;word-break:break-all}';

function fileTable(entries: IndexEntry[]): string {
  const rows = entries.map(
    (e) =>
      `<tr><td><a href="${esc(hrefOf(e.name))}">${esc(e.name)}</a></td><td>${esc(e.title)}</td><td class="num">${e.size.toLocaleString('en-GB')} bytes</td></tr>`,
  );
  return `<table><thead><tr><th>File</th><th>What it is</th><th>Size</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function facts(f: IndexFacts): string {
  const e = f.engagement;
  const period = e.reportType === 'type1' ? `as of ${e.periodEnd}` : `${e.periodStart} to ${e.periodEnd}`;
  const items: [string, string][] = [
    [capitalized(vocabularyOf(e.framework).serviceOrganization), e.clientName],
    ['System', e.systemName],
    [
      'Framework and report',
      `${FRAMEWORK_LABELS[e.framework] ?? e.framework}, ${reportTypeLabel(e.framework, e.reportType)}`,
    ],
    ['Period', period],
    ['Opinion at export', f.opinion],
    ['Exported', `${f.exportedAt} by ${f.exportedBy} (Tickmark ${f.appVersion})`],
    ...(e.unverifiedReason ? ([['Unverified copy', e.unverifiedReason]] as [string, string][]) : []),
  ];
  return `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function signature(f: IndexFacts): string {
  return (
    `<p><a href="${MANIFEST_FILE}">${MANIFEST_FILE}</a> lists every file of this archive (this page included) with its size and SHA-256. ` +
    `<a href="${SIGNATURE_FILE}">${SIGNATURE_FILE}</a> is the Ed25519 signature of the exact bytes of ${MANIFEST_FILE} by the exporting Tickmark instance, whose key has the fingerprint:</p>` +
    `<p><code>${esc(f.fingerprint)}</code></p>` +
    '<p>To check a file by hand, compute its SHA-256 (for example <code>sha256sum</code>) and compare it with its entry in the manifest. Tickmark checks all of them, and the signature, when the archive is imported.</p>'
  );
}

export function archiveIndexHtml(f: IndexFacts, entries: IndexEntry[]): Buffer {
  const sections = groupsOf(f.engagement.framework)
    .map(([prefix, heading]) => [heading, entries.filter((e) => e.name.startsWith(prefix))] as const)
    .filter(([, list]) => list.length > 0)
    .map(([heading, list]) => `<h2>${esc(heading)}</h2>\n${fileTable(list)}`);
  const data = `<h2>Data</h2><p><a href="${ENGAGEMENT_FILE}">${ENGAGEMENT_FILE}</a> holds the engagement’s records and <a href="${TRAIL_FILE}">${TRAIL_FILE}</a> its hash-chained audit trail, which Tickmark imports; <a href="${CHECKPOINTS_FILE}">${CHECKPOINTS_FILE}</a> holds the exporting instance’s signed checkpoints of that trail.</p>`;
  const title = `Engagement archive · ${f.engagement.clientName}`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
${facts(f)}
<h2>Signature</h2>
${signature(f)}
${sections.join('\n')}
${data}
</body></html>
`;
  return Buffer.from(html);
}
