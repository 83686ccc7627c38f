import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { samples, type SampleMethod } from '../../db/schema/index.js';
import { sizeDecision, smallerSampleProblem } from '../../domain/sample-approval.js';
import { statisticalSizingProblem } from '../../domain/sampling-methods.js';
import type { EngagementRoleName } from '../../domain/roles.js';
import { drawExtension } from '../../domain/sample-plan.js';
import { appendAudit, type Changes } from '../../core/audit/trail.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { caGate, findPopulation, freezePopulation, hashFrame, itemsByKeys } from '../populations/index.js';
import { datesFor, draw } from './draw.js';
import { insertSampleItems, keysAtPositions, openSampleOf, positionsOfSample, type SampleRow } from './queries.js';

/** The firm's limit above which a sample needs a manager's approval, and the role of the person asking. */
export interface SizePolicy {
  limit: number;
  role: EngagementRoleName;
}

export interface SampleRequest {
  method: SampleMethod;
  seed: string;
  size: number;
  sizing: 'table' | 'statistical';
  confidence: 0.9 | 0.95;
  tolerableRate: number | null;
  expectedRate: number | null;
  sizeRationale: string;
  /** The size the table or the statistics proposed; a selection smaller than it needs a reason and a manager's
   * approval. Left out (fixtures, imports) nothing is compared. */
  proposedSize?: number | null;
  overrideReason: string | null;
  /** Keys typed by the auditor for haphazard and judgmental selections. */
  pickedKeys: string[];
  selectionReason: string | null;
  spreadBy: 'quarter' | 'month';
  interimEnd: string | null;
}

/** The size a selection will have, known before anything is frozen or drawn. */
export function selectionSizeOf(
  req: Pick<SampleRequest, 'method' | 'size' | 'pickedKeys'>,
  populationSize: number,
): number {
  if (req.method === 'haphazard' || req.method === 'judgmental') return req.pickedKeys.length;
  return req.method === 'all' ? populationSize : Math.min(req.size, populationSize);
}

function pickedPositions(tx: Connection['db'], populationId: number, keys: string[]): number[] {
  const found = itemsByKeys(tx, populationId, keys);
  const missing = keys.filter((k) => !found.some((f) => f.key === k));
  if (missing.length > 0)
    throw new RuleError(
      `Not in the sampleable population: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''}`,
    );
  const byKey = new Map(found.map((f) => [f.key, f.position!]));
  return keys.map((k) => byKey.get(k)!);
}

/** The approval a selection waits for, if any: smaller than proposed (with its reason) or above the firm's limit. */
function approvalOf(req: SampleRequest, populationSize: number, policy: SizePolicy) {
  const size = selectionSizeOf(req, populationSize);
  const proposed = req.proposedSize ?? null;
  const unexplained = smallerSampleProblem(size, proposed, req.overrideReason);
  if (unexplained) throw new RuleError(unexplained);
  const decision = sizeDecision(size, policy.limit, policy.role, proposed);
  if (decision.kind === 'refused') throw new RuleError(decision.message);
  return { decision, proposed };
}

/**
 * Freezes the population and records the selection, its design and every selected item, in one transaction. A
 * selection above the firm's limit or smaller than proposed, asked for by someone who may not approve it, is
 * recorded as pending: the population is frozen (the manager approves a selection over a fixed frame) but nothing
 * is drawn yet. The approval itself is approval.ts's, the same for both grounds.
 */
