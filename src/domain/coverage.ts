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
}

export interface Coverage<C extends Mapped, K extends Mapped> {
  lines: CoverageLine<C, K>[];
  uncovered: ScopeItem[];
  /** Controls mapped to a reference that is not (or no longer) in scope, with those references. */
  outOfScope: { control: C; references: string[] }[];
  unmapped: C[];
}

export function coverage<C extends Mapped, K extends Mapped>(items: readonly ScopeItem[], controls: readonly C[], complementary: readonly K[]): Coverage<C, K> {
  const inScope = new Set(items.map((i) => referenceKey(i.reference)));
  const addressing = <T extends Mapped>(list: readonly T[], item: ScopeItem) => list.filter((c) => c.criteria.some((r) => referenceKey(r) === referenceKey(item.reference)));
  const lines = items.map((item) => {
    const mapped = addressing(controls, item);
    return { item, controls: mapped, complementary: addressing(complementary, item), covered: mapped.length > 0 };
  });
  const outOfScope = controls
    .map((control) => ({ control, references: control.criteria.filter((r) => !inScope.has(referenceKey(r))) }))
    .filter((o) => o.references.length > 0);
  return { lines, uncovered: lines.filter((l) => !l.covered).map((l) => l.item), outOfScope, unmapped: controls.filter((c) => c.criteria.length === 0) };
}
