// The breaks of issue 12, item 7: deleting the newest entries and resetting sqlite_sequence, and editing one entry
// and recomputing every later hash, both passed the chain check. Signed checkpoints of the head, kept outside
// the database, catch both for every entry a checkpoint covers.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { backup, restore } from '../../../src/features/backup/backup.js';
import { loadConfig } from '../../../src/config.js';
import { anchoringFrom, type Checkpoint } from '../../../src/features/audit-trail/checkpoints.js';
import { appendAudit, entryHash, verifyTrail } from '../../../src/core/audit/trail.js';
import { loadInstanceKey } from '../../../src/core/signing/index.js';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { completeFieldwork } from '../../helpers/factories.js';
import { exportArchive } from '../archive/archive-helpers.js';
import { versionIn } from '../../helpers/form-version.js';

const lines = (t: TestApp) =>
  readFileSync(t.app.trailAnchor.file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Checkpoint);
const lastId = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT max(id) AS id FROM audit_entries').get() as { id: number }).id;

/** A few ordinary writes through the app, so the trail grows past the start-up checkpoint. */
async function someWork(t: TestApp): Promise<void> {
  const eid = demoEngagementId(t);
  const manager = await loginAs(t.app, 'manager');
  for (const name of ['Renamed once', 'Renamed twice', 'Nimbus Ledger, Inc.']) {
    const page = await manager.get(`/engagements/${eid}/edit`);
    const res = await manager.post(`/engagements/${eid}/edit`, {
      version: versionIn(page.body),
      clientName: name,
      systemName: 'Ledger Cloud',
      framework: 'soc2',
      reportType: 'type2',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      status: 'fieldwork',
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
  }
}

/** The attacker's rewrite: entry `id` edited and every later hash recomputed, so the chain holds again. */
function rewriteFrom(t: TestApp, id: number): void {
  const s = t.app.conn.sqlite;
  s.prepare('UPDATE audit_entries SET changes = \'{"note":[null,"rewritten"]}\' WHERE id = ?').run(id);
  let prev = (s.prepare('SELECT hash FROM audit_entries WHERE id = ?').get(id - 1) as { hash: string }).hash;
  for (const row of s.prepare('SELECT * FROM audit_entries WHERE id >= ? ORDER BY id').all(id) as Record<
    string,
    unknown
  >[]) {
    const fields = {
      at: row.at as string,
      userId: row.user_id as number | null,
      engagementId: row.engagement_id as number | null,
      entity: row.entity as string,
      entityId: row.entity_id as string,
      action: row.action as string,
      changes: row.changes as string,
      prevHash: prev,
    };
    prev = entryHash(fields);
    s.prepare('UPDATE audit_entries SET prev_hash = ?, hash = ? WHERE id = ?').run(fields.prevHash, prev, row.id);
  }
}

describe('trail checkpoints', () => {
  it('are written at start-up and at each archive export, signed, in a file only its owner reads', async () => {
    const t = await buildTestApp();
    const start = lines(t);
    expect(start).toEqual([
      expect.objectContaining({ reason: 'start', id: lastId(t), key: t.app.signingKey.publicKey.fingerprint }),
    ]);
    expect(statSync(t.app.trailAnchor.file).mode & 0o777).toBe(0o600);
    expect(t.app.trailAnchor.file).toBe(path.join(t.dir, 'tickmark.db.checkpoints'));
    const manager = await loginAs(t.app, 'manager');
    await exportArchive(manager, demoEngagementId(t));
    const after = lines(t);
    expect(after.map((c) => c.reason)).toEqual(['start', 'export', 'export']);
    expect(after.at(-1)!.id).toBe(lastId(t));
    expect(t.app.conn.sqlite.prepare('SELECT action FROM audit_entries WHERE id = ?').get(after.at(-1)!.id)).toEqual({
      action: 'export',
    });
    expect(verifyTrail(t.app.conn.db, t.app.trailAnchor.anchoring())).toMatchObject({
      ok: true,
      checkpoints: 3,
      latestCheckpoint: { id: lastId(t) },
    });
  });

  it('are written when the partner approves the opinion and archives the engagement', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    completeFieldwork(t, eid);
    t.app.conn.sqlite.prepare("UPDATE review_notes SET status = 'cleared' WHERE engagement_id = ?").run(eid);
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${eid}/opinion`);
    const approved = await partner.post(`/engagements/${eid}/opinion/approve`, {
      type: 'qualified',
      reason: 'Qualified for the exceptions in change management.',
    });
    expect(approved.statusCode, approved.body.slice(0, 500)).toBe(303);
    expect(lines(t).at(-1)).toMatchObject({ reason: 'approval', id: lastId(t) });
    await partner.get(`/engagements/${eid}/archive`);
    expect((await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(303);
    expect(lines(t).map((c) => c.reason)).toEqual(['start', 'approval', 'archive']);
    expect(lines(t).at(-1)!.id).toBe(lastId(t));
  });

  it('catch the newest entries deleted and sqlite_sequence reset, once a checkpoint covers them', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const covered = lastId(t);
    await someWork(t);
    const keep = covered - 3;
    // Entries after the latest checkpoint are not anchored yet, and the verifier says so.
    const early = verifyTrail(t.app.conn.db, t.app.trailAnchor.anchoring());
    expect(early).toMatchObject({
      ok: true,
      limits: expect.arrayContaining([
        expect.stringContaining(`newest entries (${covered + 1}–${lastId(t)}) came after the latest checkpoint`),
      ]),
    });
    s.prepare('DELETE FROM audit_entries WHERE id > ?').run(keep);
    s.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_entries'").run(keep);
    expect(verifyTrail(t.app.conn.db)).toMatchObject({ ok: true });
    expect(verifyTrail(t.app.conn.db, t.app.trailAnchor.anchoring())).toMatchObject({
      ok: false,
      brokenAt: keep + 1,
      reason: expect.stringContaining(`entries ${keep + 1}–${covered} were removed: the checkpoint of`),
    });
    const partner = await loginAs(t.app, 'partner');
    await partner.get(`/engagements/${demoEngagementId(t)}/history`);
    const page = await partner.post(`/engagements/${demoEngagementId(t)}/audit-trail/verify`);
    expect(page.body).toContain(`The audit trail is broken at entry ${keep + 1}`);
    expect(page.body).toContain('What this check cannot prove');
  });

  it('catch one entry edited and every later hash recomputed', async () => {
    const t = await buildTestApp();
    const covered = lastId(t);
    await someWork(t);
    rewriteFrom(t, 5);
    expect(verifyTrail(t.app.conn.db)).toMatchObject({ ok: true });
    expect(verifyTrail(t.app.conn.db, t.app.trailAnchor.anchoring())).toMatchObject({
      ok: false,
      brokenAt: covered,
      reason: expect.stringContaining(`an entry from 1 to ${covered} was changed and every later hash recomputed`),
    });
  });

  it('hold up only if the checkpoint file does: a forged or reordered line is named, a torn one left out, a missing file said plainly', async () => {
    const t = await buildTestApp();
    const file = t.app.trailAnchor.file;
    const check = () => verifyTrail(t.app.conn.db, t.app.trailAnchor.anchoring());
    const original = readFileSync(file, 'utf8');
    const [good] = lines(t);
    const other = loadInstanceKey(mkdtempSync(path.join(t.dir, 'other-')));
    const forged = { ...good!, hash: 'f'.repeat(64), key: other.publicKey.fingerprint };
    appendFileSync(file, `${JSON.stringify(forged)}\n`);
    expect(check()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is not signed by this instance’s key'),
    });
    writeFileSync(file, original);
    appendAudit(t.app.conn.db, null, {
      engagementId: null,
      entity: 'firm-methodology',
      entityId: 1,
      action: 'create',
      changes: {},
    });
    t.app.trailAnchor.checkpoint('archive');
    const [first, second] = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${second}\n${first}\n`);
    expect(check()).toMatchObject({ ok: false, reason: expect.stringContaining('goes back before the one above it') });
    writeFileSync(file, `${original}{"format":"tickmark-trail-che`);
    expect(check()).toMatchObject({ ok: true, checkpoints: 1 });
    t.app.trailAnchor.checkpoint('approval');
    expect(check()).toMatchObject({
      ok: true,
      checkpoints: 2,
      limits: expect.arrayContaining([expect.stringContaining('Line 2 of the checkpoint file is no checkpoint')]),
    });
    rmSync(file);
    expect(check()).toMatchObject({
      ok: true,
      checkpoints: 0,
      limits: expect.arrayContaining([expect.stringContaining('There is no checkpoint file')]),
    });
    expect(anchoringFrom(file, null, 'x').limits.join(' ')).toContain('Whoever can read the signing key');
  });
});

