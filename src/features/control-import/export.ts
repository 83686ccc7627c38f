import ExcelJS from 'exceljs';
import { MATRIX_COLUMN_KEYS, MATRIX_HEADERS, MATRIX_WIDTHS } from '../../domain/control-matrix.js';
import { controlCells, type ControlDraft } from '../../domain/matrix-rows.js';

/** The header row of an export: the import reads the same words back. */
export function exportHeaders(scopeKind: 'criteria' | 'objectives'): string[] {
  return MATRIX_COLUMN_KEYS.map((key) =>
    key === 'criteria' && scopeKind === 'objectives' ? 'Objectives' : MATRIX_HEADERS[key],
  );
}

/** The matrix as an XLSX workbook with the import's columns, so export → edit in Excel → import round-trips. */
export async function matrixWorkbook(
  drafts: readonly ControlDraft[],
  scopeKind: 'criteria' | 'objectives',
  title: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tickmark';
  workbook.title = title;
  const sheet = workbook.addWorksheet('Control matrix', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = MATRIX_COLUMN_KEYS.map((key, i) => ({
    header: exportHeaders(scopeKind)[i],
    key,
    width: MATRIX_WIDTHS[key],
  }));
  sheet.getRow(1).font = { bold: true };
  for (const draft of drafts) {
    const row = sheet.addRow(controlCells(draft));
    row.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: MATRIX_COLUMN_KEYS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
