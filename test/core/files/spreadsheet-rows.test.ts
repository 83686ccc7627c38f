// The one streaming reader every spreadsheet import uses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstRows, spreadsheetRows, UnreadableFileError } from '../../../src/core/files/spreadsheet-rows.js';

describe('the spreadsheet reader', () => {
  it.each(['csv', 'xlsx'] as const)(
    'refuses a stored %s file that is gone, rather than crashing on a stream error',
    async (kind) => {
      const gone = path.join(mkdtempSync(path.join(tmpdir(), 'tickmark-rows-')), 'gone');
      await expect(firstRows(gone, kind, 3)).rejects.toThrow(UnreadableFileError);
    },
  );

  it('finds the separator of a CSV stored without it, and keeps blank lines when asked', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tickmark-rows-')), 'semi.csv');
    writeFileSync(file, 'Key;Amount\n\nK-1;12,5\n');
    expect(await firstRows(file, 'csv', 5)).toEqual([
      ['Key', 'Amount'],
      ['K-1', '12,5'],
    ]);
    const rows: string[][] = [];
    for await (const row of spreadsheetRows(file, 'csv', { keepBlankLines: true })) rows.push(row);
    expect(rows).toEqual([['Key', 'Amount'], [''], ['K-1', '12,5']]);
  });
});
