import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRootDir } from '../../../src/config.js';
import { verifyTrail } from '../../../src/core/audit/trail.js';
import { buildTestApp } from '../../helpers/app.js';

describe('audit trail tamper evidence', () => {
  it('holds for the demo data', async () => {
    const t = await buildTestApp();
    const result = verifyTrail(t.app.conn.db);
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(30);
  });

  it('catches an edited entry', async () => {
    const t = await buildTestApp();
    t.app.conn.sqlite.prepare("UPDATE audit_entries SET changes = '{}' WHERE id = 5").run();
    expect(verifyTrail(t.app.conn.db)).toMatchObject({
      ok: false,
      brokenAt: 5,
      reason: expect.stringContaining('edited'),
    });
  });

  it('catches an edit that also recomputes the entry’s own hash', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    s.prepare("UPDATE audit_entries SET user_id = 999, hash = 'f' || substr(hash, 2) WHERE id = 7").run();
    expect(verifyTrail(t.app.conn.db)).toMatchObject({ ok: false, brokenAt: 7 });
  });

  it('catches a deleted entry in the middle and at the end', async () => {
    const t = await buildTestApp();
    t.app.conn.sqlite.prepare('DELETE FROM audit_entries WHERE id = 10').run();
    expect(verifyTrail(t.app.conn.db)).toMatchObject({ ok: false, brokenAt: 11 });
    const u = await buildTestApp();
    const last = (u.app.conn.sqlite.prepare('SELECT max(id) AS id FROM audit_entries').get() as { id: number }).id;
    u.app.conn.sqlite.prepare('DELETE FROM audit_entries WHERE id = ?').run(last);
    expect(verifyTrail(u.app.conn.db)).toMatchObject({
      ok: false,
      brokenAt: last,
      reason: expect.stringContaining('removed'),
    });
  });

  it('catches an inserted entry', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const row = s.prepare('SELECT * FROM audit_entries WHERE id = 3').get() as Record<string, unknown>;
    s.prepare('UPDATE audit_entries SET id = id + 1000000 WHERE id > 3').run();
    s.prepare(
      'INSERT INTO audit_entries (id, at, user_id, engagement_id, entity, entity_id, action, changes, prev_hash, hash) VALUES (4, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      row.at,
      row.user_id,
      row.engagement_id,
      'engagement',
      '1',
      'update',
      '{"status":["fieldwork","completed"]}',
      row.hash,
      row.hash,
    );
    s.prepare('UPDATE audit_entries SET id = id - 1000000 + 1 WHERE id > 1000000').run();
    expect(verifyTrail(t.app.conn.db)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  const cli = (file: string) => () => {
    try {
      return {
        code: 0,
        out: execFileSync(
          process.execPath,
          ['--import', 'tsx', path.join(findRootDir(), 'scripts/verify-audit-trail.ts'), file],
          { encoding: 'utf8' },
        ),
      };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { code: e.status, out: e.stdout };
    }
  };

  it('npm run verify-audit-trail reports the first broken entry of a database file', async () => {
    const t = await buildTestApp();
    const run = cli(path.join(t.dir, 'tickmark.db'));
    t.app.conn.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(run()).toMatchObject({ code: 0, out: expect.stringContaining('Audit trail intact') });
    t.app.conn.sqlite.prepare("UPDATE audit_entries SET action = 'delete' WHERE id = 2").run();
    t.app.conn.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(run()).toMatchObject({ code: 1, out: expect.stringContaining('BROKEN at entry 2') });
  });

  it('npm run verify-audit-trail checks the signed checkpoints beside the database, and says what it cannot prove', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const run = cli(path.join(t.dir, 'tickmark.db'));
    s.pragma('wal_checkpoint(TRUNCATE)');
    const intact = run();
    expect(intact).toMatchObject({ code: 0, out: expect.stringContaining('1 checkpoint, the latest at entry') });
    expect(intact.out).toContain('What this check cannot prove');
    expect(intact.out).toContain('Whoever can read the signing key');
    const last = (s.prepare('SELECT max(id) AS id FROM audit_entries').get() as { id: number }).id;
    s.prepare('DELETE FROM audit_entries WHERE id > ?').run(last - 2);
    s.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_entries'").run(last - 2);
    s.pragma('wal_checkpoint(TRUNCATE)');
    expect(run()).toMatchObject({
      code: 1,
      out: expect.stringContaining(`BROKEN at entry ${last - 1}: entries ${last - 1}–${last} were removed`),
    });
  });
});