describe('the hourly checkpoint', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('runs while the app does, only when the head moved, and stops with the app', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-hourly-'));
    dirs.push(dir);
    const app = await buildApp(
      loadConfig({
        TICKMARK_DATA_DIR: dir,
        TICKMARK_SESSION_SECRET: 'x'.repeat(40),
        TICKMARK_DEMO: '0',
        LOG_LEVEL: 'silent',
      }),
      { logger: false, checkpointEveryMs: 25 },
    );
    const reasons = () =>
      readFileSync(app.trailAnchor.file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as Checkpoint).reason);
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    expect(reasons()).toEqual(['start']);
    await wait(150);
    expect(reasons()).toEqual(['start']);
    appendAudit(app.conn.db, null, {
      engagementId: null,
      entity: 'firm-methodology',
      entityId: 1,
      action: 'create',
      changes: {},
    });
    for (let i = 0; i < 40 && reasons().length < 2; i++) await wait(25);
    expect(reasons()).toEqual(['start', 'hourly']);
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    await app.close();
    expect(cleared).toHaveBeenCalled();
    cleared.mockRestore();
    expect(existsSync(path.join(dir, 'signing-key.pem'))).toBe(true);
  });
});

describe('restoring a backup', () => {
  it('moves the live checkpoints aside with the database they anchored and puts back the backed-up ones', async () => {
    const t = await buildTestApp();
    const zip = path.join(t.dir, 'backup.zip');
    const backedUp = readFileSync(t.app.trailAnchor.file);
    await backup(path.join(t.dir, 'tickmark.db'), t.dir, zip);
    const target = mkdtempSync(path.join(t.dir, 'restored-'));
    const db = path.join(target, 'tickmark.db');
    await restore(zip, db, target);
    const live = Buffer.from('{"checkpoint of the database being replaced":true}\n');
    writeFileSync(`${db}.checkpoints`, live);
    const result = await restore(zip, db, target);
    expect(readFileSync(`${db}.checkpoints`)).toEqual(backedUp);
    expect(readFileSync(path.join(result.movedAside!, 'tickmark.db.checkpoints'))).toEqual(live);
  });
});
