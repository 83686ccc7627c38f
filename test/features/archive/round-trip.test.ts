import { describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../../src/db/schema/index.js';
import { verifyTrail } from '../../../src/core/audit/trail.js';
import { archivePlan } from '../../../src/features/archive/table-plan.js';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { readInstanceKey, type InstanceKey } from '../../../src/core/signing/index.js';
import {
  contentOf,
  evidenceStore,
  exportArchive,
  forge,
  importArchive,
  rezip,
  rowCounts,
  trustKey,
  unzip,
  type Entries,
} from './archive-helpers.js';

/** The archive with two controls given the same reference: consistent, signed again, refused by the database. */
async function withDuplicateReference(entries: Entries, signer: InstanceKey): Promise<Buffer> {
  const data = JSON.parse(entries.get('engagement.json')!.toString()) as {
    tables: { controls: { reference: string }[] };
  };
  data.tables.controls[1]!.reference = data.tables.controls[0]!.reference;
  return rezip(forge(entries, { 'engagement.json': Buffer.from(JSON.stringify(data)) }, signer));
}

/** Fills the tables the demo leaves empty, so the round trip carries a row of every engagement table. */
function fillEveryTable(t: TestApp, eid: number): void {
  const s = t.app.conn.sqlite;
  const partner = (s.prepare("SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'").get() as { id: number })
    .id;
  s.prepare(
    "INSERT INTO control_objectives (engagement_id, reference, text, position) VALUES (?, 'CO-1', 'Access is restricted.', 1)",
  ).run(eid);
  s.prepare(
    "INSERT INTO scope_limitations (engagement_id, criterion_ref, description, created_by, created_at) VALUES (?, 'CC9.2', 'Vendor reports not provided.', ?, '2026-01-05T00:00:00Z')",
  ).run(eid, partner);
  s.prepare(
    "INSERT INTO criterion_exclusions (engagement_id, criterion_ref, reason, created_by, created_at) VALUES (?, 'P1.1', 'The system holds no personal information.', ?, '2026-01-05T00:00:00Z')",
  ).run(eid, partner);
  s.prepare(
    "INSERT INTO control_imports (id, engagement_id, user_id, file_name, table_json, created_at) VALUES ('pending-1', ?, ?, 'matrix.xlsx', '[[\"Ref\"]]', '2026-01-05T00:00:00Z')",
  ).run(eid, partner);
  s.prepare(
    "INSERT INTO description_presentations (engagement_id, fairly_presented, matters, concluded_by, concluded_at) VALUES (?, 0, 'The description omits the nightly backup process.', ?, '2026-02-20T00:00:00Z')",
  ).run(eid, partner);
  s.prepare(
    "INSERT INTO opinion_decisions (engagement_id, approved_type, proposed_type, approved_by, approved_at, updated_at) VALUES (?, 'qualified', 'qualified', ?, '2026-02-27T10:00:00.000Z', '2026-02-27T10:00:00.000Z')",
  ).run(eid, partner);
  const staff = (s.prepare("SELECT id FROM users WHERE email = 'staff@demo.tickmark.test'").get() as { id: number }).id;
  const wp = (
    s
      .prepare("SELECT w.id FROM workpapers w JOIN controls c ON c.id = w.control_id WHERE c.reference = 'CC1.4-01'")
      .get() as { id: number }
  ).id;
  s.prepare(
    "INSERT INTO workpaper_overrides (engagement_id, workpaper_id, kind, extend_to, rationale, proposed, deviations, items_tested, status, requested_by, requested_at, decided_by, decided_at, decline_reason) VALUES (?, ?, 'extension', 54, 'A wider sample shows whether it recurs.', 'not-effective', 2, 41, 'declined', ?, '2026-01-05T00:00:00Z', ?, '2026-01-06T00:00:00Z', 'Not warranted.')",
  ).run(eid, wp, staff, partner);
  const deviation = s
    .prepare(
      'SELECT x.id, x.workpaper_id AS workpaperId, x.version FROM exceptions x JOIN workpapers w ON w.id = x.workpaper_id WHERE w.engagement_id = ? LIMIT 1',
    )
    .get(eid) as { id: number; workpaperId: number; version: number };
  s.prepare(
    "INSERT INTO exception_anomalies (engagement_id, workpaper_id, exception_id, reason, exception_version, status, proposed_by, proposed_at, decided_by, decided_at, decline_reason) VALUES (?, ?, ?, 'Not representative: a one-off system outage.', ?, 'declined', ?, '2026-01-05T00:00:00Z', ?, '2026-01-06T00:00:00Z', 'Not under the AICPA standards.')",
  ).run(eid, deviation.workpaperId, deviation.id, deviation.version, staff, partner);
  s.prepare(
    "UPDATE engagements SET locked_at = '2026-02-27T10:00:00.000Z', locked_by = ?, status = 'completed' WHERE id = ?",
  ).run(partner, eid);
  const [automated, itgc] = s
    .prepare('SELECT id FROM controls WHERE engagement_id = ? ORDER BY id LIMIT 2')
    .all(eid) as { id: number }[];
  s.prepare('INSERT INTO control_itgc_links (control_id, itgc_id) VALUES (?, ?)').run(automated!.id, itgc!.id);
  const [first, last] = [
    s.prepare('SELECT min(id) AS id FROM evidence_files WHERE engagement_id = ?').get(eid) as { id: number },
    s.prepare('SELECT max(id) AS id FROM evidence_files WHERE engagement_id = ?').get(eid) as { id: number },
  ];
  s.prepare("UPDATE evidence_files SET superseded_by_id = ?, superseded_at = '2026-01-06T00:00:00Z' WHERE id = ?").run(
    last.id,
    first.id,
  );
  // The demo's assertion replaced by one whose file is also a piece of evidence: each content travels once.
  const evidence = s.prepare('SELECT sha256, size FROM evidence_files WHERE id = ?').get(last.id) as {
    sha256: string;
    size: number;
  };
  s.prepare("UPDATE management_assertions SET superseded_at = '2026-02-21T00:00:00Z' WHERE engagement_id = ?").run(eid);
  s.prepare(
    "INSERT INTO management_assertions (engagement_id, signer_name, signer_title, signed_on, sha256, original_name, size, file_type, recorded_by, recorded_at) VALUES (?, 'Dana Whitfield', 'Chief Executive Officer', '2026-02-21', ?, 'assertion-v2.pdf', ?, 'pdf', ?, '2026-02-21T00:00:00Z')",
  ).run(eid, evidence.sha256, evidence.size, partner);
}

describe('engagement archive round trip', () => {
  it('export, then import on a fresh instance, gives the same engagement: every table, every evidence file, the trail', async () => {
    const a = await buildTestApp();
    const eid = demoEngagementId(a);
    fillEveryTable(a, eid);
    const partner = await loginAs(a.app, 'partner');
    await partner.get(`/engagements/${eid}/archive`);
    const archived = await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' });
    expect(archived.statusCode).toBe(303);
    const manager = await loginAs(a.app, 'manager');
    const zip = await exportArchive(manager, eid);
    const entries = await unzip(zip);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
      files: { name: string }[];
      engagement: { clientName: string };
    };
    expect(manifest.engagement.clientName).toBe('Nimbus Ledger, Inc.');
    expect([...entries.keys()].sort()).toEqual(
      ['manifest.json', 'manifest.sig', ...manifest.files.map((f) => f.name)].sort(),
    );
    expect(entries.get('engagement.json')!.toString()).not.toMatch(/"(created_by|uploaded_by|user_id)":\s*\d/);
    expect(entries.get('engagement.json')!.toString()).toMatch(/"uploaded_by":\s*"[^"]+@/);

    const b = await buildTestApp({ demo: false });
    const admin = new Client(b.app);
    await admin.get('/setup');
    await admin.post('/setup', {
      name: 'Other Firm Admin',
      email: 'admin@other.test',
      password: 'another-long-password',
      confirm: 'another-long-password',
    });
    const empty = rowCounts(b.app.conn.sqlite);
    const untrusted = await importArchive(b, admin, zip);
    expect(untrusted.statusCode).toBe(422);
    expect(untrusted.body).toContain('it is signed by a key this instance does not trust');
    expect(rowCounts(b.app.conn.sqlite)).toEqual(empty);
    const keyOfA = readInstanceKey(a.config.dataDir)!;
    expect((await trustKey(admin, 'Firm A', keyOfA)).statusCode).toBe(303);
    const trusted = rowCounts(b.app.conn.sqlite);
    const refused = await importArchive(b, admin, await withDuplicateReference(entries, keyOfA));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'engagement.json holds data this instance&#39;s rules refuse (UNIQUE constraint failed',
    );
    expect(rowCounts(b.app.conn.sqlite)).toEqual(trusted);
    expect(evidenceStore(b.config.dataDir).size).toBe(0);

    const res = await importArchive(b, admin, zip);
    expect(res.statusCode, res.body).toBe(303);
    const landing = await admin.get(String(res.headers.location));
    expect(landing.body).toContain('Imported Nimbus Ledger, Inc.');
    expect(landing.body).toContain('Verified: signed by “Firm A”');
    expect(landing.body).toContain('Accounts created inactive');

    const tables = archivePlan()
      .map((p) => p.name)
      .filter((n) => n !== 'imported_audit_entries');
    const before = contentOf(a.app.conn.sqlite, tables, eid);
    for (const table of tables) expect([table, before[table]!.length > 0]).toEqual([table, true]);
    const imported = (b.app.conn.sqlite.prepare('SELECT max(id) AS id FROM engagements').get() as { id: number }).id;
    const after = contentOf(b.app.conn.sqlite, tables, imported);
    for (const table of tables) expect([table, after[table]]).toEqual([table, before[table]]);

    // Evidence and the signed management assertion alike (the demo records one, and the fill replaces it).
    const shas = (t: TestApp, id = t === a ? eid : imported) =>
      (
        t.app.conn.sqlite
          .prepare(
            'SELECT sha256 FROM evidence_files WHERE engagement_id = @id UNION SELECT sha256 FROM management_assertions WHERE engagement_id = @id ORDER BY sha256',
          )
          .all({ id }) as { sha256: string }[]
      ).map((r) => r.sha256);
    expect(shas(a)).toContain(
      (
        a.app.conn.sqlite.prepare('SELECT sha256 FROM management_assertions WHERE superseded_at IS NOT NULL').get() as {
          sha256: string;
        }
      ).sha256,
    );
    const store = evidenceStore(b.config.dataDir);
    expect(shas(b)).toEqual(shas(a));
    for (const sha of shas(b)) expect(store.get(sha)).toBe(sha);

    const users = b.app.conn.sqlite
      .prepare("SELECT email, active FROM users WHERE email <> 'admin@other.test' ORDER BY email")
      .all() as { email: string; active: number }[];
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.active === 0)).toBe(true);
    expect((await new Client(b.app).login('partner@demo.tickmark.test')).statusCode).not.toBe(303);

    const original = a.app.conn.sqlite
      .prepare("SELECT id, hash FROM audit_entries WHERE engagement_id = ? AND action <> 'export' ORDER BY id")
      .all(eid);
    const kept = b.app.conn.sqlite
      .prepare('SELECT original_id AS id, hash FROM imported_audit_entries ORDER BY original_id')
      .all();
    expect(kept).toEqual(original);
    expect(verifyTrail(drizzle(b.app.conn.sqlite, { schema }))).toMatchObject({ ok: true });
    expect(
      b.app.conn.sqlite
        .prepare("SELECT action FROM audit_entries WHERE entity = 'engagement' ORDER BY id DESC LIMIT 1")
        .get(),
    ).toEqual({ action: 'import' });
    expect(
      a.app.conn.sqlite
        .prepare('SELECT action FROM audit_entries WHERE engagement_id = ? ORDER BY id DESC LIMIT 1')
        .get(eid),
    ).toEqual({ action: 'export' });
  });
});
