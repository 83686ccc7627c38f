import { and, asc, eq } from 'drizzle-orm';
import { RuleError } from '../../core/errors.js';
import type { Db, Tx } from '../../db/connection.js';
import { tickmarks } from '../../db/schema/index.js';
import { DEFAULT_TICKMARKS, tickmarkSymbolProblem, type Tickmark } from '../../domain/tickmarks.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';

const FIELDS: (keyof Tickmark)[] = ['symbol', 'meaning'];

export function listTickmarks(db: Tx, engagementId: number) {
  return db
    .select()
    .from(tickmarks)
    .where(eq(tickmarks.engagementId, engagementId))
    .orderBy(asc(tickmarks.position), asc(tickmarks.id))
    .all();
}

/** Adds the default symbols the legend lacks; called when an engagement is opened, and on request. */
export function seedTickmarkLegend(tx: Tx, actorId: number | null, engagementId: number): number {
  const existing = listTickmarks(tx, engagementId);
  const taken = new Set(existing.map((t) => t.symbol));
  const missing = DEFAULT_TICKMARKS.filter((t) => !taken.has(t.symbol));
  if (missing.length === 0) return 0;
  const start = (existing.at(-1)?.position ?? 0) + 1;
  tx.insert(tickmarks)
    .values(missing.map((t, i) => ({ engagementId, ...t, position: start + i })))
    .run();
  appendAudit(tx, actorId, {
    engagementId,
    entity: 'tickmark-legend',
    entityId: engagementId,
    action: 'add-defaults',
    changes: { symbols: [null, missing.map((t) => t.symbol)] },
  });
  return missing.length;
}

export function restoreDefaultTickmarks(db: Db, actor: CurrentUser, engagementId: number): number {
  return db.transaction((tx) => seedTickmarkLegend(tx, actor.id, engagementId));
}

export function addTickmark(db: Db, actor: CurrentUser, engagementId: number, input: Tickmark): void {
  db.transaction((tx) => {
    const existing = listTickmarks(tx, engagementId);
    const problem = tickmarkSymbolProblem(
      input.symbol,
      existing.map((t) => t.symbol),
    );
    if (problem) throw new RuleError(problem, { field: 'symbol' });
    const row = tx
      .insert(tickmarks)
      .values({ engagementId, ...input, position: (existing.at(-1)?.position ?? 0) + 1 })
      .returning()
      .get();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'tickmark',
      entityId: row.id,
      action: 'create',
      changes: diff(null, row, FIELDS),
    });
  });
}

export function editTickmark(db: Db, actor: CurrentUser, engagementId: number, id: number, input: Tickmark): void {
  db.transaction((tx) => {
    const existing = listTickmarks(tx, engagementId);
    const before = existing.find((t) => t.id === id);
    if (!before) throw new RuleError('That tickmark was deleted by someone else.', { field: 'legend' });
    const problem = tickmarkSymbolProblem(
      input.symbol,
      existing.filter((t) => t.id !== id).map((t) => t.symbol),
    );
    if (problem) throw new RuleError(problem, { field: 'legend' });
    const after = tx.update(tickmarks).set(input).where(eq(tickmarks.id, id)).returning().get();
    const changes = diff(before, after, FIELDS);
    if (Object.keys(changes).length)
      appendAudit(tx, actor.id, { engagementId, entity: 'tickmark', entityId: id, action: 'update', changes });
  });
}

export function deleteTickmark(db: Db, actor: CurrentUser, engagementId: number, id: number): boolean {
  return db.transaction((tx) => {
    const row = tx
      .select()
      .from(tickmarks)
      .where(and(eq(tickmarks.id, id), eq(tickmarks.engagementId, engagementId)))
      .get();
    if (!row) return false;
    tx.delete(tickmarks).where(eq(tickmarks.id, id)).run();
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'tickmark',
      entityId: id,
      action: 'delete',
      changes: diff(row, null, FIELDS),
    });
    return true;
  });
}
