import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/core/errors.js';
import { idParam, pathId } from '../../../src/core/http/params.js';

describe('ids in the path', () => {
  it('are positive safe integers written plainly; anything else names no row', () => {
    expect(idParam('1')).toBe(1);
    expect(idParam('900719925474099')).toBe(900719925474099);
    for (const odd of [
      '',
      '0',
      '01',
      '-1',
      '1e3',
      '1.5',
      '0x10',
      ' 1',
      'abc',
      '99999999999999999999',
      '9007199254740993',
      undefined,
      7,
      ['1'],
    ])
      expect(idParam(odd), String(odd)).toBeNaN();
  });

  it('a route that reads one by name answers 404 for anything else', () => {
    expect(pathId({ params: { keyId: '12' } } as never, 'keyId')).toBe(12);
    expect(() => pathId({ params: { keyId: 'abc' } } as never, 'keyId')).toThrow(RuleError);
    try {
      pathId({ params: {} } as never, 'keyId');
    } catch (err) {
      expect((err as RuleError).statusCode).toBe(404);
    }
  });
});
