import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asClause,
  defaultItemNoun,
  itemsPhrase,
  properNounsIn,
  NO_EXCEPTIONS_SENTENCE,
  NO_TESTING_SENTENCE,
  resultSentence,
} from '../../src/domain/result-wording.js';

describe('resultSentence', () => {
  it('says "No exceptions noted." when nothing deviated', () => {
    expect(
      resultSentence({ conclusion: 'no-exceptions', itemsTested: 25, itemNoun: 'new hires', deviations: [] }),
    ).toBe(NO_EXCEPTIONS_SENTENCE);
  });

  it('writes the Section IV sentence from the exception record', () => {
    const sentence = resultSentence({
      conclusion: 'exceptions-effective',
      itemsTested: 41,
      itemNoun: 'new hires',
      deviations: [{ item: 7, description: "The background check was completed after the employee's start date." }],
    });
    expect(sentence).toBe(
      "Exception noted. For 1 of 41 new hires sampled, the background check was completed after the employee's start date.",
    );
    expect(
      resultSentence({
        conclusion: 'exceptions-effective',
        itemsTested: 41,
        itemNoun: 'changes',
        deviations: [{ item: 3, description: 'the change was deployed before approval' }],
      }),
    ).toBe('Exception noted. For 1 of 41 changes sampled, the change was deployed before approval.');
  });

  it('counts items once per description and writes one sentence per distinct description', () => {
    const sentence = resultSentence({
      conclusion: 'not-effective',
      itemsTested: 40,
      itemNoun: 'terminated users',
      deviations: [
        { item: 1, description: 'access was removed after more than one business day' },
        { item: 2, description: 'Access was removed after more than one business day.' },
        { item: 2, description: 'the HR ticket was raised after the termination date' },
      ],
    });
    expect(sentence).toBe(
      'Exceptions noted. For 2 of 40 terminated users sampled, access was removed after more than one business day. For 1 of 40 terminated users sampled, the HR ticket was raised after the termination date.',
    );
  });

  it('reports a control that did not operate, and marks an exception not yet described', () => {
    expect(resultSentence({ conclusion: 'no-testing', itemsTested: 0, itemNoun: 'items', deviations: [] })).toBe(
      NO_TESTING_SENTENCE,
    );
    expect(
      resultSentence({
        conclusion: null,
        itemsTested: 3,
        itemNoun: 'months',
        deviations: [{ item: 1, description: '  ' }],
      }),
    ).toContain('For 1 of 3 months sampled, [the exception is not yet described].');
  });

  it('keeps proper nouns as written and lower-cases only words that start a clause', () => {
    expect(asClause('Okta access was not removed', ['Okta'])).toBe('Okta access was not removed');
    expect(asClause('The check was late.')).toBe('the check was late');
    expect(asClause('There was no approval...')).toBe('there was no approval');
  });

  it('lower-cases the description’s own capital mid-sentence, but not an acronym, a mixed-case name or a name the engagement uses', () => {
    expect(
      resultSentence({
        conclusion: 'not-effective',
        itemsTested: 25,
        itemNoun: 'new hires',
        deviations: [{ item: 1, description: 'Background check was not performed.' }],
      }),
    ).toBe('Exception noted. For 1 of 25 new hires sampled, background check was not performed.');
    expect(asClause('MFA was not enforced')).toBe('MFA was not enforced');
    expect(asClause('HR did not sign the form')).toBe('HR did not sign the form');
    expect(asClause('SharePoint access stayed open')).toBe('SharePoint access stayed open');
    expect(asClause('I-9 form missing')).toBe('I-9 form missing');
    const names = properNounsIn([
      'Access of a leaver is removed in Okta within one business day.',
      'Inspected the Okta log. Background checks are run by Sterling.',
    ]);
    expect(names).toEqual(expect.arrayContaining(['Okta', 'Sterling']));
    expect(names).not.toContain('Background');
    expect(
      resultSentence({
        conclusion: 'not-effective',
        itemsTested: 25,
        itemNoun: 'leavers',
        properNouns: names,
        deviations: [{ item: 1, description: 'Okta access was removed after three days' }],
      }),
    ).toContain(', Okta access was removed after three days.');
  });

  it('says "tested" rather than "sampled" when every item was tested, and "for the one … tested" for a test of one', () => {
    expect(
      resultSentence({
        conclusion: 'not-effective',
        itemsTested: 12,
        populationSize: 12,
        itemNoun: 'months',
        deviations: [{ item: 1, description: 'the review was not signed' }],
      }),
    ).toBe('Exception noted. For 1 of 12 months tested, the review was not signed.');
    expect(
      resultSentence({
        conclusion: 'not-effective',
        itemsTested: 25,
        populationSize: 300,
        itemNoun: 'changes',
        deviations: [{ item: 1, description: 'x' }],
      }),
    ).toContain('For 1 of 25 changes sampled, x.');
    expect(
      resultSentence({
        conclusion: 'not-effective',
        itemsTested: 1,
        populationSize: 1,
        itemNoun: 'years',
        deviations: [{ item: 1, description: 'The annual review was not approved' }],
      }),
    ).toBe('Exception noted. For the one year tested, the annual review was not approved.');
    expect(itemsPhrase(1, 1, 'new hires')).toBe('For the one new hire tested');
    expect(itemsPhrase(1, 1, 'quarterly reviews')).toBe('For the one quarterly review tested');
  });

  it('never says "No exceptions noted." of a sample with a deviation, and always gives "k of n"', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ item: fc.integer({ min: 1, max: 30 }), description: fc.string({ maxLength: 30 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 30, max: 90 }),
        (deviations, itemsTested) => {
          const sentence = resultSentence({ conclusion: 'not-effective', itemsTested, itemNoun: 'items', deviations });
          expect(sentence.startsWith('Exception')).toBe(true);
          expect(sentence).toContain(` of ${itemsTested} items sampled, `);
        },
      ),
    );
  });
});

describe('defaultItemNoun', () => {
  it('names periodic occurrences by their period and anything else "items"', () => {
    expect(defaultItemNoun('monthly', 'periodic')).toBe('months');
    expect(defaultItemNoun('daily', 'periodic')).toBe('days');
    expect(defaultItemNoun('event-driven', 'transaction')).toBe('items');
  });
});
