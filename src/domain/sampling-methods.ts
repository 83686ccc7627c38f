// Which selections support a statistical evaluation (domain.md, "Statistics need a random selection").

export const SELECTION_METHODS = [
  'random',
  'systematic',
  'period-spread',
  'interim-split',
  'haphazard',
  'judgmental',
  'all',
] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

/** Selections in which every item had a known chance of selection: sized and evaluated statistically. */
export const RANDOM_METHODS: readonly SelectionMethod[] = ['random', 'systematic', 'period-spread', 'interim-split'];

export function isRandomSelection(method: SelectionMethod): boolean {
  return RANDOM_METHODS.includes(method);
}

/**
 * How a sample's result is read: statistically (an upper deviation limit), as a non-statistical sample (the
 * auditor picked the items: no upper limit, the table rule), or as a test of the whole population (no sampling
 * risk at all, so no upper limit either).
 */
export type SamplingBasis = 'statistical' | 'not-statistical' | 'whole-population';

export function samplingBasis(method: SelectionMethod, plannedSize: number, populationSize: number): SamplingBasis {
  if (method === 'all' || plannedSize >= populationSize) return 'whole-population';
  return isRandomSelection(method) ? 'statistical' : 'not-statistical';
}

export const SAMPLING_BASIS_LABELS: Record<SamplingBasis, string> = {
  statistical: 'Statistical sample',
  'not-statistical': 'Not a statistical sample',
  'whole-population': '100% tested: no sampling risk',
};

/** Why a selection cannot be sized statistically, or null: statistical sizing needs a random selection. */
export function statisticalSizingProblem(method: SelectionMethod, sizing: 'table' | 'statistical'): string | null {
  if (sizing !== 'statistical' || isRandomSelection(method) || method === 'all') return null;
  const how = method === 'haphazard' ? 'A haphazard' : 'A judgmental';
  return `${how} selection is not a statistical sample: size it from the firm’s table, or select randomly (random, systematic, spread over the period or split interim / roll-forward) to size it statistically.`;
}
