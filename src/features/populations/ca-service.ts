// A population's completeness and accuracy record: saved (which reopens it), completed on a tie-out that holds
// or is explained, or marked not needed with a reason; each write is audited column by column.
import { eq } from 'drizzle-orm';
import { changesNothing, recordWrite } from '../../core/audit/record.js';
import type { Changes } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { RuleError } from '../../core/errors.js';
import { assertBasedOn } from '../../core/http/versions.js';
import type { Db } from '../../db/connection.js';
import { caEvidence, populations } from '../../db/schema/index.js';
import { caCompletionProblems, tieOutFails } from '../../domain/completeness-accuracy.js';
import type { PopulationRow } from './queries.js';
import { tieOut } from './tie-out.js';

export interface CaInput {
  sourceSystem: string;
  reportUsed: string;
  extractedBy: string;
  extractedOn: string | null;
  clientCount: number | null;
  clientTotal: string | null;
  procedures: string;
  tieOutExplanation: string;
}

type CaRow = typeof caEvidence.$inferSelect;

/** The trail entry of a write to the population's C&A record, in the caller's transaction. */
function recordCa(
  tx: Db,
  actor: CurrentUser,
  population: PopulationRow,
  change: { before: CaRow | null; after: CaRow; action: 'update' | 'complete' | 'not-needed'; also?: Changes },
): void {
  recordWrite(tx, actor.id, {
    table: caEvidence,
    entity: 'population-ca',
    entityId: population.id,
    engagementId: population.engagementId,
    ...change,
  });
}

/** Creates the record on its first save, else updates it. */
function upsertCa(tx: Db, population: PopulationRow, values: Omit<typeof caEvidence.$inferInsert, 'populationId'>) {
  return tx
    .insert(caEvidence)
    .values({ populationId: population.id, ...values })
    .onConflictDoUpdate({ target: caEvidence.populationId, set: values })
    .returning()
    .get();
}

/** Saving the record reopens it: a completion or a "not needed" was decided on what it said before. */
const REOPENED = { completedBy: null, completedAt: null, notNeededReason: null, notNeededBy: null, notNeededAt: null };

/** `basedOn`: the record's version the form showed (0: none yet); a save based on an older one is refused. */
export function saveCa(db: Db, actor: CurrentUser, population: PopulationRow, input: CaInput, basedOn: number): void {
  db.transaction((tx) => {
    const before = tx.select().from(caEvidence).where(eq(caEvidence.populationId, population.id)).get() ?? null;
    assertBasedOn(before?.version, basedOn);
    const values = { ...input, updatedAt: new Date().toISOString(), ...REOPENED };
    if (changesNothing(caEvidence, before, values)) return;
    recordCa(tx, actor, population, { before, after: upsertCa(tx, population, values), action: 'update' });
  });
}

function currentPopulation(tx: Db, population: PopulationRow): PopulationRow {
  const now = tx.select().from(populations).where(eq(populations.id, population.id)).get();
  if (!now || now.status === 'replaced') throw new RuleError('This population was replaced meanwhile.');
  if (now.status === 'importing' || (now.kind === 'transaction' && !now.mapping))
    throw new RuleError(
      'Map the columns and import the list first: the tie-out compares the client’s figures with the import.',
    );
  return now;
}

/** Completes the record the user saw (`basedOn`): not one changed by someone else since, nor one with anything missing. */
export function completeCa(db: Db, actor: CurrentUser, population: PopulationRow, basedOn: number): void {
  db.transaction((tx) => {
    const ca = tx.select().from(caEvidence).where(eq(caEvidence.populationId, population.id)).get();
    assertBasedOn(ca?.version, basedOn);
    const now = currentPopulation(tx, population);
    const problems = caCompletionProblems(ca ?? null, ca ? tieOut(now, ca) : null);
    if (problems.length > 0) throw new RuleError(problems.join(' '));
    const at = new Date().toISOString();
    const after = tx
      .update(caEvidence)
      .set({ completedBy: actor.id, completedAt: at, notNeededReason: null, notNeededBy: null, notNeededAt: null })
      .where(eq(caEvidence.populationId, population.id))
      .returning()
      .get()!;
    // A failed tie-out is completed on its explanation: the entry says which one it rested on.
    const also: Changes = tieOutFails(tieOut(now, ca!)) ? { tieOutExplanation: [null, ca!.tieOutExplanation] } : {};
    recordCa(tx, actor, population, { before: ca!, after, action: 'complete', also });
  });
}

/** A senior's decision that this list needs no C&A work (the reason is shown wherever the C&A is, for review). */
export function markCaNotNeeded(
  db: Db,
  actor: CurrentUser,
  population: PopulationRow,
  reason: string,
  basedOn: number,
): void {
  db.transaction((tx) => {
    const ca = tx.select().from(caEvidence).where(eq(caEvidence.populationId, population.id)).get() ?? null;
    assertBasedOn(ca?.version, basedOn);
    if (population.kind !== 'transaction')
      throw new RuleError('Generated occurrences need no completeness and accuracy work.');
    if (ca?.completedAt) throw new RuleError('Completeness and accuracy is already complete.');
    const at = new Date().toISOString();
    const values = { notNeededReason: reason, notNeededBy: actor.id, notNeededAt: at, updatedAt: at };
    recordCa(tx, actor, population, { before: ca, after: upsertCa(tx, population, values), action: 'not-needed' });
  });
}
