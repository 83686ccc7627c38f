import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, sniffEvidence } from '../../../src/core/files/sniff.js';
import { emailFile, textPdf } from '../../../src/features/demo/evidence-files.js';

const sniff = (content: Buffer | string, name = 'file') => {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return sniffEvidence(buf.subarray(0, 8192), buf.subarray(-65536), name);
};

describe('sniffEvidence', () => {
  it('recognises the accepted types from their bytes, not their names', async () => {
    expect(sniff(textPdf(['hello']), 'x.txt')).toEqual({ ok: true, type: 'pdf' });
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'x.pdf')).toEqual({
      ok: true,
      type: 'png',
    });
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toEqual({ ok: true, type: 'jpeg' });
    expect(sniff('GIF89a....')).toEqual({ ok: true, type: 'gif' });
    expect(sniff(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), 'mail.msg')).toEqual({
      ok: true,
      type: 'msg',
    });
    expect(
      sniff(
        emailFile({ from: 'a@x', to: 'b@y', date: 'Mon, 1 Jan 2025 10:00:00 +0000', subject: 'Hi', body: '<p>hi</p>' }),
        'm.eml',
      ),
    ).toEqual({ ok: true, type: 'eml' });
    expect(sniff('Change ID,Deployed\nCHG-1,2025-01-02\n', 'list.csv')).toEqual({ ok: true, type: 'csv' });
    expect(sniff('Inspected the ticket with the owner.\n', 'notes.txt')).toEqual({ ok: true, type: 'text' });
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet').addRow(['a', 'b']);
    expect(sniff(Buffer.from(await workbook.xlsx.writeBuffer()), 'book.xlsx')).toEqual({ ok: true, type: 'xlsx' });
  });

  it('refuses HTML and SVG whatever they are called, and archives that are not Office files', () => {
    expect(sniff('<!doctype html><html><script>alert(1)</script></html>', 'evidence.pdf')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('HTML'),
    });
    expect(sniff('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'chart.png')).toMatchObject({
      ok: false,
    });
    expect(sniff('Totals,1\n<script>alert(1)</script>\n', 'x.csv')).toMatchObject({ ok: false });
    expect(sniff(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'bundle.zip')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ZIP'),
    });
    expect(sniff(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), 'tool.pdf')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not one of the accepted types'),
    });
  });
});

describe('attachmentDisposition', () => {
  it('always says attachment, with an ASCII fallback and the exact name in RFC 5987 form', () => {
    expect(attachmentDisposition('Prüfung "Q1"; final.pdf')).toBe(
      `attachment; filename="Pr_fung _Q1__ final.pdf"; filename*=UTF-8''Pr%C3%BCfung%20%22Q1%22%3B%20final.pdf`,
    );
    expect(attachmentDisposition("it's (1).csv")).toBe(
      `attachment; filename="it's (1).csv"; filename*=UTF-8''it%27s%20%281%29.csv`,
    );
  });
});
