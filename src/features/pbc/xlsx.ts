import ExcelJS from 'exceljs';
import { PBC_STATUS_LABELS, PBC_STATUSES, type PbcStatus } from '../../domain/pbc.js';
import { pbcForm, type PbcInput } from './forms.js';
import type { PbcRow } from './service.js';

export const PBC_COLUMNS = [
  'Reference',
  'Description',
  'Controls',
  'Owner name',
  'Owner email',
  'Due date',
  'Status',
  'Answer',
] as const;

export async function pbcWorkbook(rows: PbcRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('PBC requests', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...PBC_COLUMNS]).font = { bold: true };
  for (const r of rows)
    sheet.addRow([
      r.reference,
      r.description,
      r.controls.join(', '),
      r.ownerName,
      r.ownerEmail,
      r.dueDate ?? '',
      PBC_STATUS_LABELS[r.status],
      r.answer,
    ]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: PBC_COLUMNS.length } };
  sheet.columns.forEach((c, i) => (c.width = [12, 50, 24, 20, 28, 12, 18, 40][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function statusFrom(text: string): PbcStatus | string {
  const t = text.trim().toLowerCase();
  return PBC_STATUSES.find((s) => s === t || PBC_STATUS_LABELS[s].toLowerCase() === t) ?? (t === '' ? 'open' : text);
}

export type ParsedRows = { ok: true; rows: { row: number; input: PbcInput }[] } | { ok: false; errors: string[] };

/** Reads the rows of an exported (or hand-made) PBC sheet; every problem is reported with its row and column. */
export function readPbcRows(table: string[][]): ParsedRows {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name.toLowerCase());
  if (col('Description') < 0)
    return { ok: false, errors: ['The first row must name the columns, including Description.'] };
  const rows: { row: number; input: PbcInput }[] = [];
  const errors: string[] = [];
  table.slice(1).forEach((cells, i) => {
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '') : '');
    if (cells.every((c) => c.trim() === '')) return;
    const parsed = pbcForm.safeParse({
      reference: get('Reference'),
      description: get('Description'),
      controls: get('Controls'),
      ownerName: get('Owner name'),
      ownerEmail: get('Owner email'),
      dueDate: get('Due date'),
      status: statusFrom(get('Status')),
      answer: get('Answer'),
    });
    if (parsed.success) rows.push({ row: i + 2, input: parsed.data });
    else
      for (const issue of parsed.error.issues) errors.push(`Row ${i + 2}, ${String(issue.path[0])}: ${issue.message}`);
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
