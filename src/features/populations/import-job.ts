// Runs a population import from a stored upload: streamed, checked row by row, written in batches while the
// population is marked `importing`, and made visible in one final transaction — all or nothing.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Connection, Db, Tx } from '../../db/connection.js';
import { caEvidence, populationItems, populations, type ColumnMapping } from '../../db/schema/index.js';
import { checkRow, isSampleable, type IssueKind } from '../../domain/population-checks.js';
import type { DateRange } from '../../domain/types.js';
import { appendAudit } from '../../core/audit/trail.js';
import { getEngagement } from '../../core/engagement/queries.js';
import { EngagementJobs } from '../../core/engagement/jobs.js';
import { ExtraColumnsWriter } from './extra-columns.js';
import { abandon } from './import-abandon.js';
import { insertItems, type ItemValues } from './item-writer.js';
import { spreadsheetRows, UnreadableFileError, type SpreadsheetKind } from '../../core/files/spreadsheet-rows.js';
import { RuleError } from '../../core/errors.js';

export const MAX_POPULATION_ROWS = 1_500_000;
const BATCH = 5_000;

export interface ImportProgress {
  rows: number;
  done: boolean;
  error: string | null;
}

export interface ImportRequest {
  populationId: number;
  engagementId: number;
  userId: number;
  file: string;
  kind: SpreadsheetKind;
  mapping: ColumnMapping;
  window: DateRange;
  /** How the import is named to someone it holds up ("the import of changes.csv for CC8.1-01"). */
  description?: string;
}

type ItemRow = ItemValues;

interface Totals {
  rows: number;
  sampleable: number;
  issues: number;
  amount: bigint;
}

/** In-memory progress of running imports, read by the progress page; each is a job of its engagement. */
export class ImportJobs {
  private readonly jobs = new Map<number, ImportProgress>();

  constructor(private readonly engagementJobs = new EngagementJobs()) {}

  get(populationId: number): ImportProgress | undefined {
    return this.jobs.get(populationId);
  }

  isRunning(populationId: number): boolean {
    const job = this.jobs.get(populationId);
    return !!job && !job.done;
  }

  /** Starts the import and returns at once; the promise settles when it is finished (tests await it). */
  start(conn: Connection, request: ImportRequest): Promise<ImportProgress> {
    const progress: ImportProgress = { rows: 0, done: false, error: null };
    this.jobs.set(request.populationId, progress);
    const end = this.engagementJobs.begin(
      request.engagementId,
      request.description ?? `the import of population ${request.populationId}`,
    );
    return runImport(conn, request, progress).finally(() => {
      progress.done = true;
      end();
    });
  }
}

function cell(row: string[], index: number | null): string {
  return index === null ? '' : (row[index] ?? '');
}

/** The item's date: its own cell, or the one as-at date (ISO, whatever the file's format) of a configuration listing. */
function dateOf(row: string[], mapping: ColumnMapping): string {
  return mapping.date === null ? (mapping.asAt ?? '') : cell(row, mapping.date);
}

function toItem(
  populationId: number,
  rowNumber: number,
  position: number | null,
  row: string[],
  mapping: ColumnMapping,
  extra: ExtraColumnsWriter,
  check: ReturnType<typeof checkRow>,
  issues: IssueKind[],
): ItemRow {
  return {
    populationId,
    rowNumber,
    position,
    key: check.key,
    itemDate: check.date,
    description: cell(row, mapping.description).trim(),
    amount: check.amount === null ? null : check.amount.toString(),
    issues: issues.join(','),
    extra: extra.valuesOf(row),
  };
}

async function runImport(conn: Connection, req: ImportRequest, progress: ImportProgress): Promise<ImportProgress> {
  const { db } = conn;
  const population = db.select().from(populations).where(eq(populations.id, req.populationId)).get();
  const columns = population?.columns ?? [];
  db.transaction((tx) => {
    tx.delete(populationItems).where(eq(populationItems.populationId, req.populationId)).run();
    tx.update(populations)
      .set({
        status: 'importing',
        importError: null,
        mapping: req.mapping,
        itemsRevision: sql`${populations.itemsRevision} + 1`,
      })
      .where(eq(populations.id, req.populationId))
      .run();
  });
  const totals: Totals = { rows: 0, sampleable: 0, issues: 0, amount: 0n };
  const extra = new ExtraColumnsWriter(req.mapping, columns);
  try {
    await streamInto(conn, req, extra, totals, progress);
    finish(db, req, totals, extra.names());
  } catch (err) {
    // A refusal (the file, its size, the engagement locked meanwhile) is said to the user; anything else is a fault.
    const expected = err instanceof RuleError;
    const message = expected ? err.message : 'The import failed unexpectedly; nothing was kept.';
    progress.error = message;
    abandon(db, req.populationId, message, req.userId);
    if (!expected) throw err;
  }
  return progress;
}

