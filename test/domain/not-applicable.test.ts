import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { notApplicableCheck, type NotApplicableFacts } from '../../src/domain/not-applicable.js';

const facts = (over: Partial<NotApplicableFacts> = {}): NotApplicableFacts => ({
  inScope: ['CC6.1', 'CC6.4', 'CC9.2'],
  controls: [
    { reference: 'CC6.1-01', mappedTo: ['CC6.1'] },
    { reference: 'CC6.1-02', mappedTo: ['CC6.1', 'CC9.2'] },
  ],
  marked: [],
  limited: [],
  ...over,
});

describe('notApplicableCheck', () => {
  it('lets a criterion in scope with no controls mapped be marked, spelled as the scope spells it', () => {
    expect(notApplicableCheck('cc6.4', facts())).toEqual({ ok: true, reference: 'CC6.4' });
  });

  it('refuses a criterion outside the scope', () => {
    expect(notApplicableCheck('CC7.1', facts())).toEqual({
      ok: false,
      reason: 'Choose a criterion or objective in scope.',
    });
  });

  it('refuses a criterion with controls mapped, naming them', () => {
    expect(notApplicableCheck('CC6.1', facts())).toEqual({
      ok: false,
      reason:
        'CC6.1 cannot be marked not applicable: CC6.1-01, CC6.1-02 are mapped to it. Unmap the controls first, or conclude on them.',
    });
    expect(notApplicableCheck('CC9.2', facts())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('CC6.1-02 is mapped to it'),
    });
  });

  it('refuses a criterion already marked or carrying a scope limitation', () => {
    expect(notApplicableCheck('CC6.4', facts({ marked: ['CC6.4'] }))).toEqual({
      ok: false,
      reason: 'CC6.4 is already marked not applicable.',
    });
    expect(notApplicableCheck('CC6.4', facts({ limited: ['CC6.4'] }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('scope limitation'),
    });
  });

  it('accepts exactly the in-scope criteria that no control, mark or limitation touches', () => {
    const refs = fc.constantFrom('CC1.1', 'CC2.1', 'CC3.1', 'CC4.1', 'CC5.1');
    fc.assert(
      fc.property(
        fc.uniqueArray(refs),
        fc.array(fc.record({ reference: fc.constant('C-1'), mappedTo: fc.array(refs) })),
        fc.array(refs),
        fc.array(refs),
        refs,
        (inScope, controls, marked, limited, ref) => {
          const free =
            inScope.includes(ref) &&
            !controls.some((c) => c.mappedTo.includes(ref)) &&
            !marked.includes(ref) &&
            !limited.includes(ref);
          expect(notApplicableCheck(ref, { inScope, controls, marked, limited }).ok).toBe(free);
        },
      ),
    );
  });
});
