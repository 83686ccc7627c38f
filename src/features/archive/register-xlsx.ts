// The exceptions register as a workbook, from the same query as the register page: every exception recorded.
import ExcelJS from 'exceljs';
import type { Tx } from '../../db/connection.js';
import { exceptionRegister } from '../testing/index.js';

const COLUMNS = [
  { header: 'Control', key: 'control', width: 14 },
  { header: 'Item', key: 'item', width: 18 },
  { header: 'Attribute', key: 'attribute', width: 10 },
  { header: 'What happened', key: 'description', width: 50 },
  { header: 'Cause', key: 'cause', width: 40 },
  { header: 'Nature', key: 'nature', width: 16 },
  { header: 'Management’s response', key: 'response', width: 50 },
  { header: 'Compensating control', key: 'compensating', width: 18 },
  { header: 'Status', key: 'status', width: 10 },
];

const NATURE = { isolated: 'Isolated', systemic: 'Systemic' } as const;

export async function exceptionsRegisterXlsx(db: Tx, engagementId: number, title: string): Promise<Buffer> {
  const rows = exceptionRegister(db, engagementId, { control: null, status: undefined, nature: undefined });
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tickmark';
  const sheet = workbook.addWorksheet('Exceptions register', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([title]).font = { bold: true };
  sheet.addRow(COLUMNS.map((c) => c.header)).font = { bold: true };
  COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));
  for (const r of rows) {
    const e = r.record;
    const row = sheet.addRow([
      r.reference,
      r.itemKey,
      e.attribute,
      e.description,
      e.cause,
      e.nature ? NATURE[e.nature] : 'Not yet assessed',
      e.managementResponse,
      r.compensatingReference ?? '',
      e.status === 'open' ? 'Open' : 'Resolved',
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
  }
  if (rows.length === 0) sheet.addRow(['No exceptions recorded.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