/** An import stopped for a reason the person who ran it is told (too many rows, the engagement locked). */
const importStopped = (message: string) => new RuleError(message, { field: 'file' });

/** Refuses to write on once the engagement is locked or archived: approval or archiving won the race. */
function assertEngagementOpen(db: Tx, engagementId: number): void {
  const engagement = getEngagement(db, engagementId);
  if (engagement?.archivedAt)
    throw importStopped(
      `The engagement was archived on ${engagement.archivedAt.slice(0, 10)} while the file was being imported; nothing was kept.`,
    );
  if (engagement?.lockedAt)
    throw importStopped(
      `The opinion was approved and the engagement locked on ${engagement.lockedAt.slice(0, 10)} while the file was being imported; nothing was kept.`,
    );
}

async function streamInto(
  conn: Connection,
  req: ImportRequest,
  extra: ExtraColumnsWriter,
  totals: Totals,
  progress: ImportProgress,
): Promise<void> {
  const seen = new Set<string>();
  let batch: ItemRow[] = [];
  let rowNumber = 0;
  const flush = async () => {
    const rows = batch;
    batch = [];
    assertEngagementOpen(conn.db, req.engagementId);
    insertItems(conn.sqlite, rows);
    progress.rows = totals.rows;
    await yieldToEventLoop();
  };
  for await (const row of spreadsheetRows(req.file, req.kind)) {
    rowNumber++;
    if (rowNumber === 1 && req.mapping.header) continue;
    if (row.every((v) => v.trim() === '')) continue;
    if (++totals.rows > MAX_POPULATION_ROWS)
      throw importStopped(
        `The file has more than ${MAX_POPULATION_ROWS.toLocaleString('en-US')} rows; split it by period.`,
      );
    const check = checkRow(
      {
        key: cell(row, req.mapping.key),
        date: dateOf(row, req.mapping),
        amount: req.mapping.amount === null ? null : cell(row, req.mapping.amount),
      },
      req.window,
      req.mapping.date === null ? 'iso' : req.mapping.dateFormat,
      seen,
    );
    const sampleable = isSampleable(check.issues);
    if (check.issues.length > 0) totals.issues++;
    if (check.amount !== null) totals.amount += check.amount;
    batch.push(
      toItem(
        req.populationId,
        rowNumber,
        sampleable ? totals.sampleable++ : null,
        row,
        req.mapping,
        extra,
        check,
        check.issues,
      ),
    );
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  if (totals.rows === 0) throw new UnreadableFileError('The file has no data rows.');
}

function finish(db: Db, req: ImportRequest, totals: Totals, extraColumns: string[]): void {
  db.transaction((tx) => {
    assertEngagementOpen(tx, req.engagementId);
    tx.update(populations)
      .set({
        status: 'draft',
        extraColumns,
        rowCount: totals.rows,
        sampleableCount: totals.sampleable,
        issueCount: totals.issues,
        amountTotal: totals.amount.toString(),
      })
      .where(eq(populations.id, req.populationId))
      .run();
    appendAudit(tx, req.userId, {
      engagementId: req.engagementId,
      entity: 'population',
      entityId: req.populationId,
      action: 'import',
      changes: {
        rowCount: [null, totals.rows],
        sampleableCount: [null, totals.sampleable],
        issueCount: [null, totals.issues],
        amountTotal: [null, totals.amount.toString()],
        mapping: [null, req.mapping],
      },
    });
    reopenCompletedCa(tx, req);
  });
}

/** A C&A completed against an earlier import tied out other figures: the new import reopens it. */
function reopenCompletedCa(tx: Tx, req: ImportRequest): void {
  const ca = tx
    .select({ completedAt: caEvidence.completedAt })
    .from(caEvidence)
    .where(and(eq(caEvidence.populationId, req.populationId), isNotNull(caEvidence.completedAt)))
    .get();
  if (!ca) return;
  tx.update(caEvidence)
    .set({ completedBy: null, completedAt: null })
    .where(eq(caEvidence.populationId, req.populationId))
    .run();
  appendAudit(tx, req.userId, {
    engagementId: req.engagementId,
    entity: 'population-ca',
    entityId: req.populationId,
    action: 'reopen',
    changes: { completedAt: [ca.completedAt, null], reason: [null, 'The list was imported again with a new mapping.'] },
  });
}
