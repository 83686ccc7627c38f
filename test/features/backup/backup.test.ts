import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backup, restore } from '../../../src/features/backup/backup.js';
import { writeZip } from '../../../src/features/backup/zip.js';
import { appendAudit } from '../../../src/core/audit/trail.js';
import { KEY_FILE } from '../../../src/core/signing/index.js';
import { buildTestApp } from '../../helpers/app.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tickmark-backup-test-'));
  dirs.push(d);
  return d;
};

/** Every table's rows, in key order: two databases with equal dumps hold the same data. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const out = Object.fromEntries(
    tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]),
  );
  db.close();
  return out;
}

describe('backup and restore', () => {
  it('backs up while writes go on and restores to an identical, verifying state', async () => {
    const t = await buildTestApp();
    const dbPath = path.join(t.dir, 'tickmark.db');
    mkdirSync(path.join(t.dir, 'evidence', 'ab'), { recursive: true });
    writeFileSync(path.join(t.dir, 'evidence', 'ab', 'abcdef'), 'a scanned approval');
    let writes = 0;
    const writer = setInterval(() => {
      t.app.conn.db.transaction((tx) =>
        appendAudit(tx, null, {
          engagementId: null,
          entity: 'firm-methodology',
          entityId: ++writes,
          action: 'write',
          changes: {},
        }),
      );
    }, 1);
    const zip = path.join(temp(), 'backup.zip');
    const manifest = await backup(dbPath, t.dir, zip);
    clearInterval(writer);
    expect(writes).toBeGreaterThan(0);
    const names = manifest.files.map((f) => f.name);
    expect(names[0]).toBe('tickmark.db');
    expect(names).toContain('evidence/ab/abcdef');

    // Restore into a fresh data directory and compare with the snapshot inside the backup.
    const target = temp();
    const result = await restore(zip, path.join(target, 'tickmark.db'), target);
    expect(result.movedAside).toBeNull();
    expect(readFileSync(path.join(target, 'evidence', 'ab', 'abcdef'), 'utf8')).toBe('a scanned approval');
    const restored = dump(path.join(target, 'tickmark.db'));
    const live = dump(dbPath);
    // The backup is a consistent snapshot: everything up to some write, nothing half-done.
    const snapshotEntries = (restored.audit_entries as unknown[]).length;
    expect(live.audit_entries!.slice(0, snapshotEntries)).toEqual(restored.audit_entries);
    expect({ ...restored, audit_entries: [], sqlite_sequence: [] }).toEqual({
      ...live,
      audit_entries: [],
      sqlite_sequence: [],
      sessions: restored.sessions,
    });
    const check = new Database(path.join(target, 'tickmark.db'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    expect(result.auditEntries).toBe(snapshotEntries);
  });

  it('carries the trail checkpoints, which anchor the restored trail and still catch its newest entries removed', async () => {
    const t = await buildTestApp();
    const dbPath = path.join(t.dir, 'tickmark.db');
    const signed = readFileSync(t.app.trailAnchor.file, 'utf8');
    const zip = path.join(temp(), 'backup.zip');
    const manifest = await backup(dbPath, t.dir, zip);
    expect(manifest.files.map((f) => f.name)).toContain('tickmark.db.checkpoints');

    // Restored where the key is (the same instance, or one the key file was put back on).
    const target = temp();
    copyFileSync(path.join(t.dir, KEY_FILE), path.join(target, KEY_FILE));
    const result = await restore(zip, path.join(target, 'tickmark.db'), target);
    // The start-up checkpoint at least: it signs the head the truncation below removes.
    expect(result.checkpoints).toBeGreaterThanOrEqual(1);
    expect(readFileSync(path.join(target, 'tickmark.db.checkpoints'), 'utf8')).toBe(signed);

    // A backup whose trail lost its newest entries is refused, however its sequence counter was reset.
    const again = temp();
    copyFileSync(path.join(t.dir, KEY_FILE), path.join(again, KEY_FILE));
    const live = new Database(dbPath);
    const last = (live.prepare('SELECT max(id) AS id FROM audit_entries').get() as { id: number }).id;
    live.prepare('DELETE FROM audit_entries WHERE id = ?').run(last);
    live.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_entries'").run(last - 1);
    live.close();
    const truncated = path.join(temp(), 'truncated.zip');
    await backup(dbPath, t.dir, truncated);
    await expect(restore(truncated, path.join(again, 'tickmark.db'), again)).rejects.toThrow(/audit trail is broken/);
    expect(existsSync(path.join(again, 'tickmark.db'))).toBe(false);
  });

  it('refuses a damaged backup and leaves the current data alone', async () => {
    const t = await buildTestApp();
    const source = temp();
    writeFileSync(path.join(source, 'tickmark.db'), 'not really a database');
    const zip = path.join(source, 'bad.zip');
    await writeZip(zip, [
      { name: 'tickmark.db', file: path.join(source, 'tickmark.db') },
      {
        name: 'manifest.json',
        content: Buffer.from(
          JSON.stringify({
            format: 'tickmark-backup-v1',
            createdAt: 'x',
            files: [{ name: 'tickmark.db', bytes: 1, sha256: '0'.repeat(64) }],
          }),
        ),
      },
    ]);
    const dbPath = path.join(t.dir, 'tickmark.db');
    const before = dump(dbPath);
    await expect(restore(zip, dbPath, t.dir)).rejects.toThrow(/does not match its hash/);
    expect(dump(dbPath)).toEqual(before);
  });
});
