import { describe, expect, it } from 'vitest';
import {
  columnForHeader,
  columnLetter,
  findHeaderRow,
  matchHeaders,
  readControlType,
  readFrequency,
  readKey,
  readNature,
  readRisk,
} from '../../src/domain/control-matrix.js';
import { FREQUENCIES } from '../../src/domain/types.js';

describe('header synonyms', () => {
  it.each([
    ['Control ID', 'reference'],
    ['Ref', 'reference'],
    ['ref.', 'reference'],
    ['CONTROL REFERENCE', 'reference'],
    ['Control Description', 'description'],
    ['Control activity', 'description'],
    ['frequency', 'frequency'],
    ['Control Owner', 'owner'],
    ['Key Control?', 'key'],
    ['Key control (Y/N)', 'key'],
    ['Risk', 'risk'],
    ['Risk of failure', 'risk'],
    ['Criteria', 'criteria'],
    ['TSC', 'criteria'],
    ['Trust Services Criteria', 'criteria'],
    ['Objectives', 'criteria'],
    ['Control objective', 'criteria'],
    ['Test procedures', 'procedures'],
    ['Tests performed', 'procedures'],
    ['Attributes', 'attributes'],
    ['Test attributes', 'attributes'],
    ['Preventive/Detective', 'type'],
    ['Nature', 'nature'],
    ['Manual/Automated', 'nature'],
    ['  control_id  ', 'reference'],
  ])('reads "%s" as %s', (header, column) => {
    expect(columnForHeader(header)).toBe(column);
  });

  it('ignores headers it does not know', () => {
    expect(columnForHeader('Comments')).toBeNull();
    const match = matchHeaders(['Ref', 'Description', 'Frequency', 'Nature', 'Type', 'Comments', '']);
    expect(match.ignored).toEqual(['Comments']);
    expect(match.problems).toEqual([]);
    expect(match.positions).toMatchObject({ reference: 0, description: 1, frequency: 2, nature: 3, type: 4 });
  });

  it('names each missing required column', () => {
    const { problems } = matchHeaders(['Control ID', 'Control description']);
    expect(problems).toEqual([
      expect.stringContaining('No Frequency column'),
      expect.stringContaining('No Nature column'),
      expect.stringContaining('No Type column'),
    ]);
  });

  it('refuses two columns read as the same one, naming both', () => {
    const { problems } = matchHeaders(['Ref', 'Description', 'Frequency', 'Nature', 'Type', 'TSC', 'Criteria']);
    expect(problems).toEqual([expect.stringMatching(/Columns F \("TSC"\) and G \("Criteria"\) both read as Criteria/)]);
  });

  it('finds the header below title rows', () => {
    const rows = [
      ['Nimbus Ledger control matrix'],
      [],
      ['Control ID', 'Control activity', 'Frequency'],
      ['CC1', 'x', 'Daily'],
    ];
    expect(findHeaderRow(rows)).toBe(2);
    expect(findHeaderRow([['a', 'b'], ['c']])).toBe(-1);
  });
});

describe('column letters', () => {
  it('count like a spreadsheet', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('cell values', () => {
  it('reads every frequency by its value and its label', () => {
    for (const f of FREQUENCIES) expect(readFrequency(f)).toBe(f);
    expect(readFrequency('Multiple times a day')).toBe('multiple-daily');
    expect(readFrequency('EVENT-DRIVEN')).toBe('event-driven');
    expect(readFrequency('Per occurrence')).toBe('event-driven');
    expect(readFrequency('Annually')).toBe('annual');
    expect(readFrequency('twice a month')).toBe('semi-monthly');
    expect(readFrequency('Continuous')).toBe('multiple-daily');
    expect(readFrequency('Biweekly')).toBeNull();
    expect(readFrequency('')).toBeNull();
  });
  it('reads natures and types with their common spellings', () => {
    expect(readNature('IT-dependent manual')).toBe('it-dependent-manual');
    expect(readNature('ITDM')).toBe('it-dependent-manual');
    expect(readNature('automated')).toBe('automated');
    expect(readNature('Semi')).toBeNull();
    expect(readControlType('Preventative')).toBe('preventive');
    expect(readControlType('Detective')).toBe('detective');
    expect(readControlType('Corrective')).toBeNull();
  });
  it('reads a blank risk as higher and a blank key as no', () => {
    expect(readRisk('')).toBe('higher');
    expect(readRisk('Low')).toBe('lower');
    expect(readRisk('HIGHER')).toBe('higher');
    expect(readRisk('Medium')).toBeNull();
    expect(readKey('')).toBe(false);
    expect(readKey('Y')).toBe(true);
    expect(readKey('Yes')).toBe(true);
    expect(readKey('non-key')).toBe(false);
    expect(readKey('maybe')).toBeNull();
  });
});
