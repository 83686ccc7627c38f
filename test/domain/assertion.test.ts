import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertionBlocker,
  assertionLabel,
  assertionMissing,
  assertionNoun,
  criteriaOfAssertion,
  managementResponsesNote,
} from '../../src/domain/assertion.js';

const signed = { signerName: 'Dana Whitfield', signerTitle: 'Chief Executive Officer', signedOn: '2026-02-20' };

describe('assertionMissing', () => {
  it('is missing until one is recorded with who signed it and when', () => {
    expect(assertionMissing({ framework: 'soc2', assertion: null })).toBe(true);
    expect(assertionMissing({ framework: 'soc2', assertion: signed })).toBe(false);
    expect(assertionMissing({ framework: 'soc2', assertion: { ...signed, signerName: '  ' } })).toBe(true);
    expect(assertionMissing({ framework: 'soc2', assertion: { ...signed, signerTitle: '' } })).toBe(true);
    expect(assertionMissing({ framework: 'soc2', assertion: { ...signed, signedOn: '20 Feb 2026' } })).toBe(true);
  });

  it('blocks approval with a message in the standard’s words, and only while missing', () => {
    expect(assertionBlocker({ framework: 'soc1', assertion: null })).toMatch(
      /^Management’s assertion is not recorded: record who signed it, the date and the signed file/,
    );
    expect(assertionBlocker({ framework: 'isae3402', assertion: null })).toMatch(
      /^Service organisation’s statement is not recorded: .* statement page\.$/,
    );
    fc.assert(
      fc.property(
        fc.constantFrom('soc1', 'soc2', 'isae3402', 'isae3000' as const),
        fc.option(fc.record({ signerName: fc.string(), signerTitle: fc.string(), signedOn: fc.string() }), {
          nil: null,
        }),
        (framework, assertion) => {
          const blocker = assertionBlocker({ framework, assertion });
          expect(blocker === null).toBe(!assertionMissing({ framework, assertion }));
        },
      ),
    );
  });
});

describe('the words', () => {
  it('assertion under the AICPA standards, statement under ISAE', () => {
    expect([
      assertionNoun('soc1'),
      assertionNoun('soc2'),
      assertionNoun('isae3402'),
      assertionNoun('isae3000'),
    ]).toEqual(['assertion', 'assertion', 'statement', 'statement']);
    expect(assertionLabel('soc2')).toBe('Management’s assertion');
    expect(assertionLabel('isae3000')).toBe('Service organisation’s statement');
    expect(criteriaOfAssertion('soc2', 'Nimbus Ledger, Inc.')).toBe(
      "based on the criteria described in Nimbus Ledger, Inc.'s assertion",
    );
    expect(criteriaOfAssertion('isae3402', 'Harborview Payroll Co.')).toBe(
      "based on the criteria described in Harborview Payroll Co.'s statement",
    );
  });

  it('Section IV says the service auditor performed no procedures on management’s responses and expresses no opinion on them', () => {
    const note = managementResponsesNote('Nimbus Ledger, Inc.');
    expect(note).toContain('Nimbus Ledger, Inc.');
    expect(note).toContain(
      "The service auditor performed no procedures on management's responses and, accordingly, expresses no opinion on them.",
    );
  });
});
