import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { TSC_CATEGORIES, type Criterion, type TscCategory } from '../../domain/criteria.js';

const loaded = new Map<string, Criterion[]>();

/** The 2017 Trust Services Criteria, read once from reference/tsc-2017.csv under the project root. */
export function tscCatalogue(rootDir: string): Criterion[] {
  const file = path.join(rootDir, 'reference', 'tsc-2017.csv');
  let catalogue = loaded.get(file);
  if (!catalogue) {
    catalogue = readCatalogue(readFileSync(file, 'utf8'));
    loaded.set(file, catalogue);
  }
  return catalogue;
}

export function readCatalogue(csv: string): Criterion[] {
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
    string,
    string
  >[];
  return records.map((r) => {
    // The reference file spells the category with an underscore; engagements store it with a hyphen.
    const category = (r.category ?? '').replace(/_/g, '-') as TscCategory;
    if (!TSC_CATEGORIES.includes(category))
      throw new Error(`tsc-2017.csv: unknown category "${r.category}" for ${r.id}`);
    return { id: r.id!, category, series: r.series!, title: r.short_title! };
  });
}
