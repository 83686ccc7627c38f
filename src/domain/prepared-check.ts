// The checks before a workpaper may be marked "prepared" (domain.md, "Exceptions and the control's conclusion").
import type { CaState } from './completeness-accuracy.js';
import type { Conclusion } from './types.js';

export interface PreparedCheck {
  /** Blank attributes (letters) of each item that has any, by item key. */
  blankCells: readonly { itemKey: string; attributes: readonly string[] }[];
  /** Exception cells whose exception record has not been written. */
  exceptionsWithoutRecord: readonly { itemKey: string; attribute: string }[];
  conclusion: Conclusion | null;
  /** conclusionProblem() of the stored conclusion against the current proposal. */
  conclusionProblem: string | null;
  /** Items with blank cells, and exception cells without a record, beyond those listed (a long grid lists the first). */
  moreBlankItems?: number;
  moreExceptionsWithoutRecord?: number;
  /** Items not applicable on every attribute still to be replaced (Evaluation.replacementsNeeded). */
  replacementsNeeded?: number;
  /** What the overrides of this workpaper still need (overrideProblems()). */
  overrideProblems?: readonly string[];
}

/** Everything that stops the preparer signing: empty when the workpaper may be marked prepared. */
export function missingBeforePrepared(check: PreparedCheck): string[] {
  const missing: string[] = [];
  for (const { itemKey, attributes } of check.blankCells) {
    missing.push(
      `Item ${itemKey}: attribute${attributes.length === 1 ? '' : 's'} ${attributes.join(', ')} not marked.`,
    );
  }
  const more = (n: number | undefined, what: string) => {
    if (n) missing.push(`… and ${n.toLocaleString('en-US')} more ${what}.`);
  };
  more(check.moreBlankItems, check.moreBlankItems === 1 ? 'item with blank cells' : 'items with blank cells');
  for (const { itemKey, attribute } of check.exceptionsWithoutRecord) {
    missing.push(`Item ${itemKey}, attribute ${attribute}: the exception record is not written.`);
  }
  more(
    check.moreExceptionsWithoutRecord,
    check.moreExceptionsWithoutRecord === 1 ? 'exception without its record' : 'exceptions without their records',
  );
  const replace = check.replacementsNeeded ?? 0;
  if (replace > 0) {
    const items = replace === 1 ? '1 item is' : `${replace.toLocaleString('en-US')} items are`;
    missing.push(
      `${items} not applicable on every attribute, so not an occurrence of the control: draw ${replace === 1 ? 'its replacement' : `their ${replace.toLocaleString('en-US')} replacements`} and test ${replace === 1 ? 'it' : 'them'}.`,
    );
  }
  if (check.conclusion === null) missing.push('No conclusion is set.');
  else if (check.conclusionProblem) missing.push(check.conclusionProblem);
  missing.push(...(check.overrideProblems ?? []));
  return missing;
}

/**
 * The population's completeness and accuracy before "prepared" (a rule of its own beside missingBeforePrepared):
 * a workpaper built on a client's list whose C&A is open is not ready, whatever its grid says.
 */
export function caMissingBeforePrepared(state: CaState, populationName: string): string[] {
  if (state !== 'open') return [];
  return [
    `Completeness and accuracy of the population (${populationName}) is open: mark it complete, or have a senior mark it not needed with a reason.`,
  ];
}
