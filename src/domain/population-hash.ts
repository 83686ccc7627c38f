// The content hash that freezes a population once sampling starts: any change to an item, to the order of
// the items or to their number changes it, and a reviewer can recompute it from an export.
import { createHash, type Hash } from 'node:crypto';

export interface PopulationItem {
  key: string;
  date?: string;
  description?: string;
  /** Preferably the amount exactly as imported (a decimal string); numbers are hashed as JSON writes them. */
  amount?: string | number;
  extra?: Record<string, string>;
}

export interface PopulationHasher {
  add(item: PopulationItem): void;
  /** Items added so far. */
  readonly count: number;
  /** The SHA-256 hex digest; the hasher cannot be used afterwards. */
  digest(): string;
}

export const POPULATION_HASH_DOC = `### Population content hash (tickmark-population-v1)

The hash is the SHA-256 (lower-case hex) of the population's canonical form: one line per item, in
population order, each line terminated by a line feed (U+000A), encoded in UTF-8. An empty population
is the empty text (hash e3b0c442…b855). A line is the JSON array

    [key, date, description, amount, extra]

written with JSON.stringify (ECMA-262: no whitespace, strings escaped with \\" \\\\ \\b \\f \\n \\r \\t and
\\u00XX for other control characters, lone surrogates as \\udXXX, other characters as themselves), where a missing date,
description or amount is null, an amount given as a number is a JSON number (as JavaScript writes it,
e.g. 1250.5), and extra is an array of [name, value] pairs sorted by name in UTF-16 code-unit order
(JavaScript's default sort), [] when absent. Strings are hashed exactly as imported: no trimming, no
Unicode normalisation, no change of case. Example line:
["CHG-1042","2025-03-04","Deploy release 7.2","1250.50",[["approver","jdoe"]]]
The canonical form is therefore a JSON Lines file whose sha256sum is the population hash.

What Tickmark hashes: the **sampleable items** (rows dated inside the window, with a key and a readable
date) in the order of their sampling position (the file order), where key is the trimmed key, date the
ISO date, description the trimmed description (empty string when unmapped), amount a decimal string with
exactly four decimals (\`1250.5000\`) or null, and extra the other non-empty columns of the row by their
header names (for generated periodic occurrences: \`[["period end", "YYYY-MM-DD"]]\`). Position p of the
selection algorithms is line p + 1 of this file.`;

/** The canonical line of an item, without its line feed. */
export function canonicalItem(item: PopulationItem): string {
  if (typeof item.key !== 'string') throw new Error('A population item needs a string key');
  if (typeof item.amount === 'number' && !Number.isFinite(item.amount)) {
    throw new Error(`Item ${item.key}: amount ${item.amount} is not a finite number`);
  }
  const extra = Object.entries(item.extra ?? {})
    .map(([name, value]) => [name, String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([item.key, item.date ?? null, item.description ?? null, item.amount ?? null, extra]);
}

const FLUSH_AT = 64 * 1024; // characters buffered before feeding the hash: far fewer native calls per row

export function createPopulationHasher(): PopulationHasher {
  let hash: Hash | undefined = createHash('sha256');
  let buffered = '';
  let count = 0;
  const open = (): Hash => {
    if (!hash) throw new Error('The population hash has already been computed');
    return hash;
  };
  return {
    add(item) {
      const target = open();
      buffered += `${canonicalItem(item)}\n`;
      count++;
      if (buffered.length >= FLUSH_AT) {
        target.update(buffered, 'utf8');
        buffered = '';
      }
    },
    get count() {
      return count;
    },
    digest() {
      const target = open();
      hash = undefined;
      return target.update(buffered, 'utf8').digest('hex');
    },
  };
}

/** SHA-256 hex of the canonical form of the items (see POPULATION_HASH_DOC). */
export function populationHash(items: Iterable<PopulationItem>): string {
  const hasher = createPopulationHasher();
  for (const item of items) hasher.add(item);
  return hasher.digest();
}
