import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentSignoffs,
  isStale,
  mayClearNote,
  qualityReviewProblem,
  reviewerIndependenceProblem,
  signoffProblem,
  workpaperState,
  WORK_KINDS,
  type RecordedWork,
  type WorkpaperReviewFacts,
} from '../../src/domain/review.js';

const base: WorkpaperReviewFacts = {
  changedAt: '2025-03-01T10:00:00Z',
  preparedBy: 1,
  preparedAt: '2025-03-02T10:00:00Z',
  signoffs: [],
  secondReviewRequired: false,
  started: true,
};

describe('workpaperState', () => {
  it('follows the work from not started to reviewed', () => {
    expect(workpaperState({ ...base, started: false, preparedAt: null, changedAt: null })).toBe('not-started');
    expect(workpaperState({ ...base, preparedAt: null })).toBe('in-testing');
    expect(workpaperState(base)).toBe('prepared');
    expect(
      workpaperState({ ...base, signoffs: [{ level: 'reviewed', userId: 2, signedAt: '2025-03-03T00:00:00Z' }] }),
    ).toBe('reviewed');
  });
  it('needs the second level when the engagement requires it', () => {
    const reviewed = {
      ...base,
      secondReviewRequired: true,
      signoffs: [{ level: 'reviewed' as const, userId: 2, signedAt: '2025-03-03T00:00:00Z' }],
    };
    expect(workpaperState(reviewed)).toBe('prepared');
    expect(
      workpaperState({
        ...reviewed,
        signoffs: [...reviewed.signoffs, { level: 'second-review', userId: 3, signedAt: '2025-03-04T00:00:00Z' }],
      }),
    ).toBe('reviewed');
  });
  it('turns stale when the work changes after any sign-off, until signed again', () => {
    const signed = { ...base, signoffs: [{ level: 'reviewed' as const, userId: 2, signedAt: '2025-03-03T00:00:00Z' }] };
    expect(workpaperState({ ...signed, changedAt: '2025-03-05T00:00:00Z' })).toBe('stale');
    const resigned = {
      ...signed,
      changedAt: '2025-03-05T00:00:00Z',
      preparedAt: '2025-03-06T00:00:00Z',
      signoffs: [...signed.signoffs, { level: 'reviewed' as const, userId: 2, signedAt: '2025-03-07T00:00:00Z' }],
    };
    expect(workpaperState(resigned)).toBe('reviewed');
  });
  it('is stale exactly when some sign-off predates the latest change', () => {
    const iso = fc
      .integer({ min: 0, max: 1000 })
      .map((d) => new Date(Date.UTC(2025, 0, 1) + d * 3_600_000).toISOString());
    fc.assert(
      fc.property(iso, iso, fc.option(iso, { nil: undefined }), (changed, prepared, reviewed) => {
        const facts = {
          ...base,
          changedAt: changed,
          preparedAt: prepared,
          signoffs: reviewed ? [{ level: 'reviewed' as const, userId: 2, signedAt: reviewed }] : [],
        };
        const stale = isStale(prepared, changed) || (!!reviewed && isStale(reviewed, changed));
        expect(workpaperState(facts) === 'stale').toBe(stale);
      }),
    );
  });
});

