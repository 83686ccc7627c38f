// Counts with their noun, so no screen, report or message says "1 items" or "Import 0 controls" (#11 item 7).

const IRREGULAR: Record<string, string> = {
  person: 'people',
  criterion: 'criteria',
  child: 'children',
  analysis: 'analyses',
  index: 'indices',
  entry: 'entries',
};
const IRREGULAR_SINGULAR = Object.fromEntries(Object.entries(IRREGULAR).map(([one, many]) => [many, one]));

/** The plural of an English noun (the last word of a phrase): "item" → "items", "entry" → "entries", "box" → "boxes". */
export function pluralOf(noun: string): string {
  const match = /^(.*?)([A-Za-z]+)$/s.exec(noun);
  if (!match) return noun;
  const [, head, word] = match as unknown as [string, string, string];
  const lower = word.toLowerCase();
  if (IRREGULAR[lower]) return head + matchCase(word, IRREGULAR[lower]!);
  if (/[^aeiou]y$/i.test(word)) return `${head + word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${head + word}es`;
  return `${head + word}s`;
}

/** The singular of a plural noun phrase: "new hires" → "new hire", "quarters" → "quarter", "half-years" → "half-year". */
export function singular(noun: string): string {
  const match = /^(.*?)([A-Za-z]+)$/s.exec(noun);
  if (!match) return noun;
  const [, head, word] = match as unknown as [string, string, string];
  const lower = word.toLowerCase();
  if (IRREGULAR_SINGULAR[lower]) return head + matchCase(word, IRREGULAR_SINGULAR[lower]!);
  if (/[^aeiou]ies$/i.test(word)) return `${head + word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return head + word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return head + word.slice(0, -1);
  return noun;
}

const matchCase = (model: string, word: string) =>
  model[0] === model[0]!.toUpperCase() ? word[0]!.toUpperCase() + word.slice(1) : word;

/**
 * "1 item", "2 items", "0 controls", "1,214 new hires": the count in en-US digits and the noun agreeing with it.
 * `many` gives an irregular or phrase plural ("1 person", "3 people").
 */
export function plural(count: number, one: string, many: string = pluralOf(one)): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
