// Guesses which column holds what, from the header names clients' systems usually export.

const SYNONYMS = {
  key: [
    'key',
    'id',
    'item id',
    'ticket',
    'ticket id',
    'ticket number',
    'change id',
    'change number',
    'change',
    'number',
    'reference',
    'ref',
    'record id',
    'employee id',
    'user id',
    'user',
    'username',
    'account',
  ],
  date: [
    'date',
    'item date',
    'created',
    'created date',
    'created on',
    'deployed',
    'deployment date',
    'closed',
    'closed date',
    'completed',
    'termination date',
    'terminated',
    'hire date',
    'timestamp',
    'transaction date',
    'posting date',
  ],
  description: ['description', 'summary', 'title', 'name', 'short description', 'details', 'subject'],
  amount: ['amount', 'value', 'total', 'net amount', 'gross amount', 'usd', 'eur', 'gbp'],
} as const;

export type GuessedRole = keyof typeof SYNONYMS;

const normalise = (h: string) =>
  h
    .toLowerCase()
    .replace(/[_\-#.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Column index per role, or null; exact synonym matches win over partial ones, and a column is used once. */
export function guessColumns(header: readonly string[]): Record<GuessedRole, number | null> {
  const names = header.map(normalise);
  const used = new Set<number>();
  const pick = (role: GuessedRole): number | null => {
    const synonyms: readonly string[] = SYNONYMS[role];
    let found = names.findIndex((n, i) => !used.has(i) && synonyms.includes(n));
    if (found < 0)
      found = names.findIndex((n, i) => !used.has(i) && synonyms.some((s) => s.length > 3 && n.includes(s)));
    if (found < 0) return null;
    used.add(found);
    return found;
  };
  return { key: pick('key'), date: pick('date'), description: pick('description'), amount: pick('amount') };
}

/** Slashed dates with a first part over 12 are day-first; otherwise assume ISO, which most exports use. */
export function guessDateFormat(samples: readonly string[]): 'iso' | 'dmy' | 'mdy' {
  const slashed = samples.map((s) => /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/.exec(s.trim())).filter((m) => m !== null);
  if (slashed.length === 0) return 'iso';
  if (slashed.some((m) => Number(m![1]) > 12)) return 'dmy';
  if (slashed.some((m) => Number(m![2]) > 12)) return 'mdy';
  return 'dmy';
}
