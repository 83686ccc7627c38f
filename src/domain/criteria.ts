// What an engagement's controls are mapped to: Trust Services Criteria (SOC 2, ISAE 3000) or the service
// organization's own control objectives (SOC 1, ISAE 3402).

export const TSC_CATEGORIES = [
  'security',
  'availability',
  'confidentiality',
  'processing-integrity',
  'privacy',
] as const;
export type TscCategory = (typeof TSC_CATEGORIES)[number];

export interface Criterion {
  id: string;
  category: TscCategory;
  /** The series heading, e.g. "CC6 Logical and physical access". */
  series: string;
  title: string;
}

/** An in-scope criterion or control objective, as the matrix and coverage view show it. */
export interface ScopeItem {
  reference: string;
  title: string;
  group: string;
}

export type Framework = 'soc1' | 'soc2' | 'isae3402' | 'isae3000';

/** SOC 2 and ISAE 3000 report against the Trust Services Criteria; SOC 1 and ISAE 3402 against objectives. */
export function usesCriteria(framework: Framework): boolean {
  return framework === 'soc2' || framework === 'isae3000';
}

/** Security (the CC series) is always in scope; the other categories only when the engagement selected them. */
export function criteriaInScope(catalogue: readonly Criterion[], selected: readonly string[]): Criterion[] {
  const chosen = new Set<string>(['security', ...selected]);
  return catalogue.filter((c) => chosen.has(c.category));
}

/** `cc6.1 ` → `CC6.1`: references are compared without regard to case or surrounding space. */
export function referenceKey(reference: string): string {
  return reference.trim().replace(/\s+/g, ' ').toUpperCase();
}

export type Resolution = { ok: true; reference: string } | { ok: false; message: string };

/** Decides what a reference written in a matrix means for this engagement. */
export type ScopeResolver = (reference: string) => Resolution;

const CATEGORY_NAMES: Record<TscCategory, string> = {
  security: 'Security',
  availability: 'Availability',
  confidentiality: 'Confidentiality',
  'processing-integrity': 'Processing Integrity',
  privacy: 'Privacy',
};

export function tscResolver(catalogue: readonly Criterion[], selected: readonly string[]): ScopeResolver {
  const known = new Map(catalogue.map((c) => [referenceKey(c.id), c]));
  const inScope = new Set(criteriaInScope(catalogue, selected).map((c) => c.id));
  return (reference) => {
    const criterion = known.get(referenceKey(reference));
    if (!criterion) return { ok: false, message: `unknown criterion "${reference.trim()}"` };
    if (!inScope.has(criterion.id)) {
      return {
        ok: false,
        message: `${criterion.id} is not in scope: ${CATEGORY_NAMES[criterion.category]} is not a category of this engagement`,
      };
    }
    return { ok: true, reference: criterion.id };
  };
}

export function objectiveResolver(references: readonly string[]): ScopeResolver {
  const known = new Map(references.map((r) => [referenceKey(r), r]));
  return (reference) => {
    const found = known.get(referenceKey(reference));
    return found
      ? { ok: true, reference: found }
      : { ok: false, message: `unknown control objective "${reference.trim()}"` };
  };
}

/** Splits a criteria cell ("CC6.1, CC6.2; CC6.3") into its references, dropping blanks and repeats. */
export function splitReferences(cell: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of cell.split(/[,;\n]+/)) {
    const ref = part.trim();
    if (ref && !seen.has(referenceKey(ref))) {
      seen.add(referenceKey(ref));
      out.push(ref);
    }
  }
  return out;
}

/** Orders references as people read them: CC2.1 before CC10.1, CO2 before CO10. */
export function compareReferences(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}
