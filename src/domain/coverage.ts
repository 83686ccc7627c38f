// Which in-scope criteria or objectives the matrix addresses, and which it leaves without any control.
import { referenceKey, type ScopeItem } from './criteria.js';

export interface Mapped {
  reference: string;
  criteria: readonly string[];
}

export interface CoverageLine<C extends Mapped, K extends Mapped> {
  item: ScopeItem;
  controls: C[];
  complementary: K[];
  /** Only a tested control covers a criterion: CUECs and CSOCs support it but are not tested. */
  covered: boolean;
  /** Not covered, but a carved-out subservice organization's controls (CSOCs) address it. */
  carvedOut: boolean;
  /** Marked not applicable, with this reason; the mark addresses it only while no control is mapped to it. */
  notApplicableReason?: string;
}

export interface ComplementaryMapped extends Mapped {
  kind: 'cuec' | 'csoc';
}

export interface NotApplicableMark {
  criterionRef: string;
  reason: string;
}

export interface Coverage<C extends Mapped, K extends Mapped> {
  lines: CoverageLine<C, K>[];
  /** Neither a control, nor a carve-out's CSOCs, nor a not-applicable mark addresses these. */
  uncovered: ScopeItem[];
  /** Controls mapped to a reference that is not (or no longer) in scope, with those references. */
  outOfScope: { control: C; references: string[] }[];
  unmapped: C[];
}

export function coverage<C extends Mapped, K extends ComplementaryMapped>(
  items: readonly ScopeItem[],
  controls: readonly C[],
  complementary: readonly K[],
  notApplicable: readonly NotApplicableMark[] = [],
): Coverage<C, K> {
  const inScope = new Set(items.map((i) => referenceKey(i.reference)));
  const addressing = <T extends Mapped>(list: readonly T[], item: ScopeItem) =>
    list.filter((c) => c.criteria.some((r) => referenceKey(r) === referenceKey(item.reference)));
  const lines = items.map((item): CoverageLine<C, K> => {
    const mapped = addressing(controls, item);
    const others = addressing(complementary, item);
    const covered = mapped.length > 0;
    const mark = notApplicable.find((m) => referenceKey(m.criterionRef) === referenceKey(item.reference));
    return {
      item,
      controls: mapped,
      complementary: others,
      covered,
      carvedOut: !covered && others.some((k) => k.kind === 'csoc'),
      ...(mark ? { notApplicableReason: mark.reason } : {}),
    };
  });
  const outOfScope = controls
    .map((control) => ({ control, references: control.criteria.filter((r) => !inScope.has(referenceKey(r))) }))
    .filter((o) => o.references.length > 0);
  return {
    lines,
    uncovered: lines
      .filter((l) => !l.covered && !l.carvedOut && l.notApplicableReason === undefined)
      .map((l) => l.item),
    outOfScope,
    unmapped: controls.filter((c) => c.criteria.length === 0),
  };
}
