import { describe, expect, it } from 'vitest';
import { currentUser } from '../../../src/core/auth/current-user.js';
import { RuleError } from '../../../src/core/errors.js';

describe('the logged-in user of a request', () => {
  it('is the user the authentication hook loaded, and a request with none is no such page', () => {
    const user = { id: 3, email: 'p@x.test', name: 'P', firmRole: 'partner' as const, mustChangePassword: false };
    expect(currentUser({ user })).toBe(user);
    expect(() => currentUser({ user: null })).toThrow(RuleError);
    expect(() => currentUser({ user: null })).toThrow(expect.objectContaining({ statusCode: 404 }));
  });
});
