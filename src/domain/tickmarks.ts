// The engagement-wide tickmark legend: the symbols workpapers use and what each one means.

export interface Tickmark {
  symbol: string;
  meaning: string;
}

/** The legend a new engagement starts with; the team edits it to the firm's or client's conventions. */
export const DEFAULT_TICKMARKS: readonly Tickmark[] = [
  { symbol: '✓', meaning: 'Agreed without exception' },
  { symbol: 'X', meaning: 'Exception noted; see the exception record' },
  { symbol: 'T', meaning: 'Traced to source document or system record' },
  { symbol: 'I', meaning: 'Inspected evidence of the control operating' },
  { symbol: 'R', meaning: 'Reperformed by the service auditor' },
  { symbol: 'O', meaning: 'Observed the control being performed' },
  { symbol: 'Q', meaning: 'Corroborated through inquiry of the control owner' },
  { symbol: '^', meaning: 'Footed (column total recomputed)' },
  { symbol: 'C', meaning: 'Agreed to the population listing (completeness and accuracy)' },
  { symbol: 'N/A', meaning: 'Not applicable to this item; reason recorded' },
];

export const MAX_SYMBOL_LENGTH = 6;

/** Why a symbol cannot join the legend, or null. Symbols are compared exactly: "x" and "X" may mean different things. */
export function tickmarkSymbolProblem(symbol: string, taken: readonly string[]): string | null {
  const s = symbol.trim();
  if (!s) return 'Symbol is required.';
  if ([...s].length > MAX_SYMBOL_LENGTH)
    return `A tickmark is a short symbol: at most ${MAX_SYMBOL_LENGTH} characters.`;
  if (taken.includes(s)) return `"${s}" is already in the legend.`;
  return null;
}