export async function createSample(
  conn: Connection,
  actor: CurrentUser,
  engagementId: number,
  populationId: number,
  req: SampleRequest,
  policy: SizePolicy,
): Promise<SampleRow> {
  // The frame is hashed and its dates read first, a step at a time: a million items keep no one else waiting.
  const before = findPopulation(conn.db, engagementId, populationId);
  const frame = before?.status === 'draft' && before.sampleableCount > 0 ? await hashFrame(conn, before) : null;
  const dates = before ? await datesFor(conn, populationId, req.method) : [];
  return conn.db.transaction((tx) => {
    const current = findPopulation(tx, engagementId, populationId);
    if (!current || current.status === 'replaced' || current.status === 'importing')
      throw new RuleError('This population cannot be sampled.');
    if (current.itemsRevision !== before?.itemsRevision)
      throw new RuleError('The population was imported again while the sample was being drawn; reload and try again.');
    if (openSampleOf(tx, populationId))
      throw new RuleError('This population already has a selection. Replace the population to select again.');
    const caProblem = caGate(tx, current);
    if (caProblem) throw new RuleError(caProblem);
    const unsound = statisticalSizingProblem(req.method, req.sizing);
    if (unsound) throw new RuleError(unsound);
    if (
      req.method === 'interim-split' &&
      (!req.interimEnd || req.interimEnd < current.windowStart || req.interimEnd >= current.windowEnd)
    ) {
      throw new RuleError(
        `The interim window must end between ${current.windowStart} and the day before ${current.windowEnd}.`,
      );
    }
    const { decision, proposed } = approvalOf(req, current.sampleableCount, policy);
    const population = freezePopulation({ ...conn, db: tx } as Connection, actor.id, current, frame);
    const picks =
      req.method === 'haphazard' || req.method === 'judgmental'
        ? pickedPositions(tx, populationId, req.pickedKeys)
        : [];
    const design = { spreadBy: req.spreadBy, interimEnd: req.interimEnd };
    const result = draw(population, req.method, req.seed, req.size, design, picks, dates);
    const pending = decision.kind === 'needs-approval';
    const now = new Date().toISOString();
    const approved = decision.kind === 'approved-by-asker' ? { approvedBy: actor.id, approvedAt: now } : {};
    const grounds = decision.kind === 'within-limit' ? null : decision.grounds;
    const sample = tx
      .insert(samples)
      .values({
        engagementId,
        controlId: population.controlId,
        populationId,
        method: req.method,
        seed: req.seed,
        populationSize: population.sampleableCount,
        populationHash: population.contentHash!,
        plannedSize: result.positions.length,
        proposedSize: proposed,
        sizing: req.sizing,
        confidence: Math.round(req.confidence * 100),
        tolerableRate: req.tolerableRate === null ? null : String(req.tolerableRate),
        expectedRate: req.expectedRate === null ? null : String(req.expectedRate),
        sizeRationale: req.sizeRationale,
        overrideReason: req.overrideReason,
        selectionReason: req.selectionReason,
        // A pending selection keeps the picks it will be drawn from once approved.
        design: { ...design, strata: result.strata ?? null, ...(pending && picks.length ? { picks } : {}) },
        status: pending ? 'pending' : 'active',
        approvalGrounds: grounds,
        ...approved,
        createdAt: now,
        createdBy: actor.id,
      })
      .returning()
      .get();
    if (!pending) insertSampleItems(conn.sqlite, sample.id, populationId, result.positions, 0, 0);
    appendAudit(tx, actor.id, {
      engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: pending ? 'request-approval' : 'select',
      changes: {
        method: [null, req.method],
        seed: [null, req.seed],
        size: [null, result.positions.length],
        proposedSize: [null, proposed],
        populationHash: [null, population.contentHash],
        overrideReason: [null, req.overrideReason],
        ...(grounds ? { approvalGrounds: [null, grounds] } : {}),
        ...(pending ? { status: [null, 'pending'] } : {}),
        ...(sample.approvedBy ? { approvedBy: [null, actor.email] } : {}),
      },
    });
    return sample;
  });
}

/** The firm's limit applied to a sample growing to `total` items: refused, or drawn (approved by a manager). */
function growthDecision(total: number, existing: number, policy: SizePolicy) {
  const decision =
    total > Math.max(policy.limit, existing)
      ? sizeDecision(total, policy.limit, policy.role)
      : { kind: 'within-limit' as const };
  if (decision.kind === 'refused' || decision.kind === 'needs-approval')
    throw new RuleError(
      decision.kind === 'refused' ? decision.message : `${decision.message} Ask one of them to draw this extension.`,
    );
  return decision;
}

