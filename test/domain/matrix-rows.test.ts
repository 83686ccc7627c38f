import { describe, expect, it } from 'vitest';
import { tscResolver, objectiveResolver, type Criterion } from '../../src/domain/criteria.js';
import { MATRIX_COLUMN_KEYS, MATRIX_HEADERS } from '../../src/domain/control-matrix.js';
import {
  changedColumns,
  controlCells,
  mergeImported,
  readMatrix,
  readMatrixRow,
  type ControlDraft,
} from '../../src/domain/matrix-rows.js';

const catalogue: Criterion[] = [
  { id: 'CC6.1', category: 'security', series: 'CC6', title: 'Logical access' },
  { id: 'CC6.2', category: 'security', series: 'CC6', title: 'Users' },
  { id: 'CC8.1', category: 'security', series: 'CC8', title: 'Change' },
  { id: 'A1.2', category: 'availability', series: 'A1', title: 'Backups' },
  { id: 'C1.1', category: 'confidentiality', series: 'C1', title: 'Confidential' },
];
const resolve = tscResolver(catalogue, ['availability']);
const header = [
  'Control ID',
  'Control description',
  'Control owner',
  'Frequency',
  'Nature',
  'Type',
  'Key control',
  'Risk',
  'TSC',
  'Test procedures',
  'Attributes',
];

const good = [
  'CC8.1-01',
  'Changes are approved',
  'VP Eng',
  'Event-driven',
  'IT-dependent manual',
  'Preventive',
  'Yes',
  'Higher',
  'cc8.1',
  'Inspection: Inspected a sample of changes\nInquiry: Inquired of the VP',
  'A: Approved before deployment\nB: Approver is not the developer',
];

describe('reading a control matrix', () => {
  it('reads a good row into a control, with canonical criteria', () => {
    const reading = readMatrix([header, good], resolve);
    expect(reading.problems).toEqual([]);
    expect(reading.rows).toHaveLength(1);
    const row = reading.rows[0]!;
    expect(row.rowNumber).toBe(2);
    expect(row.problems).toEqual([]);
    expect(row.draft).toEqual({
      reference: 'CC8.1-01',
      description: 'Changes are approved',
      owner: 'VP Eng',
      frequency: 'event-driven',
      calendar: 'business-days',
      nature: 'it-dependent-manual',
      controlType: 'preventive',
      isKey: true,
      risk: 'higher',
      criteria: ['CC8.1'],
      procedures: [
        { kind: 'inspection', text: 'Inspected a sample of changes' },
        { kind: 'inquiry', text: 'Inquired of the VP' },
      ],
      attributes: ['Approved before deployment', 'Approver is not the developer'],
    });
  });

  it('numbers rows as the spreadsheet does, title and blank rows included', () => {
    const reading = readMatrix([['Matrix'], header, ['', ''], good], resolve);
    expect(reading.rows.map((r) => r.rowNumber)).toEqual([4]);
  });

  it('reports every problem of a row with its column', () => {
    const bad = [
      'X-1',
      '',
      '',
      'Fortnightly-ish',
      'Manual',
      'Preventive',
      'perhaps',
      'Medium',
      'CC6.1, CC99.9, C1.1',
      'Inquiry: Asked',
      '',
    ];
    const row = readMatrix([header, bad], resolve).rows[0]!;
    expect(row.draft).toBeNull();
    const byColumn = Object.fromEntries(row.problems.map((p) => [p.column, p.message]));
    expect(byColumn.description).toBe('Description is missing.');
    expect(byColumn.frequency).toMatch(/Unknown frequency "Fortnightly-ish"/);
    expect(byColumn.key).toMatch(/Unknown key control value/);
    expect(byColumn.risk).toMatch(/Unknown risk "Medium"/);
    expect(row.problems.filter((p) => p.column === 'criteria').map((p) => p.message)).toEqual([
      'Unknown criterion "CC99.9".',
      'C1.1 is not in scope: Confidentiality is not a category of this engagement.',
    ]);
    expect(byColumn.procedures).toMatch(/Inquiry alone/);
    expect(byColumn.attributes).toMatch(/at least one attribute/);
  });

  it('flags a reference repeated in the file on every copy, ignoring case', () => {
    const reading = readMatrix(
      [header, good, [...good.slice(0, 1).map((r) => r.toLowerCase()), ...good.slice(1)], good],
      resolve,
    );
    expect(reading.rows.map((r) => r.problems.map((p) => p.message))).toEqual([
      ['Duplicate reference "CC8.1-01": also on row 3, 4.'],
      ['Duplicate reference "cc8.1-01": also on row 2, 4.'],
      ['Duplicate reference "CC8.1-01": also on row 2, 3.'],
    ]);
    expect(reading.rows.every((r) => r.draft === null)).toBe(true);
  });

  it('refuses files without a header, without rows, or missing required columns', () => {
    expect(readMatrix([], resolve).problems).toEqual(['The file holds no rows.']);
    expect(readMatrix([['hello', 'world']], resolve).problems[0]).toMatch(/No header row found/);
    expect(readMatrix([header], resolve).problems).toEqual(['The file has a header but no control rows.']);
    expect(
      readMatrix(
        [
          ['Ref', 'Description'],
          ['A', 'b'],
        ],
        resolve,
      ).problems,
    ).toHaveLength(3);
  });

  it('accepts a row without test plan and without the optional columns', () => {
    const row = readMatrixRow(
      { reference: 'R1', description: 'D', frequency: 'Daily', nature: 'Manual', type: 'Detective' },
      resolve,
    );
    expect(row.problems).toEqual([]);
    expect(row.draft).toMatchObject({
      owner: '',
      isKey: false,
      risk: 'higher',
      criteria: [],
      procedures: [],
      attributes: [],
    });
  });

  it('reads the days a daily control operates on, business days when blank or not daily', () => {
    const row = (frequency: string, calendar?: string) =>
      readMatrixRow(
        { reference: 'R1', description: 'D', frequency, nature: 'Manual', type: 'Detective', calendar },
        resolve,
      );
    expect(row('Daily', 'Every day').draft?.calendar).toBe('every-day');
    expect(row('Daily', '24/7').draft?.calendar).toBe('every-day');
    expect(row('Daily', 'Business days').draft?.calendar).toBe('business-days');
    expect(row('Daily', '').draft?.calendar).toBe('business-days');
    expect(row('Daily').draft?.calendar).toBe('business-days');
    expect(row('Weekly', 'Every day').draft?.calendar).toBe('business-days');
    expect(row('Daily', 'Sundays').problems).toEqual([
      {
        column: 'calendar',
        message: 'Unknown value "Sundays" for the days a daily control operates on: use Business days or Every day.',
      },
    ]);
  });

  it('resolves SOC 1 objectives by reference', () => {
    const row = readMatrixRow(
      {
        reference: 'R1',
        description: 'D',
        frequency: 'Daily',
        nature: 'Manual',
        type: 'Detective',
        criteria: 'co1, CO3',
      },
      objectiveResolver(['CO1', 'CO2']),
    );
    expect(row.problems).toEqual([{ column: 'criteria', message: 'Unknown control objective "CO3".' }]);
  });
});

