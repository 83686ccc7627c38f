import { describe, expect, it } from 'vitest';
import { appendAudit, trailStatements, verifyTrail } from '../../../src/core/audit/trail.js';
import { buildTestApp } from '../../helpers/app.js';

describe('audit trail statements', () => {
  it('are compiled once per connection and found from the database and from a transaction', async () => {
    const t = await buildTestApp({ demo: false });
    const { db } = t.app.conn;
    const direct = trailStatements(db);
    expect(direct).not.toBeNull();
    db.transaction((tx) => {
      expect(trailStatements(tx)).toBe(direct);
      appendAudit(tx, null, {
        engagementId: null,
        entity: 'firm-methodology',
        entityId: 1,
        action: 'one',
        changes: {},
      });
      appendAudit(tx, null, {
        engagementId: null,
        entity: 'firm-methodology',
        entityId: 2,
        action: 'two',
        changes: { a: [1, 2] },
      });
    });
    expect(verifyTrail(db)).toMatchObject({ ok: true });
  });
});
