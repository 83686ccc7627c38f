// The paper a firm's reports are printed on: US Letter where Letter is the national standard, A4 elsewhere.
export const PAPER_SIZES = ['a4', 'letter'] as const;
export type Paper = (typeof PAPER_SIZES)[number];

/** ISO 3166 alpha-2 codes of the countries whose standard paper is US Letter. */
const LETTER_COUNTRIES = new Set([
  'US',
  'CA',
  'MX',
  'PH',
  'CL',
  'CO',
  'VE',
  'CR',
  'GT',
  'DO',
  'PR',
  'SV',
  'PA',
  'NI',
  'HN',
  'BZ',
]);

export function paperForCountry(country: string): Paper {
  return LETTER_COUNTRIES.has(country.trim().toUpperCase()) ? 'letter' : 'a4';
}

/** An engagement's paper: its own choice; engagements opened before the choice existed keep what their reports
 * used then (A4 for ISAE, Letter for the AICPA's frameworks). */
export function paperOf(e: { paperSize: Paper | null; framework: string }): Paper {
  return e.paperSize ?? (e.framework.startsWith('isae') ? 'a4' : 'letter');
}

export const PAPER_LABELS: Record<Paper, string> = { a4: 'A4', letter: 'US Letter' };