const draft: ControlDraft = {
  reference: 'CC6.2-01',
  description: 'New access is approved.\nBy the manager.',
  owner: 'IT',
  frequency: 'multiple-daily',
  calendar: 'business-days',
  nature: 'automated',
  controlType: 'detective',
  isKey: false,
  risk: 'lower',
  criteria: ['CC6.1', 'CC6.2'],
  procedures: [
    { kind: 'reperformance', text: 'Reperformed it' },
    { kind: 'observation', text: 'Observed it' },
  ],
  attributes: ['One', 'Two'],
};

describe('writing cells', () => {
  it('writes what the reader reads back to the same control', () => {
    for (const control of [
      draft,
      { ...draft, frequency: 'daily', calendar: 'every-day' } as const,
      { ...draft, frequency: 'daily', calendar: 'business-days' } as const,
    ]) {
      const cells = controlCells(control);
      const read = readMatrix(
        [MATRIX_COLUMN_KEYS.map((k) => MATRIX_HEADERS[k]), MATRIX_COLUMN_KEYS.map((k) => cells[k])],
        resolve,
      );
      expect(read.rows[0]!.draft).toEqual(control);
    }
    expect(controlCells({ ...draft, frequency: 'daily', calendar: 'every-day' }).calendar).toBe('Every day');
    expect(controlCells(draft).calendar).toBe('');
  });
});

describe('updating an existing control from a row', () => {
  const incoming: ControlDraft = { ...draft, description: 'Changed', procedures: [], attributes: [] };
  it('keeps fields whose column the file lacks, and the plan when its cells are blank', () => {
    const present = new Set(['reference', 'description', 'frequency', 'nature', 'type'] as const);
    const merged = mergeImported(draft, { ...incoming, owner: '', risk: 'higher' }, present, {
      procedures: '',
      attributes: '',
    });
    expect(merged).toEqual({ ...draft, description: 'Changed' });
    expect(changedColumns(draft, merged)).toEqual(['description']);
  });
  it("keeps a daily control's calendar when the file has no such column, and drops it when the frequency changes", () => {
    const daily: ControlDraft = { ...draft, frequency: 'daily', calendar: 'every-day' };
    const present = new Set(['reference', 'description', 'frequency', 'nature', 'type'] as const);
    expect(mergeImported(daily, { ...daily, calendar: 'business-days' }, present, {}).calendar).toBe('every-day');
    const weekly = mergeImported(daily, { ...daily, frequency: 'weekly', calendar: 'business-days' }, present, {});
    expect(weekly.calendar).toBe('business-days');
    expect(changedColumns(daily, weekly)).toEqual(['frequency', 'calendar']);
    const all = new Set(MATRIX_COLUMN_KEYS);
    expect(changedColumns(daily, mergeImported(daily, { ...daily, calendar: 'business-days' }, all, {}))).toEqual([
      'calendar',
    ]);
  });

  it('replaces the plan when the file gives one', () => {
    const all = new Set(MATRIX_COLUMN_KEYS);
    const withPlan = { ...incoming, procedures: [{ kind: 'inspection' as const, text: 'New' }], attributes: ['Only'] };
    const merged = mergeImported(draft, withPlan, all, { procedures: 'Inspection: New', attributes: 'A: Only' });
    expect(changedColumns(draft, merged)).toEqual(['description', 'procedures', 'attributes']);
  });
});
