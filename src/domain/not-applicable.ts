// Whether a criterion or objective in scope may be marked not applicable (domain.md, "From controls to the
// opinion"): only one that nothing else addresses or limits, so a mark never hides a tested control.
import { referenceKey } from './criteria.js';

export interface NotApplicableFacts {
  /** The criteria or objectives in scope, by reference. */
  inScope: readonly string[];
  /** Each control's reference and the criteria it is mapped to. */
  controls: readonly { reference: string; mappedTo: readonly string[] }[];
  /** References already marked not applicable. */
  marked: readonly string[];
  /** References with a scope limitation recorded. */
  limited: readonly string[];
}

export type NotApplicableCheck = { ok: true; reference: string } | { ok: false; reason: string };

/** The in-scope reference to mark (spelled as the scope spells it), or why it may not be marked. */
export function notApplicableCheck(reference: string, facts: NotApplicableFacts): NotApplicableCheck {
  const key = referenceKey(reference);
  const same = (r: string) => referenceKey(r) === key;
  const inScope = facts.inScope.find(same);
  if (inScope === undefined) return { ok: false, reason: 'Choose a criterion or objective in scope.' };
  const mapped = facts.controls.filter((c) => c.mappedTo.some(same)).map((c) => c.reference);
  if (mapped.length > 0)
    return {
      ok: false,
      reason: `${inScope} cannot be marked not applicable: ${mapped.join(', ')} ${mapped.length === 1 ? 'is' : 'are'} mapped to it. Unmap the controls first, or conclude on them.`,
    };
  if (facts.limited.some(same))
    return {
      ok: false,
      reason: `${inScope} has a scope limitation recorded: remove it before marking the criterion not applicable.`,
    };
  if (facts.marked.some(same)) return { ok: false, reason: `${inScope} is already marked not applicable.` };
  return { ok: true, reference: inScope };
}
