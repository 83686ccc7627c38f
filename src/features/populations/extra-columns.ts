// The columns of an upload that the mapping does not use, kept with each item: their names once per population
// (populations.extra_columns), their values per item as a JSON array by position (population_items.extra).
import type { ColumnMapping } from '../../db/schema/index.js';

/** Collects the unmapped columns of each row as it is imported; their names come out at the end. */
export class ExtraColumnsWriter {
  private readonly used: Set<number>;
  /** Column index of each extra position, in file order; grows when a row is wider than the header. */
  private readonly indices: number[] = [];
  private width = 0;

  constructor(
    mapping: ColumnMapping,
    private readonly columns: readonly string[],
  ) {
    this.used = new Set(
      [mapping.key, mapping.date, mapping.description, mapping.amount].filter((i): i is number => i !== null),
    );
  }

  /** The row's extra values as stored: empty ones as "", trailing empty ones left out; null when none. */
  valuesOf(row: readonly string[]): string | null {
    for (; this.width < row.length; this.width++) if (!this.used.has(this.width)) this.indices.push(this.width);
    let last = -1;
    const values: string[] = [];
    for (let p = 0; p < this.indices.length; p++) {
      const value = row[this.indices[p]!] ?? '';
      values.push(value);
      if (value !== '') last = p;
    }
    return last < 0 ? null : JSON.stringify(values.slice(0, last + 1));
  }

  /** The names of the extra positions: the header's name, or "Column n" where it has none. */
  names(): string[] {
    return this.indices.map((i) => this.columns[i] ?? `Column ${i + 1}`);
  }
}

/**
 * An item's other columns by name, non-empty ones only. The one reader of `extra`: it also understands the
 * object of name → value that items held before names were stored once (still found in archives made then).
 * A repeated column name keeps its last value, as the object did.
 */
export function extraValues(names: readonly string[] | null, stored: string | null): Record<string, string> {
  if (stored === null || stored === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  if (Array.isArray(parsed)) {
    parsed.forEach((value, p) => {
      const name = names?.[p] ?? `Extra ${p + 1}`;
      if (value !== null && value !== '') out[name] = String(value);
    });
  } else if (parsed && typeof parsed === 'object') {
    for (const [name, value] of Object.entries(parsed)) if (value !== null && value !== '') out[name] = String(value);
  }
  return out;
}
