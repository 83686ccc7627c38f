import { frameHash } from './frame.js';
import { RuleError } from '../../core/errors.js';
import { and, eq, inArray } from 'drizzle-orm';
import type { Connection, Db } from '../../db/connection.js';
import { populations, samples } from '../../db/schema/index.js';
import { splitAtDate } from '../../domain/periods.js';
import { PERIODIC_FREQUENCIES, type DateRange, type PeriodicFrequency } from '../../domain/types.js';
import { appendAudit } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { insertItems } from './item-writer.js';
import { periodicItems, type OccurrenceBasis } from './periodic.js';
import { livePopulations, type ControlRow, type PopulationRow } from './queries.js';
import { occurrenceBasis } from './occurrence-basis.js';
import type { StoredBlob } from '../../core/files/storage.js';

/** The windows a control is tested over: the period from implementation, split at a change date. */
export function controlWindows(engagement: EngagementRow, control: ControlRow): { label: string; window: DateRange }[] {
  const start = control.implementedFrom > engagement.periodStart ? control.implementedFrom : engagement.periodStart;
  const whole = { start, end: engagement.periodEnd };
  if (control.changedOn && control.changedOn > whole.start && control.changedOn <= whole.end) {
    const [before, after] = splitAtDate(whole, control.changedOn);
    return [
      { label: 'Before the change', window: before },
      { label: 'After the change', window: after },
    ];
  }
  return [{ label: 'Whole period', window: whole }];
}

export function isPeriodic(frequency: string): frequency is PeriodicFrequency {
  return (PERIODIC_FREQUENCIES as readonly string[]).includes(frequency);
}

function assertReplaceable(db: Db, controlId: number, window: DateRange): void {
  const live = livePopulations(db, controlId).find((p) => p.windowStart === window.start && p.windowEnd === window.end);
  if (live?.status === 'frozen')
    throw new RuleError(
      'This window already has a frozen population. Replace it (with a reason) before adding another.',
    );
}

export interface UploadDraft {
  file: string;
  kind: 'csv' | 'xlsx';
  sourceFile: string;
  /** The upload as stored in the evidence store (see storeSourceFile); the upload route and the demo always give
   * it, test fixtures that build a population directly may not. */
  source?: StoredBlob;
  columns: string[];
  windowIndex: number;
}

/** A newly uploaded file becomes a draft population (no items until its mapping is run). */
export function createUploadedPopulation(
  db: Db,
  actor: CurrentUser,
  engagement: EngagementRow,
  control: ControlRow,
  draft: UploadDraft,
): PopulationRow {
  const target = controlWindows(engagement, control)[draft.windowIndex];
  if (!target) throw new RuleError('Choose the part of the period this population covers.');
  return db.transaction((tx) => {
    assertReplaceable(tx, control.id, target.window);
    for (const old of livePopulations(tx, control.id).filter(
      (p) => p.status === 'draft' && p.windowStart === target.window.start,
    )) {
      tx.update(populations)
        .set({
          status: 'replaced',
          replacedAt: new Date().toISOString(),
          replacedBy: actor.id,
          replacedReason: 'Superseded by a new upload before sampling',
        })
        .where(eq(populations.id, old.id))
        .run();
    }
    const row = tx
      .insert(populations)
      .values({
        engagementId: engagement.id,
        controlId: control.id,
        kind: 'transaction',
        status: 'draft',
        label: target.label,
        windowStart: target.window.start,
        windowEnd: target.window.end,
        sourceFile: draft.sourceFile,
        sourceSha256: draft.source?.sha256 ?? null,
        sourceSize: draft.source?.size ?? null,
        uploadPath: draft.file,
        uploadKind: draft.kind,
        columns: draft.columns,
        createdAt: new Date().toISOString(),
        createdBy: actor.id,
      })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId: engagement.id,
      entity: 'population',
      entityId: row.id,
      action: 'upload',
      changes: {
        controlId: [null, control.id],
        sourceFile: [null, draft.sourceFile],
        sourceSha256: [null, draft.source?.sha256 ?? null],
        window: [null, `${target.window.start}..${target.window.end}`],
      },
    });
    return row;
  });
}

/** What the trail keeps of a daily control's generation: its calendar and the holidays it left out. */
function dailyBasis(basis: OccurrenceBasis, window: DateRange): Record<string, [null, unknown]> {
  if (basis.calendar === 'every-day') return { calendar: [null, basis.calendar] };
  return {
    calendar: [null, basis.calendar],
    holidays: [null, basis.holidays.filter((d) => d >= window.start && d <= window.end)],
  };
}

