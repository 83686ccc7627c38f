import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareReferences,
  criteriaInScope,
  referenceKey,
  splitReferences,
  tscResolver,
  usesCriteria,
} from '../../src/domain/criteria.js';
import { readCatalogue } from '../../src/features/criteria/catalogue.js';
import { findRootDir } from '../../src/config.js';

const catalogue = readCatalogue(readFileSync(path.join(findRootDir(), 'reference', 'tsc-2017.csv'), 'utf8'));

describe('the 2017 Trust Services Criteria', () => {
  it('ships all 61 criteria with titles, processing integrity spelled as engagements store it', () => {
    expect(catalogue).toHaveLength(61);
    expect(catalogue.find((c) => c.id === 'CC6.1')).toEqual({
      id: 'CC6.1',
      category: 'security',
      series: 'CC6 Logical and physical access',
      title: 'Logical access security',
    });
    expect(catalogue.filter((c) => c.category === 'processing-integrity')).toHaveLength(5);
  });

  it('puts Security in scope always, and the selected categories', () => {
    expect(criteriaInScope(catalogue, [])).toHaveLength(33);
    expect(
      criteriaInScope(catalogue, ['availability'])
        .map((c) => c.id)
        .slice(-3),
    ).toEqual(['A1.1', 'A1.2', 'A1.3']);
    expect(
      criteriaInScope(catalogue, ['availability', 'confidentiality', 'processing-integrity', 'privacy']),
    ).toHaveLength(61);
  });

  it('tells SOC 2 and ISAE 3000 (criteria) from SOC 1 and ISAE 3402 (objectives)', () => {
    expect(['soc1', 'soc2', 'isae3402', 'isae3000'].map((f) => usesCriteria(f as 'soc1'))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('resolves references without regard to case, and explains refusals', () => {
    const resolve = tscResolver(catalogue, ['availability']);
    expect(resolve(' cc6.1 ')).toEqual({ ok: true, reference: 'CC6.1' });
    expect(resolve('PI1.1')).toEqual({
      ok: false,
      message: 'PI1.1 is not in scope: Processing Integrity is not a category of this engagement',
    });
    expect(resolve('CC10.1')).toEqual({ ok: false, message: 'unknown criterion "CC10.1"' });
  });
});

describe('reference lists', () => {
  it('split on commas, semicolons and new lines, dropping repeats', () => {
    expect(splitReferences('CC6.1, CC6.2;CC6.3\ncc6.1,, ')).toEqual(['CC6.1', 'CC6.2', 'CC6.3']);
    expect(referenceKey(' co  1 ')).toBe('CO 1');
  });
  it('sort as people read them', () => {
    expect(['CC10.1', 'CC2.1', 'A1.2', 'CC1.10', 'CC1.2'].sort(compareReferences)).toEqual([
      'A1.2',
      'CC1.2',
      'CC1.10',
      'CC2.1',
      'CC10.1',
    ]);
  });
});
