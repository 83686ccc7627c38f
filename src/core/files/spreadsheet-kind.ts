// What an uploaded spreadsheet really is, decided from its bytes for every import alike: an Excel workbook, a
// CSV file with its separator, or a refusal that tells the person what to save the file as instead.
import { open } from 'node:fs/promises';
import { UnreadableFileError } from './unreadable-file.js';
import { assertReasonableZip } from './zip-guard.js';

export type SpreadsheetKind = 'xlsx' | 'csv';
export type CsvDelimiter = ',' | ';' | '\t' | '|';
export type Spreadsheet = { kind: 'xlsx' } | { kind: 'csv'; delimiter: CsvDelimiter };

/** Enough of the start of a file to tell its kind and the separator of its first lines. */
export const SPREADSHEET_HEAD_BYTES = 8192;

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export const REFUSALS = {
  empty: 'The file is empty.',
  xls: 'This is an old Excel 97–2003 file (.xls). Open it in Excel, save it as an Excel Workbook (.xlsx) and upload that.',
  pdf: 'This is a PDF, not a spreadsheet. Upload it as an Excel workbook (.xlsx) or a CSV file.',
  utf16: 'The file is in UTF-16. Save it as CSV UTF-8 (Excel: "CSV UTF-8 (Comma delimited)") and upload it again.',
  binary:
    'The file is not a spreadsheet: it is neither a CSV text file nor an Excel workbook (.xlsx). Save it from Excel as .xlsx or "CSV UTF-8" and upload it again.',
  notUtf8:
    'The file is neither an Excel workbook (.xlsx) nor UTF-8 text. A CSV file that is not UTF-8 (Latin-1, say) must be saved again as "CSV UTF-8"; then upload it again.',
  word: 'This is a Word document, not a spreadsheet. Upload the sheet as an Excel workbook (.xlsx) or a CSV file.',
  zip: 'The file is a ZIP archive but not an Excel workbook that can be read. Upload the workbook itself (.xlsx), not an archive holding it.',
} as const;

/** What the first bytes alone can refuse; a page whose advice differs (a calendar takes no workbook) words its own. */
export type HeadRefusals = Pick<typeof REFUSALS, 'empty' | 'xls' | 'pdf' | 'utf16' | 'binary' | 'notUtf8'>;

const startsWith = (bytes: Buffer, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** Control bytes no CSV holds (tab, line breaks, form feed and the DOS end-of-file mark are text). */
const hasBinaryBytes = (bytes: Buffer) =>
  bytes.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a);

function isUtf8Start(head: Buffer): boolean {
  try {
    // stream: a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The kind from the first bytes alone, never from the name; what cannot be a spreadsheet is refused here. */
export function sniffSpreadsheet(
  head: Buffer,
  refusals: { [K in keyof HeadRefusals]: string } = REFUSALS,
): SpreadsheetKind {
  if (head.length === 0) throw new UnreadableFileError(refusals.empty);
  if (startsWith(head, ZIP)) return 'xlsx';
  if (startsWith(head, OLE2)) throw new UnreadableFileError(refusals.xls);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw new UnreadableFileError(refusals.pdf);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw new UnreadableFileError(refusals.utf16);
  if (hasBinaryBytes(head)) throw new UnreadableFileError(refusals.binary);
  if (!isUtf8Start(head)) throw new UnreadableFileError(refusals.notUtf8);
  return 'csv';
}

/** The lines of the head outside quotes, each as the count of every candidate separator on it. */
function separatorCounts(text: string, maxLines: number): Map<CsvDelimiter, number>[] {
  const lines: Map<CsvDelimiter, number>[] = [];
  let counts = new Map<CsvDelimiter, number>();
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') {
      lines.push(counts);
      if (lines.length >= maxLines) return lines;
      counts = new Map();
    } else if (!quoted && DELIMITERS.includes(ch as CsvDelimiter))
      counts.set(ch as CsvDelimiter, (counts.get(ch as CsvDelimiter) ?? 0) + 1);
  }
  if (counts.size > 0) lines.push(counts);
  return lines;
}

/**
 * The separator of a CSV file: the candidate that splits the most of the first lines into the same number of
 * cells (title rows above the header do not count against it), then the one that splits them most, then the
 * comma. Excel writes semicolons where the decimal mark is a comma.
 */
export function csvDelimiter(head: Buffer): CsvDelimiter {
  const lines = separatorCounts(head.toString('utf8').replace(/^\uFEFF/, ''), 10);
  let best: { delimiter: CsvDelimiter; support: number; count: number } = { delimiter: ',', support: 0, count: 0 };
  for (const delimiter of DELIMITERS) {
    const frequency = new Map<number, number>();
    for (const line of lines) {
      const n = line.get(delimiter) ?? 0;
      if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    }
    for (const [count, support] of frequency) {
      if (support > best.support || (support === best.support && count > best.count))
        best = { delimiter, support, count };
    }
  }
  return best.delimiter;
}

/** The first bytes of an upload, from its stored file or its bytes in memory. */
export async function spreadsheetHead(source: string | Buffer): Promise<Buffer> {
  if (typeof source !== 'string') return source.subarray(0, SPREADSHEET_HEAD_BYTES);
  const handle = await open(source, 'r');
  try {
    const head = Buffer.alloc(SPREADSHEET_HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A workbook's parts sit under xl/; a Word document's under word/. Read from the ZIP's directory only. */
async function assertWorkbook(source: string | Buffer): Promise<void> {
  const names = await assertReasonableZip(source);
  if (names.some((name) => name.startsWith('xl/'))) return;
  throw new UnreadableFileError(names.some((name) => name.startsWith('word/')) ? REFUSALS.word : REFUSALS.zip);
}

/** The whole check every spreadsheet import makes before reading a row: the kind, its ZIP or its separator. */
export async function checkSpreadsheet(source: string | Buffer): Promise<Spreadsheet> {
  const head = await spreadsheetHead(source);
  if (sniffSpreadsheet(head) === 'csv') return { kind: 'csv', delimiter: csvDelimiter(head) };
  await assertWorkbook(source);
  return { kind: 'xlsx' };
}
