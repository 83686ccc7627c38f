// What an uploaded evidence file really is, from its bytes: the browser's content type and the file name's
// extension are the uploader's claims, not facts.
import { shownFileName } from './file-names.js';

export const EVIDENCE_TYPES = {
  pdf: { label: 'PDF document', contentType: 'application/pdf' },
  png: { label: 'PNG image', contentType: 'image/png' },
  jpeg: { label: 'JPEG image', contentType: 'image/jpeg' },
  gif: { label: 'GIF image', contentType: 'image/gif' },
  xlsx: { label: 'Excel workbook', contentType: null },
  docx: { label: 'Word document', contentType: null },
  csv: { label: 'CSV file', contentType: 'text/csv; charset=utf-8' },
  text: { label: 'Text file', contentType: 'text/plain; charset=utf-8' },
  eml: { label: 'E-mail (EML)', contentType: null },
  msg: { label: 'Outlook message or older Office file', contentType: null },
} as const satisfies Record<string, { label: string; contentType: string | null }>;

export type EvidenceType = keyof typeof EVIDENCE_TYPES;

export const ACCEPTED_DESCRIPTION =
  'PDF, PNG, JPEG or GIF images, Excel or Word files, CSV or text files, and e-mails (EML or MSG)';

/** How many bytes of the start and end of a file the sniffer wants: zip names sit in the central directory at the end. */
export const SNIFF_HEAD_BYTES = 8192;
export const SNIFF_TAIL_BYTES = 65536;

const startsWith = (buf: Buffer, bytes: readonly number[]) => bytes.every((b, i) => buf[i] === b);

function binaryType(head: Buffer, tail: Buffer): EvidenceType | 'zip' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (['GIF87a', 'GIF89a'].includes(head.subarray(0, 6).toString('latin1'))) return 'gif';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'msg';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const names = head.toString('latin1') + tail.toString('latin1');
    if (!names.includes('[Content_Types].xml')) return 'zip';
    if (names.includes('xl/workbook.xml')) return 'xlsx';
    if (names.includes('word/document.xml')) return 'docx';
    return 'zip';
  }
  return null;
}

/** Text: no NUL or control bytes other than tab, line breaks, form feed and the DOS end-of-file mark. */
function isPlainText(head: Buffer): boolean {
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) return false;
  }
  return head.length > 0;
}

/** Markup a browser would run if it ever rendered the file: refused outright, whatever the name says. */
function looksLikeMarkup(text: string): boolean {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  return start.startsWith('<') || /<\s*(script|html|svg|iframe|body|!doctype|object|embed)\b/i.test(text);
}

const MAIL_HEADERS = /^(from|to|cc|subject|date|message-id|received|mime-version|return-path|delivered-to|reply-to):/i;

/** An RFC 5322 message: starts with a block of header lines, at least two of them the usual mail headers. */
function looksLikeEmail(text: string): boolean {
  const lines = text.split(/\r?\n/);
  let known = 0;
  for (const line of lines.slice(0, 200)) {
    if (line === '') return known >= 2;
    if (/^[ \t]/.test(line)) continue;
    if (!/^[\x21-\x39\x3b-\x7e]+:/.test(line)) return false;
    if (MAIL_HEADERS.test(line)) known++;
  }
  return known >= 2;
}

export type SniffResult = { ok: true; type: EvidenceType } | { ok: false; reason: string };

/** The evidence type of a file from its first and last bytes; the name only tells CSV from other text. */
export function sniffEvidence(head: Buffer, tail: Buffer, fileName: string): SniffResult {
  const binary = binaryType(head, tail);
  if (binary === 'zip')
    return {
      ok: false,
      reason: 'ZIP archives other than Excel and Word files are not accepted: upload the files inside it.',
    };
  if (binary) return { ok: true, type: binary };
  if (!isPlainText(head))
    return { ok: false, reason: `The file's content is not one of the accepted types (${ACCEPTED_DESCRIPTION}).` };
  const text = head.toString('utf8');
  if (looksLikeEmail(text)) return { ok: true, type: 'eml' };
  if (looksLikeMarkup(text))
    return {
      ok: false,
      reason: 'The file contains HTML, SVG or XML markup, which is not accepted as evidence: save it as PDF instead.',
    };
  return { ok: true, type: /\.(csv|tsv)$/i.test(fileName) ? 'csv' : 'text' };
}

/** A download name in both forms browsers read: an ASCII fallback and the exact name (RFC 6266 / RFC 5987). */
export function attachmentDisposition(stored: string): string {
  const name = shownFileName(stored);
  const ascii =
    name
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\;]/g, '_')
      .trim() || 'evidence';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
