// The one routine every spreadsheet import uses to decide what an upload is, from its bytes alone.
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { checkSpreadsheet, csvDelimiter, REFUSALS } from '../../../src/core/files/spreadsheet-kind.js';
import { spreadsheetRows } from '../../../src/core/files/spreadsheet-rows.js';

async function zipOf(names: string[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of names) zip.addBuffer(Buffer.from('<?xml version="1.0"?><x/>'), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const rowsOf = async (bytes: Buffer) => {
  const rows: string[][] = [];
  for await (const row of spreadsheetRows(bytes, await checkSpreadsheet(bytes))) rows.push(row);
  return rows;
};

describe('what an uploaded spreadsheet is', () => {
  it.each([
    ['commas', 'Key,Date,Amount\nK-1,2025-01-05,12.5\n', ','],
    ['semicolons, decimal commas unquoted', 'Key;Date;Amount\nK-1;2025-01-05;12,5\nK-2;2025-01-06;1,25\n', ';'],
    ['tabs', 'Key\tDate\nK-1\t2025-01-05\n', '\t'],
    ['pipes', 'Key|Date|Summary\nK-1|2025-01-05|Fixed, redeployed\n', '|'],
    [
      'commas, with semicolons inside unquoted cells',
      'Key,Date,Summary\nK-1,2025-01-05,a; b; c\nK-2,2025-01-06,d; e; f\n',
      ',',
    ],
    [
      'semicolons under a title row, commas in quotes',
      'Control matrix for Nimbus, 2025\nRef;Description\nC-1;"One, two, three"\nC-2;"Four, five"\n',
      ';',
    ],
    ['one column', 'Key\nK-1\n', ','],
  ])('separated by %s', async (_label, text, delimiter) => {
    expect(csvDelimiter(Buffer.from(text))).toBe(delimiter);
    expect(await checkSpreadsheet(Buffer.from(text))).toEqual({ kind: 'csv', delimiter });
  });

  it('reads a semicolon CSV into its cells', async () => {
    expect(await rowsOf(Buffer.from('\uFEFFKey;Amount\r\nK-1;12,5\r\n'))).toEqual([
      ['Key', 'Amount'],
      ['K-1', '12,5'],
    ]);
  });

  it('knows a workbook by its parts, and refuses a Word document or another ZIP with what to do', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['Key']);
    expect(await checkSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()))).toEqual({ kind: 'xlsx' });
    await expect(checkSpreadsheet(await zipOf(['[Content_Types].xml', 'word/document.xml']))).rejects.toThrow(
      REFUSALS.word,
    );
    await expect(checkSpreadsheet(await zipOf(['invoices/2025-01.csv']))).rejects.toThrow(REFUSALS.zip);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), REFUSALS.empty],
    ['an old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), REFUSALS.xls],
    ['a PDF', Buffer.from('%PDF-1.4\n'), REFUSALS.pdf],
    ['UTF-16 text', Buffer.from('\uFEFFKey,Date\n', 'utf16le'), REFUSALS.utf16],
    ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), REFUSALS.binary],
    ['Latin-1 text', Buffer.from('Clé,Date\n', 'latin1'), REFUSALS.notUtf8],
  ])('refuses %s with a message a person can act on', async (_label, bytes, message) => {
    await expect(checkSpreadsheet(bytes)).rejects.toThrow(message);
  });
});
