import { and, asc, count, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { managementAssertions, users } from '../../db/schema/index.js';
import { assertionLabel, assertionMissing, assertionNoun, type EngagementAssertion } from '../../domain/assertion.js';
import type { Framework } from '../../domain/criteria.js';

export type AssertionRow = typeof managementAssertions.$inferSelect;
export type AssertionWithRecorder = AssertionRow & { recordedByName: string };

/** The assertion in force: the latest recorded, none superseded it. */
export function currentAssertion(db: Tx, engagementId: number): AssertionRow | null {
  return (
    db
      .select()
      .from(managementAssertions)
      .where(and(eq(managementAssertions.engagementId, engagementId), isNull(managementAssertions.supersededAt)))
      .orderBy(desc(managementAssertions.id))
      .get() ?? null
  );
}

/** Every assertion recorded on the engagement, oldest first, with who recorded it. */
export function assertionHistory(db: Tx, engagementId: number): AssertionWithRecorder[] {
  return db
    .select({ row: managementAssertions, recordedByName: users.name })
    .from(managementAssertions)
    .innerJoin(users, eq(users.id, managementAssertions.recordedBy))
    .where(eq(managementAssertions.engagementId, engagementId))
    .orderBy(asc(managementAssertions.id))
    .all()
    .map(({ row, recordedByName }) => ({ ...row, recordedByName }));
}

export function assertionFile(db: Tx, engagementId: number, id: number): AssertionRow | null {
  return (
    db
      .select()
      .from(managementAssertions)
      .where(and(eq(managementAssertions.id, id), eq(managementAssertions.engagementId, engagementId)))
      .get() ?? null
  );
}

/** The form's version: how many assertions were recorded (each recording adds one row; 0: none yet). */
export function assertionVersion(db: Tx, engagementId: number): number {
  return (
    db
      .select({ n: count() })
      .from(managementAssertions)
      .where(eq(managementAssertions.engagementId, engagementId))
      .get()?.n ?? 0
  );
}

/** What the pure check and the approval blocker read. */
export function engagementAssertion(
  db: Tx,
  engagement: { id: number; framework: Framework },
): EngagementAssertion & { assertion: AssertionRow | null } {
  return { framework: engagement.framework, assertion: currentAssertion(db, engagement.id) };
}

export interface AssertionSummary {
  label: string;
  noun: string;
  current: AssertionRow | null;
  missing: boolean;
}

/** What the engagement and opinion pages show of it. */
export function assertionSummary(db: Tx, engagement: { id: number; framework: Framework }): AssertionSummary {
  const facts = engagementAssertion(db, engagement);
  return {
    label: assertionLabel(engagement.framework),
    noun: assertionNoun(engagement.framework),
    current: facts.assertion,
    missing: assertionMissing(facts),
  };
}
