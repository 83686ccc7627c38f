// engagement.json and audit-trail.json, never trusted: each row checked against its table's columns, every
// reference checked to point inside the archive, the original trail's hashes and links recomputed.
import { RuleError } from '../../core/errors.js';
import { z } from 'zod';
import { FIRM_ROLES } from '../../db/schema/index.js';
import { readEngagementMethodology } from '../../domain/methodology.js';
import { readCheckpoints } from '../audit-trail/index.js';
import { entryHash } from '../../core/audit/trail.js';
import type { PublicKeyInfo } from '../../core/signing/index.js';
import { CHECKPOINTS_FILE } from './archive-format.js';
import { DATA_FORMAT, TRAIL_FORMAT, type ArchivedTrail, type EngagementData } from './export-data.js';
import { archivePlan, type ColumnPlan, type TablePlan } from './table-plan.js';

const MAX_ROWS = 5_000_000;

function valueSchema(c: ColumnPlan): z.ZodType {
  if (c.ref === 'users') return z.string().min(3).max(254);
  if (c.ref) return z.number().int().positive();
  const col = c.column;
  switch (col.dataType) {
    case 'number':
      return col.columnType === 'SQLiteInteger' ? z.number().int() : z.number();
    case 'boolean':
      return z.boolean();
    case 'json':
      return z.unknown();
    case 'string': {
      const values = (col as { enumValues?: string[] }).enumValues;
      return values && values.length > 0 ? z.enum(values as [string, ...string[]]) : z.string().max(10_000_000);
    }
    default:
      throw new Error(`archive: ${c.name} has a column type the archive does not handle (${col.dataType})`);
  }
}

/** JSON columns whose content a rule reads: an archive must hold exactly what this version writes there. */
const JSON_CONTENT: Record<string, { valid: (v: unknown) => boolean; message: string }> = {
  'engagements.methodology': {
    valid: (v) => readEngagementMethodology(v) !== null,
    message: 'not a methodology this version of Tickmark can apply',
  },
};

function rowSchema(plan: TablePlan): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const c of plan.columns) {
    const content = JSON_CONTENT[`${plan.name}.${c.name}`];
    let s = content ? valueSchema(c).refine(content.valid, content.message) : valueSchema(c);
    if (!c.column.notNull || c.ref === 'outside') s = s.nullable();
    if (!c.column.notNull || c.column.hasDefault) s = s.optional();
    shape[c.name] = s;
  }
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, unknown>>;
}

const userSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(3).max(254),
    name: z.string().min(1).max(500),
    firmRole: z.enum(FIRM_ROLES),
  })
  .strict();

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'value'}: ${issue.message}`;
}

function parseJson(bytes: Buffer, file: string): unknown {
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch {
    // Past V8's longest string (about 512 MB; some 2.5 million population rows) the file cannot be read whole.
    throw new RuleError(
      `${file} is too large to import on this instance (${Math.round(bytes.length / 2 ** 20)} MB). Nothing was imported.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RuleError(`${file} is not valid JSON. Nothing was imported.`);
  }
}

/** Every reference names a row of the archive, or a user it lists. */
function checkReferences(data: EngagementData, plans: TablePlan[]): void {
  const ids = new Map<string, Set<number>>();
  for (const p of plans)
    if (p.id === 'integer') ids.set(p.name, new Set((data.tables[p.name] ?? []).map((r) => r.id as number)));
  const emails = new Set(data.users.map((u) => u.email));
  for (const p of plans) {
    for (const [i, row] of (data.tables[p.name] ?? []).entries()) {
      for (const c of p.columns) {
        const v = row[c.name];
        if (v === null || v === undefined || !c.ref || c.ref === 'outside') continue;
        const known = c.ref === 'users' ? emails.has(v as string) : ids.get(c.ref)?.has(v as number);
        if (!known)
          throw new RuleError(
            `engagement.json: ${p.name} row ${i + 1}, ${c.name} refers to ${c.ref} ${JSON.stringify(v)}, which the archive does not hold. Nothing was imported.`,
          );
      }
    }
  }
  if ((data.tables.engagements ?? []).length !== 1)
    throw new RuleError('engagement.json must hold exactly one engagement. Nothing was imported.');
}