describe('signoffProblem', () => {
  it('keeps segregation of duties: the preparer never reviews', () => {
    expect(
      signoffProblem({ level: 'reviewed', userId: 1, role: 'partner', facts: base, openNotes: 0, work: [] }),
    ).toMatch(/preparer cannot review/);
    expect(
      signoffProblem({ level: 'reviewed', userId: 2, role: 'senior', facts: base, openNotes: 0, work: [] }),
    ).toBeNull();
    expect(
      signoffProblem({ level: 'reviewed', userId: 2, role: 'staff', facts: base, openNotes: 0, work: [] }),
    ).toMatch(/senior or above/);
  });
  it('is blocked by open notes and by a stale preparation', () => {
    expect(
      signoffProblem({ level: 'reviewed', userId: 2, role: 'senior', facts: base, openNotes: 2, work: [] }),
    ).toMatch(/2 review notes are still open/);
    expect(
      signoffProblem({
        level: 'reviewed',
        userId: 2,
        role: 'senior',
        facts: { ...base, changedAt: '2025-03-09T00:00:00Z' },
        openNotes: 0,
        work: [],
      }),
    ).toMatch(/prepared \(again/);
  });
  it('asks a manager or partner for the second level, after the first and by someone else', () => {
    const first = { ...base, signoffs: [{ level: 'reviewed' as const, userId: 2, signedAt: '2025-03-03T00:00:00Z' }] };
    expect(
      signoffProblem({ level: 'second-review', userId: 3, role: 'senior', facts: first, openNotes: 0, work: [] }),
    ).toMatch(/manager or the engagement partner/);
    expect(
      signoffProblem({ level: 'second-review', userId: 3, role: 'manager', facts: base, openNotes: 0, work: [] }),
    ).toMatch(/first-level review comes before/);
    expect(
      signoffProblem({ level: 'second-review', userId: 2, role: 'manager', facts: first, openNotes: 0, work: [] }),
    ).toMatch(/someone other than the first reviewer/);
    expect(
      signoffProblem({ level: 'second-review', userId: 3, role: 'partner', facts: first, openNotes: 0, work: [] }),
    ).toBeNull();
  });
  it('never lets anyone sign for work they prepared, whatever else holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('reviewed', 'second-review'),
        fc.constantFrom('staff', 'senior', 'manager', 'partner', 'eqr'),
        fc.nat(3),
        (level, role, notes) => {
          expect(
            signoffProblem({
              level: level as 'reviewed',
              userId: 1,
              role: role as 'senior',
              facts: base,
              openNotes: notes,
              work: [],
            }),
          ).not.toBeNull();
        },
      ),
    );
  });
});

describe('reviewerIndependenceProblem', () => {
  const work: RecordedWork[] = [
    { userId: 2, kind: 'result', entries: 119 },
    { userId: 2, kind: 'conclusion', entries: 1 },
    { userId: 1, kind: 'result', entries: 1 },
  ];
  it('refuses a reviewer who recorded results and the conclusion, whoever pressed Prepared, and names what they did', () => {
    expect(reviewerIndependenceProblem(2, work)).toBe(
      'You recorded test results (119 entries) and the conclusion or its wording on this workpaper, so you cannot review it: a reviewer must have done none of the work, whoever marked it prepared.',
    );
    expect(signoffProblem({ level: 'reviewed', userId: 2, role: 'senior', facts: base, openNotes: 0, work })).toMatch(
      /^You recorded test results \(119 entries\)/,
    );
  });
  it('lets in whoever recorded none of it', () => {
    expect(reviewerIndependenceProblem(3, work)).toBeNull();
    expect(
      signoffProblem({ level: 'reviewed', userId: 3, role: 'manager', facts: base, openNotes: 0, work }),
    ).toBeNull();
  });
  it('counts every kind of work, one entry being enough, at either level of review', () => {
    for (const kind of WORK_KINDS) {
      const one = [{ userId: 3, kind, entries: 1 }];
      expect(reviewerIndependenceProblem(3, one), kind).toMatch(/^You recorded (a|an|the|notes,) /);
      const first = {
        ...base,
        signoffs: [{ level: 'reviewed' as const, userId: 2, signedAt: '2025-03-03T00:00:00Z' }],
      };
      expect(
        signoffProblem({ level: 'second-review', userId: 3, role: 'partner', facts: first, openNotes: 0, work: one }),
        kind,
      ).toMatch(/cannot review it/);
    }
  });
  it('refuses exactly those who appear in the work, for any record of who did what', () => {
    const entry = fc.record({
      userId: fc.integer({ min: 1, max: 6 }),
      kind: fc.constantFrom(...WORK_KINDS),
      entries: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.integer({ min: 1, max: 6 }), (recorded, reviewer) => {
        expect(reviewerIndependenceProblem(reviewer, recorded) !== null).toBe(
          recorded.some((w) => w.userId === reviewer),
        );
      }),
    );
  });
});

