import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamEnds } from '../../../src/core/http/uploads.js';

describe('StreamEnds', () => {
  it('keeps exactly the first and last bytes asked for, however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(400), { maxLength: 30 }),
        fc.nat(600),
        fc.nat(600),
        (bytes, cuts, head, tail) => {
          const data = Buffer.from(bytes);
          const ends = new StreamEnds({ head, tail });
          let at = 0;
          for (const cut of cuts) {
            ends.add(data.subarray(at, at + cut));
            at = Math.min(data.length, at + cut);
          }
          ends.add(data.subarray(at));
          expect(ends.head.equals(data.subarray(0, head))).toBe(true);
          expect(ends.tail.equals(data.subarray(Math.max(0, data.length - tail)))).toBe(true);
        },
      ),
    );
  });
});
