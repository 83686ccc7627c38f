import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plural, pluralOf, singular } from '../../src/domain/plural.js';

describe('plural', () => {
  it('agrees the noun with the count: never "1 items" or "0 control"', () => {
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(0, 'control')).toBe('0 controls');
    expect(plural(2, 'entry')).toBe('2 entries');
    expect(plural(1214, 'new hire')).toBe('1,214 new hires');
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'criterion')).toBe('3 criteria');
    expect(plural(2, 'box')).toBe('2 boxes');
    expect(plural(2, 'day')).toBe('2 days');
  });

  it('singular undoes pluralOf for the nouns Tickmark counts', () => {
    for (const noun of [
      'item',
      'row',
      'control',
      'new hire',
      'change',
      'quarter',
      'half-year',
      'entry',
      'criterion',
      'terminated user',
      'access review',
      'batch',
    ]) {
      expect(singular(pluralOf(noun))).toBe(noun);
    }
  });

  it('says the singular exactly when the count is one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('item', 'row', 'control', 'file', 'entry'),
        (n, noun) => {
          const text = plural(n, noun);
          expect(text.endsWith(` ${noun}`)).toBe(n === 1);
        },
      ),
    );
  });
});
