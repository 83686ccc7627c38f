import { describe, expect, it } from 'vitest';
import { paperForCountry, paperOf } from '../../src/domain/paper.js';
import { loadConfig } from '../../src/config.js';

describe('paper', () => {
  it('is US Letter where Letter is the national paper, A4 elsewhere', () => {
    expect(['US', 'ca', ' mx '].map(paperForCountry)).toEqual(['letter', 'letter', 'letter']);
    expect(['GB', 'DE', 'FR', 'AU', 'IN', 'JP'].map(paperForCountry)).toEqual(['a4', 'a4', 'a4', 'a4', 'a4', 'a4']);
  });

  it('is the engagement’s own choice; an engagement from before the choice keeps what its reports used', () => {
    expect(paperOf({ paperSize: 'a4', framework: 'soc2' })).toBe('a4');
    expect(paperOf({ paperSize: 'letter', framework: 'isae3402' })).toBe('letter');
    expect(paperOf({ paperSize: null, framework: 'isae3000' })).toBe('a4');
    expect(paperOf({ paperSize: null, framework: 'soc1' })).toBe('letter');
  });

  it('takes the firm country from TICKMARK_FIRM_COUNTRY, refusing anything but two letters', () => {
    const base = { TICKMARK_DATA_DIR: '/tmp/tickmark-paper-config', TICKMARK_SESSION_SECRET: 'x'.repeat(40) };
    expect(loadConfig(base).firmCountry).toBe('US');
    expect(loadConfig({ ...base, TICKMARK_FIRM_COUNTRY: 'gb' }).firmCountry).toBe('GB');
    expect(() => loadConfig({ ...base, TICKMARK_FIRM_COUNTRY: 'United Kingdom' })).toThrow(/two-letter country code/);
  });
});
