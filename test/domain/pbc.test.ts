import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOverdue, nextReference } from '../../src/domain/pbc.js';

describe('PBC requests', () => {
  it('are overdue only while waiting on the client past the due date', () => {
    expect(isOverdue({ status: 'open', dueDate: '2025-03-01' }, '2025-03-02')).toBe(true);
    expect(isOverdue({ status: 'returned', dueDate: '2025-03-01' }, '2025-03-02')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2025-03-02' }, '2025-03-02')).toBe(false);
    expect(isOverdue({ status: 'submitted', dueDate: '2025-01-01' }, '2025-03-02')).toBe(false);
    expect(isOverdue({ status: 'accepted', dueDate: '2025-01-01' }, '2025-03-02')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: null }, '2025-03-02')).toBe(false);
  });
  it('number new requests after the highest existing one', () => {
    expect(nextReference([])).toBe('PBC-001');
    expect(nextReference(['PBC-001', 'PBC-007', 'Other'])).toBe('PBC-008');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 999 })), (ns) => {
        const refs = ns.map((n) => `PBC-${String(n).padStart(3, '0')}`);
        expect(refs).not.toContain(nextReference(refs));
      }),
    );
  });
});
