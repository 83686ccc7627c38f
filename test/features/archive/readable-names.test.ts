import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameRegistry, READABLE_NAME, safeSegment } from '../../../src/features/archive/readable-names.js';

describe('readable archive names', () => {
  it('make any client text a safe segment, and the registry keeps names unique, case-insensitively', () => {
    expect(safeSegment('Änderungen: Q1/Q2.csv')).toBe('Anderungen- Q1-Q2.csv');
    expect(safeSegment('../../etc/passwd')).toBe('etc-passwd');
    expect(safeSegment('   ')).toBe('file');
    expect(safeSegment(`${'x'.repeat(300)}.pdf`)).toBe(`${'x'.repeat(96)}.pdf`);
    const names = new NameRegistry();
    expect([
      names.claim('evidence/CC1', 'a.pdf'),
      names.claim('evidence/CC1', 'A.pdf'),
      names.claim('evidence/CC1', 'a.pdf'),
      names.claim('evidence/CC2', 'a.pdf'),
    ]).toEqual(['evidence/CC1/a.pdf', 'evidence/CC1/A (2).pdf', 'evidence/CC1/a (3).pdf', 'evidence/CC2/a.pdf']);
  });

  it('every name made from any text is one the import accepts, never climbs out, and is unique', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string(), fc.string()), { maxLength: 20 }), (rows) => {
        const names = new NameRegistry();
        const made = rows.map(([control, item, file]) =>
          names.claim(`evidence/${safeSegment(control, 'control')}/${safeSegment(item, 'item')}`, safeSegment(file)),
        );
        for (const name of made) {
          expect(name).toMatch(READABLE_NAME);
          expect(name.split('/').some((s) => s === '..' || s === '.' || s === '')).toBe(false);
        }
        expect(new Set(made.map((n) => n.toLowerCase())).size).toBe(made.length);
      }),
    );
  });
});
