import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeFileName, shownFileName } from '../../../src/core/files/file-names.js';

const BIDI_AND_INVISIBLE = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u061c',
];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nameChars = fc.oneof(
  fc.constantFrom(...BIDI_AND_INVISIBLE, '/', '\\', '"', '<', '>', '\u0000', '\n', '\u2028', '\u2029', '.', ' '),
  fc.string({ maxLength: 3, unit: 'grapheme' }),
  fc.constantFrom('🧾', '👩‍💻'),
);
const names = fc.array(nameChars, { maxLength: 120 }).map((parts) => parts.join(''));

describe('file names', () => {
  it('an RTL override cannot make an executable look like a PDF', () => {
    expect(safeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(shownFileName('report\u2067\u200fgpj.\u2069scr')).toBe('reportgpj.scr');
    expect(safeFileName('C:\\Users\\x\\Prüfung Q1 (final).pdf')).toBe('Prüfung Q1 (final).pdf');
    expect(safeFileName('\u202e')).toBe('upload');
  });

  it('never keeps a format, control or separator character, a path or markup', () => {
    fc.assert(
      fc.property(names, (name) => {
        const safe = safeFileName(name);
        expect(safe).not.toMatch(/[\p{Cf}\p{Cc}\p{Zl}\p{Zp}/\\"<>]/u);
        expect(safe.length).toBeGreaterThan(0);
        expect(Array.from(safe).length).toBeLessThanOrEqual(200);
        expect(safe).not.toMatch(/^\.\.?$/);
        expect(safe).not.toMatch(LONE_SURROGATE);
        expect(shownFileName(name)).not.toMatch(/\p{Cf}/u);
      }),
    );
  });

  it('leaves a clean name as it is, and cleaning twice changes nothing', () => {
    fc.assert(fc.property(names, (name) => safeFileName(safeFileName(name)) === safeFileName(name)));
    expect(safeFileName('Access review 2025-Q3 (signed).pdf')).toBe('Access review 2025-Q3 (signed).pdf');
  });
});
