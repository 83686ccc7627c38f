import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalItem,
  createPopulationHasher,
  POPULATION_HASH_DOC,
  populationHash,
  type PopulationItem,
} from '../../src/domain/population-hash.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const changes: PopulationItem[] = [
  {
    key: 'CHG-1042',
    date: '2025-03-04',
    description: 'Deploy release 7.2',
    amount: '1250.50',
    extra: { approver: 'jdoe' },
  },
  { key: 'CHG-1043', date: '2025-03-05' },
  {
    key: 'CHG-1044',
    description: 'Hotfix "auth"\nrollback',
    amount: 12,
    extra: { z: '1', a: 'é', '10': 'x', '2': 'y' },
  },
];

const itemArb: fc.Arbitrary<PopulationItem> = fc.record(
  {
    key: fc.string(),
    date: fc.string({ maxLength: 12 }),
    description: fc.string({ unit: 'grapheme' }),
    amount: fc.oneof(fc.string({ maxLength: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    extra: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 8 })),
  },
  { requiredKeys: ['key'] },
);

describe('canonical form', () => {
  it('writes each item as a JSON array with a fixed field order', () => {
    expect(canonicalItem(changes[0]!)).toBe(
      '["CHG-1042","2025-03-04","Deploy release 7.2","1250.50",[["approver","jdoe"]]]',
    );
    expect(canonicalItem(changes[1]!)).toBe('["CHG-1043","2025-03-05",null,null,[]]');
    expect(canonicalItem(changes[2]!)).toBe(
      '["CHG-1044",null,"Hotfix \\"auth\\"\\nrollback",12,[["10","x"],["2","y"],["a","é"],["z","1"]]]',
    );
  });

  it('hashes the JSON Lines text, one line feed after each item', () => {
    const text = changes.map((item) => `${canonicalItem(item)}\n`).join('');
    expect(populationHash(changes)).toBe(sha256(text));
    expect(populationHash(changes)).toBe('66d6c804d0623f09b44bb3f466ef0736ff8c97000f9dea3e95290ce77179c4e2');
  });

  it('hashes an empty population as the empty text', () => {
    expect(populationHash([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('does not depend on the order of the extra fields', () => {
    const a = populationHash([{ key: 'K', extra: { b: '2', a: '1', '10': 'x' } }]);
    expect(populationHash([{ key: 'K', extra: { '10': 'x', a: '1', b: '2' } }])).toBe(a);
  });

  it('tells apart what an auditor would tell apart', () => {
    const distinct = [
      [{ key: 'A' }, { key: 'B' }],
      [{ key: 'B' }, { key: 'A' }],
      [{ key: 'A' }],
      [{ key: 'A', description: '' }],
      [{ key: 'A', amount: '1250.50' }],
      [{ key: 'A', amount: 1250.5 }],
      [{ key: 'A', description: 'x\n["B",null,null,null,[]]' }],
      [{ key: 'A', description: 'x' }, { key: 'B' }],
      [{ key: 'A ' }],
      [{ key: 'A', extra: { '': '' } }],
    ] satisfies PopulationItem[][];
    expect(new Set(distinct.map(populationHash)).size).toBe(distinct.length);
  });

  it('refuses items it cannot write faithfully', () => {
    expect(() => canonicalItem({ key: 'A', amount: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalItem({ key: 'A', amount: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => canonicalItem({ key: undefined as unknown as string })).toThrow(/key/);
  });

  it('is documented', () => {
    expect(POPULATION_HASH_DOC).toContain('[key, date, description, amount, extra]');
  });
});

describe('createPopulationHasher', () => {
  it('gives the same digest as hashing the whole canonical text', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 60 }), (items) => {
        const hasher = createPopulationHasher();
        items.forEach((item) => hasher.add(item));
        expect(hasher.count).toBe(items.length);
        const text = items.map((item) => `${canonicalItem(item)}\n`).join('');
        expect(hasher.digest()).toBe(sha256(text));
        expect(populationHash(items)).toBe(sha256(text));
      }),
    );
  });

  it('cannot be used after its digest', () => {
    const hasher = createPopulationHasher();
    hasher.add({ key: 'A' });
    hasher.digest();
    expect(() => hasher.add({ key: 'B' })).toThrow(/already/);
    expect(() => hasher.digest()).toThrow(/already/);
  });

  it('streams a population of 1,000,000 rows', () => {
    function* rows(): Generator<PopulationItem> {
      for (let i = 0; i < 1_000_000; i++) {
        yield { key: `TKT-${i}`, date: '2025-06-30', description: `Change ${i} — déploiement`, amount: `${i}.00` };
      }
    }
    const hasher = createPopulationHasher();
    const whole = createHash('sha256');
    for (const row of rows()) {
      hasher.add(row);
      whole.update(`${canonicalItem(row)}\n`, 'utf8');
    }
    expect(hasher.count).toBe(1_000_000);
    const digest = hasher.digest();
    expect(digest).toBe(whole.digest('hex'));
    expect(populationHash(rows())).toBe(digest);
  });
});
