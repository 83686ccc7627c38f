import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RuleError } from '../../../src/core/errors.js';
import { MAX_QUERY_VALUE, pageQuery, queryValues, readQuery } from '../../../src/core/http/query.js';

const filter = z.object({
  status: z.enum(['open', 'all']).optional().default('open').catch('open'),
  entity: z.string().max(60).optional(),
});

describe('query strings', () => {
  it('reads one string per parameter', () => {
    expect(queryValues({ a: '1', b: '' })).toEqual({ a: '1', b: '' });
    expect(queryValues(undefined)).toEqual({});
  });

  it('refuses a repeated or over-long parameter with a 400 naming it', () => {
    expect(() => queryValues({ status: ['open', 'all'] })).toThrow(
      new RuleError('The address gives “status” more than once.', { status: 400 }),
    );
    expect(() => queryValues({ q: 'x'.repeat(MAX_QUERY_VALUE + 1) })).toThrow(/“q” a value longer than any page uses/);
    expect(queryValues({ q: 'x'.repeat(MAX_QUERY_VALUE) }).q).toHaveLength(MAX_QUERY_VALUE);
    try {
      queryValues({ a: ['1', '2'] });
    } catch (err) {
      expect((err as RuleError).statusCode).toBe(400);
    }
  });

  it('lets a filter ignore a stale value and refuses what its schema refuses', () => {
    expect(readQuery({ status: 'x' }, filter)).toEqual({ status: 'open' });
    expect(() => readQuery({ entity: 'e'.repeat(61) }, filter)).toThrow(/“entity” a value Tickmark does not use/);
  });

  it('a page number given twice reads as the first, as the grid links always have', () => {
    expect(readQuery({ page: ['2', '3'], x: 'ignored' }, pageQuery, { firstOfRepeated: true })).toEqual({ page: '2' });
    expect(() => readQuery({ page: ['2', '3'] }, pageQuery)).toThrow(/more than once/);
  });
});
