// Marking the test grid: each cell saved with the version it was based on, never overwriting someone else's mark.
import { RuleError } from '../../core/errors.js';
import type { Connection } from '../../db/connection.js';
import type { CellResult } from '../../domain/workpaper.js';
import { recordWrite } from '../../core/audit/record.js';
import { appendAudit } from '../../core/audit/trail.js';
import { testResults } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { itemsOfSample, type SampledItem } from '../sampling/index.js';
import type { Page } from '../../core/http/paging.js';
import { gridItemsByIds, gridItemsPage, resultsOfItems } from './grid-queries.js';
import { cellStatements, type CellStatements, type TestResultRow } from './queries.js';
import { assertWritable, type WorkpaperScope } from './scope.js';
import { ensureWorkpaper } from './workpaper-row.js';

export interface CellInput {
  sampleItemId: number;
  attribute: string;
  result: CellResult | null;
  naReason: string;
  /** The cell's version the mark was based on: 0 for a cell never marked. */
  version: number;
}

export type CellOutcome =
  | { status: 'saved'; cell: TestResultRow | null }
  | { status: 'conflict'; current: TestResultRow; attempted: CellInput };

/** The item's key when the cell belongs to this workpaper's sample and plan; refuses it otherwise. */
function keyOfCell(q: CellStatements, scope: WorkpaperScope, input: CellInput): string {
  if (!scope.sample) throw new RuleError('Nothing was sampled for this window.');
  const item = q.itemKey.get(input.sampleItemId);
  if (!item || item.sampleId !== scope.sample.id) throw new RuleError('That item is not in this sample.');
  if (item.replacedBy !== null)
    throw new RuleError(
      `Item ${item.key} was replaced by ${item.replacedBy}: it was not an occurrence of the control, and its marks stay as they are, as documentation.`,
    );
  if (!scope.attributes.some((a) => a.letter === input.attribute))
    throw new RuleError(`Attribute ${input.attribute} is not in the test plan.`);
  if (input.result === 'na' && !input.naReason.trim())
    throw new RuleError('Say why the attribute is not applicable to this item.', { field: 'naReason' });
  return item.key;
}

/** Writes one mark; the row is rebuilt here rather than read back (RETURNING costs a third of the write). */
function writeCell(
  q: CellStatements,
  wp: { id: number },
  actor: CurrentUser,
  input: CellInput,
  before: TestResultRow | undefined,
  now: string,
): TestResultRow {
  const naReason = input.result === 'na' ? input.naReason.trim() : '';
  if (before) {
    const version = before.version + 1;
    q.updateResult.run(input.result, naReason, version, actor.id, now, before.id);
    return { ...before, result: input.result, naReason, version, updatedBy: actor.id, updatedAt: now };
  }
  const { lastInsertRowid } = q.insertResult.run(
    wp.id,
    input.sampleItemId,
    input.attribute,
    input.result,
    naReason,
    actor.id,
    now,
  );
  return {
    id: Number(lastInsertRowid),
    workpaperId: wp.id,
    sampleItemId: input.sampleItemId,
    attribute: input.attribute,
    result: input.result,
    naReason,
    version: 1,
    updatedBy: actor.id,
    updatedAt: now,
  };
}

const unchanged = (before: TestResultRow | undefined, input: CellInput) =>
  (before?.result ?? null) === input.result && (input.result !== 'na' || before?.naReason === input.naReason.trim());

type SaveCells = (actor: CurrentUser, scope: WorkpaperScope, inputs: readonly CellInput[]) => CellOutcome[];
const compiled = new WeakMap<Connection['sqlite'], SaveCells>();

function checkedWrites(conn: Connection, q: CellStatements): SaveCells {
  return (actor, scope, inputs) => {
    assertWritable(scope);
    const keys = inputs.map((input) => keyOfCell(q, scope, input));
    const befores = inputs.map((input) => q.result.get(input.sampleItemId, input.attribute));
    const conflicts = inputs.flatMap((input, i) => {
      const current = befores[i];
      return (current?.version ?? 0) !== input.version && !unchanged(current, input)
        ? [{ status: 'conflict' as const, current: current!, attempted: input }]
        : [];
    });
    if (conflicts.some((c) => !c.current)) throw new RuleError('That cell no longer exists.');
    if (conflicts.length > 0) return conflicts;
    if (inputs.every((input, i) => unchanged(befores[i], input)))
      return inputs.map((_, i) => ({ status: 'saved' as const, cell: befores[i] ?? null }));
    const wp = q.workpaperId.get(scope.population.id) ?? ensureWorkpaper(conn.db, scope, actor.id);
    const now = new Date().toISOString();
    const saved = inputs.map((input, i) => {
      const before = befores[i];
      if (unchanged(before, input)) return before ?? null;
      const cell = writeCell(q, wp, actor, input, before, now);
      recordWrite(conn.db, actor.id, {
        table: testResults,
        entity: 'test-result',
        entityId: cell.id,
        engagementId: wp.engagementId,
        before: before ?? null,
        after: cell,
        also: { cell: [null, `${keys[i]} / ${input.attribute}`] },
      });
      return cell;
    });
    q.markChanged.run(actor.id, now, wp.id);
    return saved.map((cell) => ({ status: 'saved' as const, cell }));
  };
}