export function parseEngagementData(bytes: Buffer): EngagementData {
  const json = parseJson(bytes, 'engagement.json') as Record<string, unknown>;
  const plans = archivePlan();
  const top = z
    .object({
      format: z.literal(DATA_FORMAT),
      users: z.array(userSchema).max(100_000),
      tables: z.record(z.string(), z.array(z.unknown()).max(MAX_ROWS)),
    })
    .strict()
    .safeParse(json);
  if (!top.success)
    throw new RuleError(`engagement.json is not valid (${firstIssue(top.error)}). Nothing was imported.`);
  const known = new Set(plans.map((p) => p.name));
  const unknown = Object.keys(top.data.tables).find((t) => !known.has(t));
  if (unknown)
    throw new RuleError(
      `engagement.json holds a table this version of Tickmark does not know: ${unknown.slice(0, 100)}. Nothing was imported.`,
    );
  const tables: EngagementData['tables'] = {};
  for (const p of plans) {
    const schema = rowSchema(p);
    tables[p.name] = (top.data.tables[p.name] ?? []).map((row, i) => {
      const parsed = schema.safeParse(row);
      if (!parsed.success)
        throw new RuleError(
          `engagement.json: ${p.name} row ${i + 1} is not valid (${firstIssue(parsed.error)}). Nothing was imported.`,
        );
      return parsed.data;
    });
    if (p.id === 'integer' && new Set(tables[p.name]!.map((r) => r.id)).size !== tables[p.name]!.length)
      throw new RuleError(`engagement.json: ${p.name} repeats a row id. Nothing was imported.`);
  }
  const data: EngagementData = { format: DATA_FORMAT, users: top.data.users, tables };
  checkReferences(data, plans);
  return data;
}

const trailSchema = z
  .object({
    format: z.literal(TRAIL_FORMAT),
    entries: z
      .array(
        z
          .object({
            id: z.number().int().positive(),
            at: z.string().max(40),
            userId: z.number().int().nullable(),
            userEmail: z.string().max(254).nullable(),
            engagementId: z.number().int().nullable(),
            entity: z.string().max(200),
            entityId: z.string().max(200),
            action: z.string().max(200),
            changes: z.string().max(10_000_000),
            prevHash: z.string().regex(/^[0-9a-f]{64}$/),
            hash: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .max(MAX_ROWS),
    links: z
      .array(
        z
          .object({
            id: z.number().int().positive(),
            prevHash: z.string().regex(/^[0-9a-f]{64}$/),
            hash: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .max(50_000_000),
  })
  .strict();

/** The original trail as exported: every entry's content matches its hash, and the chain runs unbroken from
 * the first entry to the last (through the other engagements' links). */
export function parseTrail(bytes: Buffer, engagementId: number): ArchivedTrail {
  const parsed = trailSchema.safeParse(parseJson(bytes, 'audit-trail.json'));
  if (!parsed.success)
    throw new RuleError(`audit-trail.json is not valid (${firstIssue(parsed.error)}). Nothing was imported.`);
  const trail = parsed.data as ArchivedTrail;
  const broken = (id: number, why: string) =>
    new RuleError(`audit-trail.json: the original audit trail is broken at entry ${id}: ${why}. Nothing was imported.`);
  for (const e of trail.entries) {
    if (e.engagementId !== engagementId) throw broken(e.id, 'it belongs to another engagement');
    if (entryHash(e) !== e.hash) throw broken(e.id, 'its content does not match its hash');
  }
  const chain = [...trail.entries, ...trail.links].sort((a, b) => a.id - b.id);
  for (let i = 1; i < chain.length; i++) {
    if (chain[i]!.id !== chain[i - 1]!.id + 1)
      throw broken(chain[i]!.id, `entries ${chain[i - 1]!.id + 1}–${chain[i]!.id - 1} are missing`);
    if (chain[i]!.prevHash !== chain[i - 1]!.hash)
      throw broken(chain[i]!.id, 'it does not link to the entry before it');
  }
  return trail;
}

/** A verified archive's checkpoints: each signed by the archive's signer, in order, and every head they sign
 * inside the exported chain is the hash the chain has at that id. */
export function checkArchivedCheckpoints(bytes: Buffer, signer: PublicKeyInfo, trail: ArchivedTrail): void {
  const { checkpoints, problem } = readCheckpoints(bytes.toString('utf8'), signer);
  if (problem) throw new RuleError(`${CHECKPOINTS_FILE}: ${problem.reason}. Nothing was imported.`);
  const chain = new Map([...trail.entries, ...trail.links].map((e) => [e.id, e.hash]));
  const differs = checkpoints.find((c) => chain.has(c.id) && chain.get(c.id) !== c.hash);
  if (differs)
    throw new RuleError(
      `audit-trail.json: entry ${differs.id} is not the entry the exporting instance signed in its checkpoint of ${differs.at}: its trail was rewritten. Nothing was imported.`,
    );
}