/** Generates the occurrences of a periodic control, one population per window, replacing unsampled drafts. */
export function generatePeriodicPopulations(
  conn: Connection,
  actor: CurrentUser,
  engagement: EngagementRow,
  control: ControlRow,
): PopulationRow[] {
  const frequency = control.frequency;
  if (!isPeriodic(frequency))
    throw new RuleError(
      'Only controls of a fixed frequency (annual to daily) have generated populations; import the items of this control.',
    );
  const basis = occurrenceBasis(conn.db, engagement, control);
  return conn.db.transaction((tx) => {
    const created: PopulationRow[] = [];
    for (const { label, window } of controlWindows(engagement, control)) {
      assertReplaceable(tx, control.id, window);
      for (const old of livePopulations(tx, control.id).filter(
        (p) => p.status === 'draft' && p.windowStart === window.start,
      )) {
        tx.update(populations)
          .set({
            status: 'replaced',
            replacedAt: new Date().toISOString(),
            replacedBy: actor.id,
            replacedReason: 'Regenerated before sampling',
          })
          .where(eq(populations.id, old.id))
          .run();
      }
      const row = tx
        .insert(populations)
        .values({
          engagementId: engagement.id,
          controlId: control.id,
          kind: 'periodic',
          status: 'draft',
          label,
          windowStart: window.start,
          windowEnd: window.end,
          createdAt: new Date().toISOString(),
          createdBy: actor.id,
        })
        .returning()
        .get();
      const items = periodicItems(row.id, frequency, window, basis);
      insertItems(conn.sqlite, items);
      const partial = items.filter((i) => i.partial).length;
      const updated = tx
        .update(populations)
        .set({ rowCount: items.length, sampleableCount: items.length })
        .where(eq(populations.id, row.id))
        .returning()
        .get();
      appendAudit(tx, actor.id, {
        engagementId: engagement.id,
        entity: 'population',
        entityId: row.id,
        action: 'generate',
        changes: {
          frequency: [null, frequency],
          ...(frequency === 'daily' ? dailyBasis(basis, window) : {}),
          window: [null, `${window.start}..${window.end}`],
          occurrences: [null, items.length],
          partial: [null, partial],
        },
      });
      created.push(updated);
    }
    return created;
  });
}

/** A frame's hash and count, and the revision of the items it was read from. */
export interface HashedFrame {
  hash: string;
  count: number;
  itemsRevision: number;
}

/** Hashes the population's frame a step at a time, before the transaction that freezes it. */
export async function hashFrame(conn: Connection, population: PopulationRow): Promise<HashedFrame> {
  const { hash, count } = await frameHash(conn.sqlite, population.id);
  return { hash, count, itemsRevision: population.itemsRevision };
}

/**
 * Freezing keeps the hash of the sampling frame; from then on the population cannot change. The frame is hashed
 * beforehand, a step at a time (hashFrame); if the items were replaced since, nothing is frozen.
 */
export function freezePopulation(
  conn: Connection,
  actorId: number,
  population: PopulationRow,
  frame: HashedFrame | null,
): PopulationRow {
  if (population.status === 'frozen') return population;
  if (population.status !== 'draft') throw new RuleError('Only a checked population can be sampled.');
  if (population.sampleableCount === 0) throw new RuleError('The population has no items that can be sampled.');
  if (!frame || frame.itemsRevision !== population.itemsRevision || frame.count !== population.sampleableCount)
    throw new RuleError('The population changed while it was being frozen; reload and try again.');
  const { hash } = frame;
  const frozen = conn.db
    .update(populations)
    .set({ status: 'frozen', contentHash: hash, frozenAt: new Date().toISOString(), frozenBy: actorId })
    .where(
      and(
        eq(populations.id, population.id),
        eq(populations.status, 'draft'),
        eq(populations.itemsRevision, population.itemsRevision),
      ),
    )
    .returning()
    .get();
  if (!frozen) throw new RuleError('The population changed while it was being frozen; reload and try again.');
  appendAudit(conn.db, actorId, {
    engagementId: population.engagementId,
    entity: 'population',
    entityId: population.id,
    action: 'freeze',
    changes: { status: ['draft', 'frozen'], contentHash: [null, hash] },
  });
  return frozen;
}

/** A frozen population is never edited: it is replaced, with a reason, and its selection discarded. */
export function replacePopulation(db: Db, actor: CurrentUser, population: PopulationRow, reason: string): void {
  db.transaction((tx) => {
    const now = new Date().toISOString();
    tx.update(populations)
      .set({ status: 'replaced', replacedAt: now, replacedBy: actor.id, replacedReason: reason })
      .where(eq(populations.id, population.id))
      .run();
    const discarded = tx
      .update(samples)
      .set({ status: 'discarded', discardedReason: `Population replaced: ${reason}` })
      .where(and(eq(samples.populationId, population.id), inArray(samples.status, ['active', 'pending'])))
      .returning({ id: samples.id })
      .all();
    appendAudit(tx, actor.id, {
      engagementId: population.engagementId,
      entity: 'population',
      entityId: population.id,
      action: 'replace',
      changes: {
        status: [population.status, 'replaced'],
        reason: [null, reason],
        discardedSamples: [null, discarded.map((s) => s.id)],
      },
    });
  });
}