/**
 * Saves several cells of one workpaper all or nothing: when any was changed by someone else since it was read,
 * nothing is saved and the conflicts come back with the current values. This runs on every key press, so it is
 * one native transaction compiled once per connection (drizzle's transaction wrapper costs as much as the writes).
 */
export function saveCells(
  conn: Connection,
  actor: CurrentUser,
  scope: WorkpaperScope,
  inputs: readonly CellInput[],
): CellOutcome[] {
  let save = compiled.get(conn.sqlite);
  if (!save) {
    save = conn.sqlite.transaction(checkedWrites(conn, cellStatements(conn.sqlite)));
    compiled.set(conn.sqlite, save);
  }
  return save(actor, scope, inputs);
}

export function saveCell(conn: Connection, actor: CurrentUser, scope: WorkpaperScope, input: CellInput): CellOutcome {
  return saveCells(conn, actor, scope, [input])[0]!;
}

/** One item (row), or one attribute (column) over a page of the grid, or over the whole grid without a page. */
export type BlankCellsTarget = { sampleItemId: number } | { attribute: string; page?: Page };

function itemsOf(tx: Connection['db'], sampleId: number, target: BlankCellsTarget): SampledItem[] {
  if ('sampleItemId' in target) return gridItemsByIds(tx, sampleId, [target.sampleItemId]);
  return target.page ? gridItemsPage(tx, sampleId, target.page.offset, target.page.size) : itemsOfSample(tx, sampleId);
}

/**
 * Marks every blank cell of the target as passed; cells others marked meanwhile are left alone. One trail entry
 * lists every cell passed.
 */
export function passBlankCells(
  conn: Connection,
  actor: CurrentUser,
  scope: WorkpaperScope,
  target: BlankCellsTarget,
): number {
  const q = cellStatements(conn.sqlite);
  return conn.db.transaction((tx) => {
    assertWritable(scope);
    if (!scope.sample) throw new RuleError('Nothing was sampled for this window.');
    const items = itemsOf(tx, scope.sample.id, target);
    const letters = scope.attributes
      .map((a) => a.letter)
      .filter((l) => !('attribute' in target) || l === target.attribute);
    if (items.length === 0 || letters.length === 0)
      throw new RuleError('That item or attribute is not on this workpaper.');
    const wp = ensureWorkpaper(tx, scope, actor.id);
    const marked = new Map(
      resultsOfItems(
        tx,
        wp.id,
        items.map((i) => i.sampleItemId),
      ).map((r) => [`${r.sampleItemId}/${r.attribute}`, r]),
    );
    const now = new Date().toISOString();
    const passed: string[] = [];
    for (const item of items) {
      if (item.replacedByKey !== null) continue;
      for (const attribute of letters) {
        const before = marked.get(`${item.sampleItemId}/${attribute}`);
        if (before?.result) continue;
        const cell = writeCell(
          q,
          wp,
          actor,
          { sampleItemId: item.sampleItemId, attribute, result: 'pass', naReason: '', version: before?.version ?? 0 },
          before,
          now,
        );
        // A cell marked and cleared before has entries of its own, which the replay reads: it gets one more. A
        // cell passed for the first time is recorded by the bulk entry alone (a grid's column would be hundreds).
        if (before)
          recordWrite(tx, actor.id, {
            table: testResults,
            entity: 'test-result',
            entityId: cell.id,
            engagementId: wp.engagementId,
            before,
            after: cell,
            also: { cell: [null, `${item.key} / ${attribute}`] },
          });
        passed.push(`${item.key} / ${attribute}`);
      }
    }
    if (passed.length === 0) return 0;
    q.markChanged.run(actor.id, now, wp.id);
    appendAudit(tx, actor.id, {
      engagementId: wp.engagementId,
      entity: 'workpaper',
      entityId: wp.id,
      action: 'pass-blank-cells',
      changes: { passed: [null, passed] },
    });
    return passed.length;
  });
}
