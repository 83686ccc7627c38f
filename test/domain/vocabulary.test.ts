import { describe, expect, it } from 'vitest';
import { openMattersOf, rollUp } from '../../src/domain/opinion.js';
import {
  americanSpellings,
  capitalized,
  isInternational,
  vocabularyOf,
  type Vocabulary,
} from '../../src/domain/vocabulary.js';

const FRAMEWORKS = ['soc1', 'soc2', 'isae3402', 'isae3000'] as const;

/** Every string the vocabulary holds, by its path ("reportName.type2"). */
function terms(v: Vocabulary): [string, string][] {
  return Object.entries(v).flatMap(([key, value]): [string, string][] =>
    typeof value === 'string'
      ? [[key, value]]
      : Object.entries(value as Record<string, string>).map(([k, s]) => [`${key}.${k}`, s]),
  );
}

describe('vocabularyOf', () => {
  it('holds every term, non-empty, for each framework', () => {
    for (const f of FRAMEWORKS) {
      const v = vocabularyOf(f);
      expect(v.framework).toBe(f);
      for (const [key, value] of terms(v)) expect(value.trim(), `${f} ${key}`).not.toBe('');
    }
  });

  it('gives each framework the same terms, so no screen meets a missing word', () => {
    const keys = terms(vocabularyOf('soc2')).map(([k]) => k);
    for (const f of FRAMEWORKS) expect(terms(vocabularyOf(f)).map(([k]) => k)).toEqual(keys);
  });

  it('writes the ISAE words in British spelling: no term passes the American-spelling check', () => {
    for (const f of ['isae3402', 'isae3000'] as const) {
      for (const [key, value] of terms(vocabularyOf(f))) expect(americanSpellings(value), `${f} ${key}`).toEqual([]);
    }
  });

  it('keeps the AICPA words American', () => {
    const v = vocabularyOf('soc2');
    expect(
      americanSpellings(
        `${v.serviceOrganization} ${v.subserviceOrganization} ${v.spelling.authorized} ${v.spelling.recognized}`,
      ),
    ).toEqual(['organization', 'authorized', 'recognized']);
  });

  it('names the standards, the documents and the report as each standard does', () => {
    const soc2 = vocabularyOf('soc2');
    const isae = vocabularyOf('isae3402');
    expect([
      soc2.standardName,
      vocabularyOf('soc1').standardName,
      isae.standardName,
      vocabularyOf('isae3000').standardName,
    ]).toEqual(['SSAE 18 (AT-C 205)', 'SSAE 18 (AT-C 320)', 'ISAE 3402', 'ISAE 3000']);
    expect(soc2.reportName).toEqual({ type1: 'SOC 2® Type 1 report', type2: 'SOC 2® Type 2 report' });
    expect(vocabularyOf('soc1').reportName.type2).toBe('SOC 1® Type 2 report');
    expect(isae.reportName).toEqual({ type1: 'type 1 report', type2: 'type 2 report' });
    expect([soc2.assertionNoun, isae.assertionNoun]).toEqual(['assertion', 'statement']);
    expect([soc2.auditorsReport, isae.auditorsReport]).toEqual([
      "Independent service auditor's report",
      "Independent service auditor's assurance report",
    ]);
    expect([soc2.csocTitle, isae.csocTitle]).toEqual([
      'Complementary subservice organization controls',
      'Complementary subservice organisation controls',
    ]);
    expect(isae.reportTypeLabel.type2).not.toMatch(/II/);
  });

  it('differs between the families in every term but the shared ones', () => {
    const shared = new Set(['userEntities', 'cuecTitle', 'framework', 'family']);
    const us = new Map(terms(vocabularyOf('soc2')));
    for (const [key, value] of terms(vocabularyOf('isae3000'))) {
      if (!shared.has(key)) expect(value, key).not.toBe(us.get(key));
    }
  });

  it('reads an unknown framework as SOC 2 and tells the international ones', () => {
    expect(vocabularyOf('nonsense').framework).toBe('soc2');
    expect(FRAMEWORKS.map(isInternational)).toEqual([false, false, true, true]);
    expect(capitalized('service organisation')).toBe('Service organisation');
  });
});

describe('americanSpellings', () => {
  it('finds -ize, -yze and -or spellings once each, lower-cased', () => {
    expect(
      americanSpellings('Organization of the organization: Authorized users analyze behavior; a Recognized Center.'),
    ).toEqual(['organization', 'authorized', 'analyze', 'behavior', 'recognized', 'center']);
  });

  it('passes British text and words that only look like -ize forms', () => {
    expect(
      americanSpellings(
        'The service organisation authorised and recognised the sample size; seized prize; the centre of judgement.',
      ),
    ).toEqual([]);
  });
});

describe('open matters in the engagement’s words', () => {
  const rows = rollUp({ criteria: [{ id: 'CO1', title: 'Access' }], controls: [] });
  it('names the subservice organisation under ISAE and the subservice organization under SOC', () => {
    expect(rows[0]!.status).toBe('no-controls');
    const [isae] = openMattersOf(rows, 'isae3402');
    expect(isae).toContain("a subservice organisation's controls (carve-out)");
    expect(americanSpellings(isae!)).toEqual([]);
    expect(openMattersOf(rows, 'soc1')[0]).toContain("a subservice organization's controls (carve-out)");
  });
});
