// The seeded generator behind every selection: SHA-256 in counter mode. Chosen over a fast PRNG because
// any reviewer can re-implement it from one line of text with a standard library (Python's hashlib,
// `sha256sum`), and because hashing is deterministic on every machine.
import * as crypto from 'node:crypto';

/** A selection seed: a positive integer up to 2^53 − 1, as a number or a string of decimal digits. */
export type Seed = number | string;

export const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** Largest population a uniform draw supports: the generator yields 32-bit words. */
export const MAX_POPULATION = 2 ** 32;

const GENERATOR_VERSION = 'tickmark-selection-v1';

// crypto.hash (Node ≥ 20.12) is about three times faster than createHash for one-block messages.
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text, 'ascii').digest();

/** The canonical decimal form of a seed ("00042" → "42"); throws on anything but 1 … 2^53 − 1. */
export function normaliseSeed(seed: Seed): string {
  const valid =
    typeof seed === 'number'
      ? Number.isSafeInteger(seed) && seed >= 1
      : typeof seed === 'string' && /^\d{1,20}$/.test(seed) && BigInt(seed) >= 1n && BigInt(seed) <= MAX_SEED;
  if (!valid) throw new Error(`Invalid seed ${JSON.stringify(seed)}: expected an integer from 1 to ${MAX_SEED}`);
  return BigInt(seed).toString();
}

export interface RandomStream {
  /** The next unsigned 32-bit word of the stream. */
  nextWord(): number;
  /** A uniform integer in [0, bound), by rejection of the words that would bias `word mod bound`. */
  uniform(bound: number): number;
}

/**
 * The stream named `label` for a seed. Block k (k = 0, 1, 2, …) is
 * SHA-256 of the ASCII text `tickmark-selection-v1:<seed>:<label>:<k>`, read as eight big-endian
 * unsigned 32-bit words; the stream is the words of block 0, then block 1, and so on.
 */
export function createStream(seed: Seed, label: string): RandomStream {
  const prefix = `${GENERATOR_VERSION}:${normaliseSeed(seed)}:${label}:`;
  let block = 0;
  let words: Buffer = Buffer.alloc(0);
  let position = 0;
  const nextWord = (): number => {
    if (position === words.length) {
      words = sha256(`${prefix}${block++}`);
      position = 0;
    }
    const word = words.readUInt32BE(position);
    position += 4;
    return word;
  };
  const uniform = (bound: number): number => {
    if (!Number.isSafeInteger(bound) || bound < 1 || bound > MAX_POPULATION) {
      throw new Error(`Invalid bound ${bound} for a uniform draw`);
    }
    const limit = MAX_POPULATION - (MAX_POPULATION % bound);
    for (;;) {
      const word = nextWord();
      if (word < limit) return word % bound;
    }
  };
  return { nextWord, uniform };
}
