// engagement.json past the longest string V8 can make cannot be read whole: the archive is refused with the
// reason (422), not answered with a server error.
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/core/errors.js';
import { parseEngagementData } from '../../../src/features/archive/validate-data.js';

describe('an engagement.json too large to read', () => {
  it('is refused with its size named', () => {
    const bytes = Buffer.alloc(16);
    // What Buffer#toString throws past buffer.constants.MAX_STRING_LENGTH, without allocating 512 MB to see it.
    bytes.toString = () => {
      throw Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), {
        code: 'ERR_STRING_TOO_LONG',
      });
    };
    expect(() => parseEngagementData(bytes)).toThrow(RuleError);
    expect(() => parseEngagementData(bytes)).toThrow(
      'engagement.json is too large to import on this instance (0 MB). Nothing was imported.',
    );
  });
});
