import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sniffSpreadsheet } from '../../../src/core/files/spreadsheet-kind.js';
import { UnreadableFileError } from '../../../src/core/files/unreadable-file.js';
import { readSpreadsheet } from '../../../src/features/control-import/read-file.js';

describe('reading an uploaded matrix file', () => {
  it('reads a CSV with a byte-order mark, quoted multi-line cells and semicolons as Excel writes them in Europe', async () => {
    const csv = '\ufeffRef;Description;Frequency\r\nCC1;"Line one\nline two; still one cell";Daily\r\n';
    expect(await readSpreadsheet(Buffer.from(csv, 'utf8'))).toEqual([
      ['Ref', 'Description', 'Frequency'],
      ['CC1', 'Line one\nline two; still one cell', 'Daily'],
    ]);
  });

  it('keeps blank lines so row numbers match the spreadsheet', async () => {
    const rows = await readSpreadsheet(Buffer.from('Ref,Description\n\nA,b\n', 'utf8'));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual(['A', 'b']);
  });

  it('reads the sheet holding the matrix, skipping a cover sheet, and turns every cell into text', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').addRow(['Prepared by the client']);
    const sheet = workbook.addWorksheet('Matrix');
    sheet.addRow(['Control ID', 'Control description', 'Count', 'Since', 'Sum']);
    sheet.addRow([
      { richText: [{ text: 'CC' }, { text: '6.1-01', font: { bold: true } }] },
      'Access is approved',
      12,
      new Date(Date.UTC(2025, 0, 31)),
      { formula: 'C2*2', result: 24 },
    ]);
    const rows = await readSpreadsheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(rows).toEqual([
      ['Control ID', 'Control description', 'Count', 'Since', 'Sum'],
      ['CC6.1-01', 'Access is approved', '12', '2025-01-31', '24'],
    ]);
  });

  it('decides the kind from the content, not the name', () => {
    expect(sniffSpreadsheet(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('xlsx');
    expect(sniffSpreadsheet(Buffer.from('a,b\n'))).toBe('csv');
    expect(() => sniffSpreadsheet(Buffer.alloc(0))).toThrow(UnreadableFileError);
    expect(() => sniffSpreadsheet(Buffer.from([0xff, 0xfe, 0x41, 0]))).toThrow(/UTF-16/);
  });
});