/** Continues the sample's seeded sequence by `additional` items as a new round; `replaces` names what each replaces. */
function drawRound(
  conn: Connection,
  actor: CurrentUser,
  sample: SampleRow,
  additional: number,
  policy: SizePolicy,
  replaces: readonly number[] = [],
) {
  if (sample.status !== 'active') throw new RuleError('This selection was discarded or is still awaiting approval.');
  const existing = positionsOfSample(conn.sqlite, sample.id);
  const total = Math.min(sample.populationSize, existing.positions.length + additional);
  const decision = growthDecision(total, existing.positions.length, policy);
  const round = existing.lastRound + 1;
  const extra = drawExtension({
    populationSize: sample.populationSize,
    seed: sample.seed!,
    alreadySelected: existing.positions,
    additional,
  });
  if (extra.length === 0) throw new RuleError('Every item of the population is already in the sample.');
  insertSampleItems(
    conn.sqlite,
    sample.id,
    sample.populationId,
    extra,
    existing.positions.length,
    round,
    replaces.slice(0, extra.length),
  );
  const changes: Changes = {
    size: [existing.positions.length, existing.positions.length + extra.length],
    extensionRound: [round - 1, round],
  };
  if (decision.kind === 'approved-by-asker') changes.approvedBy = [null, actor.email];
  return { extra, existing, changes };
}

/**
 * Draws `additional` items after a deviation, continuing the same seeded sequence. Taking the sample above the
 * firm's limit is a manager's or the partner's call: they draw it themselves (recorded as its approval); anyone
 * else is refused with that message, as the extension is the next step of the testing, not a request to park.
 */
export function extendSample(
  conn: Connection,
  actor: CurrentUser,
  sample: SampleRow,
  additional: number,
  policy: SizePolicy,
): number {
  return conn.db.transaction((tx) => {
    const { extra, changes } = drawRound(conn, actor, sample, additional, policy);
    appendAudit(tx, actor.id, {
      engagementId: sample.engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'extend',
      changes,
    });
    return extra.length;
  });
}

/**
 * Draws one item for each of `replaced` (items that were not occurrences of the control), as one round continuing
 * the same seeded sequence, each recorded as the replacement of its item. Fewer when the population runs out.
 */
export function drawReplacements(
  conn: Connection,
  actor: CurrentUser,
  sample: SampleRow,
  replaced: readonly { sampleItemId: number; key: string }[],
  policy: SizePolicy,
): { replaced: string; replacement: string }[] {
  return conn.db.transaction((tx) => {
    const { extra, existing, changes } = drawRound(
      conn,
      actor,
      sample,
      replaced.length,
      policy,
      replaced.map((r) => r.sampleItemId),
    );
    const keys = keysAtPositions(tx, sample.populationId, extra);
    const pairs = extra.map((position, k) => ({ replaced: replaced[k]!.key, replacement: keys.get(position)! }));
    appendAudit(tx, actor.id, {
      engagementId: sample.engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'replace',
      changes: {
        ...changes,
        size: [existing.positions.length, existing.positions.length + extra.length],
        replaced: [null, pairs.map((p) => `${p.replaced} → ${p.replacement}`).join(', ')],
      },
    });
    return pairs;
  });
}

export function discardSample(conn: Connection, actor: CurrentUser, sample: SampleRow, reason: string): void {
  conn.db.transaction((tx) => {
    tx.update(samples).set({ status: 'discarded', discardedReason: reason }).where(eq(samples.id, sample.id)).run();
    appendAudit(tx, actor.id, {
      engagementId: sample.engagementId,
      entity: 'sample',
      entityId: sample.id,
      action: 'discard',
      changes: { status: ['active', 'discarded'], reason: [null, reason] },
    });
  });
}
