import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALL_INQUIRY_REASON,
  attributeLetter,
  MAX_ATTRIBUTES,
  PROCEDURE_KINDS,
  readAttributes,
  readProcedureLine,
  readProcedures,
  testPlanProblems,
  testStatus,
  writeAttributes,
  writeProcedures,
  type TestProcedure,
} from '../../src/domain/test-plan.js';

const inspection: TestProcedure = { kind: 'inspection', text: 'Inspected the approval for a sample of changes.' };
const inquiry: TestProcedure = { kind: 'inquiry', text: 'Inquired of the IT manager.' };

describe('attribute letters', () => {
  it('run A to Z by position', () => {
    expect(attributeLetter(0)).toBe('A');
    expect(attributeLetter(2)).toBe('C');
    expect(attributeLetter(25)).toBe('Z');
  });
  it('stop at Z', () => {
    expect(() => attributeLetter(MAX_ATTRIBUTES)).toThrow(RangeError);
    expect(() => attributeLetter(-1)).toThrow(RangeError);
  });
});

describe('test plan rules', () => {
  it('accepts an empty plan (not written yet) and a complete one', () => {
    expect(testPlanProblems({ procedures: [], attributes: [] })).toEqual([]);
    expect(testPlanProblems({ procedures: [inquiry, inspection], attributes: ['Approved'] })).toEqual([]);
  });
  it('refuses a plan whose procedures are all inquiry, with the reason', () => {
    const problems = testPlanProblems({ procedures: [inquiry, inquiry], attributes: ['Approved'] });
    expect(problems).toEqual([{ field: 'procedures', message: ALL_INQUIRY_REASON }]);
    expect(ALL_INQUIRY_REASON).toMatch(/Inquiry alone/);
  });
  it('needs at least one attribute whenever there are procedures, automated controls included', () => {
    expect(testPlanProblems({ procedures: [inspection], attributes: [] })).toEqual([
      { field: 'attributes', message: expect.stringMatching(/at least one attribute/) },
    ]);
  });
  it('needs procedures for the attributes to belong to', () => {
    expect(testPlanProblems({ procedures: [], attributes: ['A check'] })[0]?.field).toBe('procedures');
  });
  it('caps attributes at Z', () => {
    const attributes = Array.from({ length: 27 }, (_, i) => `check ${i}`);
    expect(testPlanProblems({ procedures: [inspection], attributes })[0]?.field).toBe('attributes');
  });
  it('any plan with a non-inquiry procedure and an attribute passes (property)', () => {
    const kind = fc.constantFrom(...PROCEDURE_KINDS);
    fc.assert(
      fc.property(fc.array(kind, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 26 }), (kinds, n) => {
        const procedures = kinds.map((k) => ({ kind: k, text: 'x' }));
        const problems = testPlanProblems({ procedures, attributes: Array.from({ length: n }, () => 'a') });
        expect(problems.length === 0).toBe(kinds.some((k) => k !== 'inquiry'));
      }),
    );
  });
});

describe('reading procedures', () => {
  it('reads the type prefix, case-insensitively, with common separators', () => {
    expect(readProcedureLine('Inspection: Inspected the ticket.')).toEqual({
      ok: true,
      value: { kind: 'inspection', text: 'Inspected the ticket.' },
    });
    expect(readProcedureLine('REPERFORMANCE - Recalculated the total')).toEqual({
      ok: true,
      value: { kind: 'reperformance', text: 'Recalculated the total' },
    });
    expect(readProcedureLine('Re-performance: Reran the job')).toMatchObject({
      ok: true,
      value: { kind: 'reperformance' },
    });
    expect(readProcedureLine('Enquiry: Asked the owner')).toMatchObject({ ok: true, value: { kind: 'inquiry' } });
    expect(readProcedureLine('observation – Watched the count')).toMatchObject({
      ok: true,
      value: { kind: 'observation' },
    });
  });
  it('infers the type from the opening verb when there is no prefix', () => {
    expect(readProcedureLine('Inquired of management')).toMatchObject({
      value: { kind: 'inquiry', text: 'Inquired of management' },
    });
    expect(readProcedureLine('Observed the restore')).toMatchObject({ value: { kind: 'observation' } });
    expect(readProcedureLine('Inspected a sample of changes')).toMatchObject({ value: { kind: 'inspection' } });
    expect(readProcedureLine('Reperformed the reconciliation')).toMatchObject({ value: { kind: 'reperformance' } });
  });
  it('drops bullets and numbering', () => {
    expect(readProcedureLine('1. Inspection: Inspected X')).toMatchObject({ value: { text: 'Inspected X' } });
    expect(readProcedureLine('• Observed Y')).toMatchObject({ value: { kind: 'observation', text: 'Observed Y' } });
  });
  it('asks for the type when it cannot tell', () => {
    const read = readProcedureLine('Checked the thing');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(/Inspection: …/);
    expect(readProcedureLine('Inspection:').ok).toBe(false);
  });
  it('reads one procedure per line, skipping blank lines', () => {
    const { procedures, problems } = readProcedures('Inquiry: A\r\n\nInspection: B\n  \nmystery');
    expect(procedures).toEqual([
      { kind: 'inquiry', text: 'A' },
      { kind: 'inspection', text: 'B' },
    ]);
    expect(problems).toHaveLength(1);
  });
  it('round-trips through the written form (property)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 40 })
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s.length > 0);
    const proc = fc.record({ kind: fc.constantFrom(...PROCEDURE_KINDS), text });
    fc.assert(
      fc.property(fc.array(proc, { maxLength: 5 }), (procedures) => {
        expect(readProcedures(writeProcedures(procedures)).procedures).toEqual(procedures);
      }),
    );
  });
});

describe('reading attributes', () => {
  it('strips the letters and re-letters by position', () => {
    expect(readAttributes('A: Approved\nC) Independent\nb. Tested\nNo letter here')).toEqual([
      'Approved',
      'Independent',
      'Tested',
      'No letter here',
    ]);
  });
  it('writes lettered lines that read back the same', () => {
    const attrs = [
      'The change was approved before deployment',
      'Approver is not the developer',
      'Testing evidence exists',
    ];
    const written = writeAttributes(attrs);
    expect(written).toBe(
      'A: The change was approved before deployment\nB: Approver is not the developer\nC: Testing evidence exists',
    );
    expect(readAttributes(written)).toEqual(attrs);
  });
});

describe('test status', () => {
  it('follows the plan and the walkthrough', () => {
    expect(testStatus(0, null)).toBe('not-planned');
    expect(testStatus(2, null)).toBe('planned');
    expect(testStatus(2, { conclusion: 'suitably-designed' })).toBe('walked-through');
    expect(testStatus(2, { conclusion: 'not-suitably-designed' })).toBe('design-deficiency');
    expect(testStatus(0, { conclusion: 'not-suitably-designed' })).toBe('design-deficiency');
  });
});