describe('qualityReviewProblem', () => {
  const reviewer = { userId: 7, since: '2025-06-01T00:00:00.000Z' };
  it('asks for nothing when the team has no quality reviewer', () => {
    expect(qualityReviewProblem({ reviewers: [], signature: null })).toBeNull();
    expect(
      qualityReviewProblem({ reviewers: [], signature: { userId: 3, signedAt: '2025-07-01T00:00:00.000Z' } }),
    ).toBeNull();
  });
  it('waits for the appointed reviewer’s signature', () => {
    expect(qualityReviewProblem({ reviewers: [reviewer], signature: null })).toBe(
      'The engagement quality reviewer has not signed off.',
    );
    expect(
      qualityReviewProblem({ reviewers: [reviewer], signature: { userId: 7, signedAt: '2025-07-01T00:00:00.000Z' } }),
    ).toBeNull();
  });
  it('does not count a signature by someone who has left the role (the manager who appointed themselves, signed and stepped back)', () => {
    expect(
      qualityReviewProblem({ reviewers: [reviewer], signature: { userId: 3, signedAt: '2025-07-01T00:00:00.000Z' } }),
    ).toMatch(/signed by someone who is not the engagement quality reviewer now/);
  });
  it('does not count a signature given before the current appointment, or when the appointment’s date is unknown', () => {
    expect(
      qualityReviewProblem({ reviewers: [reviewer], signature: { userId: 7, signedAt: '2025-05-31T23:59:59.999Z' } }),
    ).toMatch(/signed before the current appointment/);
    expect(
      qualityReviewProblem({
        reviewers: [{ userId: 7, since: null }],
        signature: { userId: 7, signedAt: '2025-07-01T00:00:00.000Z' },
      }),
    ).toMatch(/signed before the current appointment/);
  });
  it('counts a signature exactly when its signer is a reviewer now and signed since their appointment', () => {
    const iso = fc
      .integer({ min: 0, max: 1000 })
      .map((d) => new Date(Date.UTC(2025, 0, 1) + d * 3_600_000).toISOString());
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ userId: fc.integer({ min: 1, max: 4 }), since: iso }), {
          minLength: 1,
          maxLength: 3,
          selector: (r) => r.userId,
        }),
        fc.integer({ min: 1, max: 4 }),
        iso,
        (reviewers, signer, signedAt) => {
          const counts = reviewers.some((r) => r.userId === signer && r.since <= signedAt);
          expect(qualityReviewProblem({ reviewers, signature: { userId: signer, signedAt } }) === null).toBe(counts);
        },
      ),
    );
  });
});

describe('currentSignoffs', () => {
  it('keeps the latest sign-off per level', () => {
    const c = currentSignoffs([
      { level: 'reviewed', userId: 2, signedAt: '2025-01-01' },
      { level: 'reviewed', userId: 3, signedAt: '2025-02-01' },
    ]);
    expect(c.reviewed?.userId).toBe(3);
  });
});

describe('mayClearNote', () => {
  it('lets the author or someone more senior clear a note', () => {
    expect(mayClearNote({ authorId: 5, authorRole: 'senior' }, { id: 5, role: 'senior' })).toBe(true);
    expect(mayClearNote({ authorId: 5, authorRole: 'senior' }, { id: 6, role: 'manager' })).toBe(true);
    expect(mayClearNote({ authorId: 5, authorRole: 'senior' }, { id: 7, role: 'senior' })).toBe(false);
    expect(mayClearNote({ authorId: 5, authorRole: 'manager' }, { id: 8, role: 'staff' })).toBe(false);
    expect(mayClearNote({ authorId: 5, authorRole: 'partner' }, { id: 9, role: 'eqr' })).toBe(false);
  });
});
