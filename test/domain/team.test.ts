import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canHoldEngagementRole,
  defaultEngagementRole,
  type EngagementRoleName,
  type FirmRoleName,
} from '../../src/domain/roles.js';
import {
  appointmentProblem,
  firmRoleProblem,
  roleChangeProblem,
  rolesOnOffer,
  teamProblem,
} from '../../src/domain/team.js';

const ROLES: EngagementRoleName[] = ['staff', 'senior', 'manager', 'partner', 'eqr'];
const FIRM_ROLES: FirmRoleName[] = ['staff', 'senior', 'manager', 'partner', 'admin'];
const role = fc.constantFrom(...ROLES);
const maybeRole = fc.option(role, { nil: null });

describe('teamProblem', () => {
  it('needs exactly one partner, at most one quality reviewer, and each person once', () => {
    expect(teamProblem([{ userId: 1, role: 'manager' }])).toBe('The team needs an engagement partner.');
    expect(
      teamProblem([
        { userId: 1, role: 'partner' },
        { userId: 2, role: 'partner' },
      ]),
    ).toMatch(/exactly one engagement partner/);
    expect(
      teamProblem([
        { userId: 1, role: 'partner' },
        { userId: 2, role: 'eqr' },
        { userId: 3, role: 'eqr' },
      ]),
    ).toMatch(/one engagement quality reviewer/);
    expect(
      teamProblem([
        { userId: 1, role: 'partner' },
        { userId: 1, role: 'staff' },
      ]),
    ).toMatch(/only once/);
    expect(
      teamProblem([
        { userId: 1, role: 'partner' },
        { userId: 2, role: 'eqr' },
        { userId: 3, role: 'manager' },
      ]),
    ).toBeNull();
  });
});

describe('appointmentProblem', () => {
  it('leaves appointing and standing down the quality reviewer to the engagement partner', () => {
    expect(appointmentProblem({ actorRole: 'manager', from: null, to: 'eqr' })).toBe(
      'Only the engagement partner appoints or stands down the engagement quality reviewer.',
    );
    expect(appointmentProblem({ actorRole: 'manager', from: 'eqr', to: null })).toMatch(/Only the engagement partner/);
    expect(appointmentProblem({ actorRole: 'manager', from: 'eqr', to: 'manager' })).toMatch(
      /Only the engagement partner/,
    );
    expect(appointmentProblem({ actorRole: 'partner', from: null, to: 'eqr' })).toBeNull();
    expect(appointmentProblem({ actorRole: 'partner', from: 'eqr', to: null })).toBeNull();
  });
  it('takes the quality reviewer from outside the team: not the manager making themselves reviewer, nor the partner', () => {
    expect(appointmentProblem({ actorRole: 'manager', from: 'manager', to: 'eqr' })).toMatch(
      /Only the engagement partner/,
    );
    expect(appointmentProblem({ actorRole: 'partner', from: 'manager', to: 'eqr' })).toMatch(/independent of the team/);
    expect(appointmentProblem({ actorRole: 'partner', from: 'partner', to: 'eqr' })).toMatch(/independent of the team/);
  });
  it('lets managers change the rest of the team as before', () => {
    expect(appointmentProblem({ actorRole: 'manager', from: 'staff', to: 'senior' })).toBeNull();
    expect(appointmentProblem({ actorRole: 'manager', from: null, to: 'staff' })).toBeNull();
    expect(appointmentProblem({ actorRole: 'manager', from: 'senior', to: null })).toBeNull();
  });
  it('never lets anyone but the partner touch the quality reviewer’s place, and never makes a member the reviewer', () => {
    fc.assert(
      fc.property(role, maybeRole, maybeRole, (actorRole, from, to) => {
        const problem = appointmentProblem({ actorRole, from, to });
        if (from !== to && (from === 'eqr' || to === 'eqr') && actorRole !== 'partner') expect(problem).not.toBeNull();
        if (to === 'eqr' && from !== null && from !== 'eqr') expect(problem).not.toBeNull();
        if (from !== 'eqr' && to !== 'eqr') expect(problem).toBeNull();
      }),
    );
  });
});

describe('firm roles on a team', () => {
  it('never puts an administrator on a team, in any role', () => {
    for (const r of ROLES) {
      expect(canHoldEngagementRole('admin', r)).toBe(false);
      expect(firmRoleProblem('admin', r)).toBe('An administrator manages accounts and is never on an engagement team.');
    }
    expect(defaultEngagementRole('admin')).toBeNull();
  });
  it('holds no role above the firm role; the partner and quality reviewer are partners of the firm', () => {
    expect(firmRoleProblem('staff', 'manager')).toBe('A staff of the firm cannot be manager on a team.');
    expect(firmRoleProblem('manager', 'eqr')).toBe(
      'A manager of the firm cannot be engagement quality reviewer on a team: that takes a partner of the firm.',
    );
    expect(firmRoleProblem('senior', 'partner')).toMatch(/takes a partner of the firm/);
    expect(firmRoleProblem('partner', 'eqr')).toBeNull();
    expect(firmRoleProblem('manager', 'senior')).toBeNull();
    for (const f of ['staff', 'senior', 'manager', 'partner'] as const)
      expect(canHoldEngagementRole(f, defaultEngagementRole(f)!)).toBe(true);
  });
  it('is monotone: a more senior firm role holds every role a junior one does', () => {
    const order: FirmRoleName[] = ['staff', 'senior', 'manager', 'partner'];
    for (const r of ROLES)
      for (let i = 0; i + 1 < order.length; i++)
        if (canHoldEngagementRole(order[i]!, r)) expect(canHoldEngagementRole(order[i + 1]!, r)).toBe(true);
  });
});

describe('roleChangeProblem and rolesOnOffer', () => {
  it('combines who appoints with what the firm role allows', () => {
    expect(roleChangeProblem({ actorRole: 'manager', firmRole: 'admin', from: null, to: 'manager' })).toMatch(
      /administrator/,
    );
    expect(roleChangeProblem({ actorRole: 'partner', firmRole: 'manager', from: null, to: 'eqr' })).toMatch(
      /takes a partner of the firm/,
    );
    expect(roleChangeProblem({ actorRole: 'partner', firmRole: 'partner', from: null, to: 'eqr' })).toBeNull();
    // Standing down or removing is never refused for the firm role.
    expect(roleChangeProblem({ actorRole: 'manager', firmRole: 'admin', from: 'manager', to: null })).toBeNull();
  });
  it('offers a manager every role but the quality reviewer’s, and the partner that one for newcomers only', () => {
    expect(rolesOnOffer('manager', null, ROLES)).toEqual(['staff', 'senior', 'manager', 'partner']);
    expect(rolesOnOffer('partner', null, ROLES)).toEqual(ROLES);
    expect(rolesOnOffer('partner', 'senior', ROLES)).toEqual(['staff', 'senior', 'manager', 'partner']);
    expect(rolesOnOffer('manager', 'eqr', ROLES)).toEqual(['eqr']);
  });
  it('is refused for any firm role, actor or change the rules refuse, and only then', () => {
    fc.assert(
      fc.property(role, fc.constantFrom(...FIRM_ROLES), maybeRole, maybeRole, (actorRole, firmRole, from, to) => {
        const expected =
          appointmentProblem({ actorRole, from, to }) ??
          (to !== null && to !== from ? firmRoleProblem(firmRole, to) : null);
        expect(roleChangeProblem({ actorRole, firmRole, from, to })).toBe(expected);
      }),
    );
  });
});
