// Shared by the archive tests: taking an archive apart and putting it back together, and comparing what two
// instances hold independently of their ids.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { readZip, writeZip } from '../../../src/features/backup/zip.js';
import { SOFT_REFERENCES } from '../../../src/features/archive/soft-references.js';
import { signManifest } from '../../../src/features/archive/archive-signature.js';
import type { InstanceKey } from '../../../src/core/signing/index.js';
import type { Client, TestApp } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';

export type Entries = Map<string, Buffer>;

export async function unzip(content: Buffer): Promise<Entries> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-archive-'));
  const file = path.join(dir, 'a.zip');
  writeFileSync(file, content);
  const out: Entries = new Map();
  try {
    await readZip(file, async (name, open) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await open()) chunks.push(chunk as Buffer);
      out.set(name, Buffer.concat(chunks));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function rezip(entries: Entries): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-archive-'));
  const file = path.join(dir, 'a.zip');
  try {
    await writeZip(
      file,
      [...entries].map(([name, content]) => ({ name, content })),
    );
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function exportArchive(client: Client, engagementId: number): Promise<Buffer> {
  const res = await client.get(`/engagements/${engagementId}/archive/export`);
  if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res.rawPayload;
}

export async function importArchive(t: TestApp, client: Client, zip: Buffer) {
  await client.get('/engagements/import');
  return upload(
    t.app,
    client,
    '/engagements/import',
    {},
    { name: 'engagement-archive.zip', content: zip, type: 'application/zip' },
  );
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A consistent forgery: the files replaced, their manifest entries recomputed, and manifest.sig dropped or made
 * again with `signer` (a trusted instance's key in the wrong hands).
 */
export function forge(entries: Entries, files: Record<string, Buffer>, signer: InstanceKey | null): Entries {
  const out: Entries = new Map(entries);
  const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
    files: { name: string; size: number; sha256: string }[];
  };
  for (const [name, content] of Object.entries(files)) {
    out.set(name, content);
    Object.assign(manifest.files.find((f) => f.name === name)!, { size: content.length, sha256: sha256(content) });
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  out.set('manifest.json', manifestBytes);
  if (signer) out.set('manifest.sig', signManifest(signer, manifestBytes));
  else out.delete('manifest.sig');
  return out;
}

/** Administration → Trusted keys: `admin` trusts the instance whose key this is. */
export async function trustKey(admin: Client, label: string, key: InstanceKey) {
  await admin.get('/admin/trusted-keys');
  return admin.post('/admin/trusted-keys', { label, publicKey: key.publicKey.pem });
}

interface Fk {
  from: string;
  table: string;
}

/**
 * Each table's rows as sorted JSON, with every id replaced by the row's rank in its table (ids are assigned
 * in the same order on import), user ids by e-mail. Read with SQL and SQLite's own foreign-key list, not
 * through the code under test.
 * Only the rows of `engagementId` count: the engagement, the rows naming it, and the rows whose parents are its
 * (`tables` lists parents before children, as the archive plan does); another engagement on the instance is left out.
 */
export function contentOf(sqlite: Database.Database, tables: string[], engagementId: number): Record<string, string[]> {
  const fks = (table: string): Fk[] => sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as Fk[];
  const email = new Map(
    (sqlite.prepare('SELECT id, email FROM users').all() as { id: number; email: string }[]).map((u) => [
      u.id,
      u.email,
    ]),
  );
  const rank = new Map<string, Map<number, number>>();
  const owned = new Map<string, Set<number>>();
  const rowsOf = new Map<string, Record<string, unknown>[]>();
  const refsOf = new Map<string, Map<string, string>>();
  for (const table of tables) {
    const refs = new Map<string, string>(fks(table).map((f) => [f.from, f.table]));
    for (const s of SOFT_REFERENCES) if (s.table === table) refs.set(s.column, s.target);
    refsOf.set(table, refs);
    const all = sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
    const ours = (row: Record<string, unknown>) =>
      table === 'engagements'
        ? row.id === engagementId
        : row.engagement_id === engagementId ||
          [...refs].some(([column, target]) => target !== table && owned.get(target)?.has(row[column] as number));
    const rows = all.filter(ours);
    rowsOf.set(table, rows);
    if (rows.length > 0 && 'id' in rows[0]!) {
      const ids = rows.map((r) => r.id as number).sort((x, y) => x - y);
      owned.set(table, new Set(ids));
      rank.set(table, new Map(ids.map((id, i) => [id, i])));
    }
  }
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const refs = refsOf.get(table)!;
    out[table] = rowsOf
      .get(table)!
      .map((row) => {
        const canonical: Record<string, unknown> = {};
        for (const [column, value] of Object.entries(row)) {
          const target = refs.get(column);
          if (column === 'id') continue;
          if (target === 'outside') continue;
          if (value === null || !target) canonical[column] = value;
          else if (target === 'users') canonical[column] = email.get(value as number);
          else canonical[column] = `${target}#${rank.get(target)?.get(value as number) ?? `outside:${String(value)}`}`;
        }
        return JSON.stringify(canonical);
      })
      .sort();
  }
  return out;
}

/** The SHA-256 of every file in an evidence store, by the name it is stored under. */
export function evidenceStore(dataDir: string): Map<string, string> {
  const root = path.join(dataDir, 'evidence');
  const out = new Map<string, string>();
  if (!existsSync(root)) return out;
  for (const sub of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const name of readdirSync(path.join(root, sub)))
      out.set(name, sha256(readFileSync(path.join(root, sub, name))));
  }
  return out;
}

export function rowCounts(sqlite: Database.Database): Record<string, number> {
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('sessions', 'login_failures')",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}
