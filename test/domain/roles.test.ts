import { describe, expect, it } from 'vitest';
import * as roles from '../../src/domain/roles.js';
import { ENGAGEMENT_ROLES } from '../../src/db/schema/index.js';

describe('the viewer role', () => {
  it('reads the engagement and is refused by every other canX rule, present and future', () => {
    expect(roles.canReadEngagement('viewer')).toBe(true);
    const rules = Object.entries(roles).filter(
      ([name, value]) => name.startsWith('can') && name !== 'canReadEngagement' && typeof value === 'function',
    ) as [string, (role: string) => boolean][];
    expect(rules.length).toBeGreaterThan(8);
    for (const [name, rule] of rules) expect([name, rule('viewer')]).toEqual([name, false]);
  });

  it('ranks below every other role, and the labels know it', () => {
    for (const role of ENGAGEMENT_ROLES.filter((r) => r !== 'viewer')) {
      expect(roles.hasAtLeast('viewer', role)).toBe(false);
      expect(roles.hasAtLeast(role, 'viewer')).toBe(true);
    }
    for (const role of ENGAGEMENT_ROLES) expect(roles.ENGAGEMENT_ROLE_LABELS[role]).toBeTruthy();
    expect(roles.ENGAGEMENT_ROLE_LABELS.viewer).toMatch(/read-only/);
  });
});
