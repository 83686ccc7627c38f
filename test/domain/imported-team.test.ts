import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importedTeamProblem, roleFitsFirmRole, type ImportedMember } from '../../src/domain/imported-team.js';
import type { EngagementRoleName } from '../../src/domain/roles.js';

const team = (...members: [string, EngagementRoleName, ImportedMember['firmRole']][]): ImportedMember[] =>
  members.map(([email, role, firmRole]) => ({ email, role, firmRole }));
const honest = team(['p@x', 'partner', 'partner'], ['m@x', 'manager', 'manager'], ['s@x', 'staff', 'senior']);

describe('an imported team, checked against this firm', () => {
  it('holds for a team whose roles fit the firm roles here', () => {
    expect(
      importedTeamProblem(honest, [
        { what: 'approving the opinion', email: 'p@x' },
        { what: 'archiving', email: null },
      ]),
    ).toBeNull();
  });

  it('refuses the forged team: staff as engagement partner, the administrator as manager, the real partner approving', () => {
    const forged = team(['staff@x', 'partner', 'staff'], ['admin@x', 'manager', 'admin']);
    expect(importedTeamProblem(forged, [])).toMatch(/admin@x is an administrator here/);
    expect(importedTeamProblem(team(['staff@x', 'partner', 'staff']), [])).toMatch(
      /staff@x is the engagement partner in the archive but a staff here/,
    );
    expect(importedTeamProblem(honest, [{ what: 'approving the opinion', email: 'm@x' }])).toMatch(
      /approving the opinion was done by m@x, who is not its engagement partner/,
    );
  });

  it('needs exactly one engagement partner and each person once', () => {
    expect(importedTeamProblem(team(['m@x', 'manager', 'manager']), [])).toMatch(/needs an engagement partner/);
    expect(importedTeamProblem(team(['p@x', 'partner', 'partner'], ['p@x', 'staff', 'partner']), [])).toMatch(
      /only once/,
    );
  });

  it('never lets anyone hold a role above their firm seniority, and an administrator no role at all', () => {
    const firm = ['staff', 'senior', 'manager', 'partner', 'admin'] as const;
    const roles: EngagementRoleName[] = ['viewer', 'staff', 'senior', 'manager', 'partner', 'eqr'];
    fc.assert(
      fc.property(fc.constantFrom(...roles), fc.constantFrom(...firm), (role, firmRole) => {
        const rank = (r: string) =>
          ['viewer', 'staff', 'senior', 'manager', 'partner'].indexOf(r === 'eqr' ? 'partner' : r);
        expect(roleFitsFirmRole(role, firmRole)).toBe(firmRole !== 'admin' && rank(role) <= rank(firmRole));
      }),
    );
    expect(roleFitsFirmRole('eqr', 'manager')).toBe(false);
    expect(roleFitsFirmRole('eqr', 'partner')).toBe(true);
  });
});
