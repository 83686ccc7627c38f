// kill -9 during an archive import (or an upload, an export, a backup) leaves files behind; the next start
// removes them, and collects stored evidence no row refers to once it is past the grace period. Evidence any row
// refers to is never collected, however old: superseded files and those of imported engagements included.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import * as schema from '../../../src/db/schema/index.js';
import { verifyTrail } from '../../../src/core/audit/trail.js';
import { EvidenceStorage } from '../../../src/core/files/storage.js';
import { Client, loginAs } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';
import { exportArchive, importArchive } from '../archive/archive-helpers.js';
import { rows, workpaper, type Workpaper } from '../testing/helpers.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const HOUR = 3_600_000;
const restarted: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of restarted.splice(0)) await app.close();
});

function ageFile(file: string, hours: number): void {
  const when = new Date(Date.now() - hours * HOUR);
  utimesSync(file, when, when);
}

/** Content put into the store the way a killed upload leaves it: stored, never recorded. */
function storeOrphan(dataDir: string, content: string, ageHours: number): string {
  const sha = sha256(content);
  const file = path.join(dataDir, 'evidence', sha.slice(0, 2), sha);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  ageFile(file, ageHours);
  return sha;
}

function writeLeftover(file: string, content = 'partial upload'): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const blobPath = (dataDir: string, sha: string) => path.join(dataDir, 'evidence', sha.slice(0, 2), sha);

/** Evidence referred to only by rows of a superseded file, and only by an imported engagement. */
async function referencedOnlyInHistory(w: Workpaper): Promise<{ superseded: string; importedOnly: string }> {
  const superseded = 'Change listing as first received.\n';
  await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'listing.txt', content: superseded });
  const first = rows(w.t, 'SELECT id FROM evidence_files WHERE sha256 = ?', sha256(superseded))[0]!;
  await upload(
    w.t.app,
    w.staff,
    `${w.url}/evidence/${first.id}/supersede`,
    {},
    { name: 'listing-v2.txt', content: 'Change listing, corrected.\n' },
  );
  const importedOnly = 'Approval e-mail kept only in the imported copy.\n';
  await upload(w.t.app, w.staff, `${w.url}/evidence`, {}, { name: 'approval.txt', content: importedOnly });
  const zip = await exportArchive(await loginAs(w.t.app, 'manager'), w.eid);
  expect((await importArchive(w.t, await loginAs(w.t.app, 'admin'), zip)).statusCode).toBe(303);
  const own = rows(
    w.t,
    'SELECT id FROM evidence_files WHERE sha256 = ? AND engagement_id = ?',
    sha256(importedOnly),
    w.eid,
  )[0]!;
  await w.staff.get(w.url);
  expect((await w.staff.post(`${w.url}/evidence/${own.id}/delete`, {})).statusCode).toBe(303);
  expect(
    rows(w.t, 'SELECT engagement_id FROM evidence_files WHERE sha256 = ?', sha256(importedOnly)).map(
      (r) => r.engagement_id,
    ),
  ).not.toContain(w.eid);
  return { superseded: sha256(superseded), importedOnly: sha256(importedOnly) };
}

describe('start-up after an interrupted import', () => {
  it('removes the leftovers and the old unreferenced evidence, keeps fresh orphans and every referenced file', async () => {
    const w = await workpaper();
    const dir = w.t.dir;
    const history = await referencedOnlyInHistory(w);
    const keptUpload = writeLeftover(path.join(dir, 'uploads', `${randomUUID()}.upload`), 'Change ID,Date\n');
    // A population refers to its upload by a path from before the data directory moved: its file name still counts.
    w.t.app.conn.sqlite
      .prepare('UPDATE populations SET upload_path = ? WHERE id = ?')
      .run(
        path.join('/srv/old-data/uploads', path.basename(keptUpload)),
        rows(w.t, 'SELECT population_id FROM samples WHERE id = ?', w.sampleId)[0]!.population_id,
      );
    const referenced = [...new Set(rows(w.t, 'SELECT sha256 FROM evidence_files').map((r) => String(r.sha256)))];
    const ownEvidence = rows(w.t, 'SELECT id FROM evidence_files WHERE engagement_id = ?', w.eid).map((r) =>
      Number(r.id),
    );
    await w.t.app.close();

    // What kill -9 left: the uploaded archive, its unpacked folder with evidence not yet recorded, an export's
    // scratch file, half-received uploads, a population upload no population refers to, a backup's folder.
    const leftovers = [
      writeLeftover(path.join(dir, 'archive-incoming', `${randomUUID()}.upload`)),
      writeLeftover(path.join(dir, 'archive-incoming', 'import-Ab12Cd', 'engagement.json'), '{"format":'),
      writeLeftover(path.join(dir, 'archive-incoming', 'import-Ab12Cd', 'evidence', '0'.repeat(64))),
      writeLeftover(path.join(dir, 'archive-outgoing', 'export-Xy34Zw', 'engagement.json')),
      writeLeftover(path.join(dir, 'evidence', 'incoming', `${randomUUID()}.upload`)),
      writeLeftover(path.join(dir, 'uploads', `${randomUUID()}.upload`)),
      writeLeftover(path.join(dir, '.backup-K1ll3d', 'tickmark.db')),
    ];
    ageFile(path.join(dir, '.backup-K1ll3d'), 25);
    const runningBackup = writeLeftover(path.join(dir, '.backup-Runn1n', 'tickmark.db'));
    for (const sha of referenced) ageFile(blobPath(dir, sha), 24 * 400);
    const oldOrphans = [
      storeOrphan(dir, 'stored by an import killed yesterday', 25),
      storeOrphan(dir, 'another one, from last month', 24 * 30),
    ];
    const freshOrphan = storeOrphan(dir, 'stored a moment ago by an upload still being recorded', 0.5);

    const logs: string[] = [];
    const app = await buildApp(w.t.config, {
      logger: { level: 'info', stream: { write: (line: string) => void logs.push(line) } },
    });
    restarted.push(app);

    for (const file of leftovers) expect(existsSync(file), file).toBe(false);
    expect(readdirSync(path.join(dir, 'archive-incoming'))).toEqual([]);
    expect(existsSync(keptUpload)).toBe(true);
    expect(existsSync(runningBackup)).toBe(true);
    for (const sha of oldOrphans) expect(existsSync(blobPath(dir, sha))).toBe(false);
    expect(existsSync(blobPath(dir, freshOrphan))).toBe(true);
    expect(referenced).toEqual(expect.arrayContaining([history.superseded, history.importedOnly]));
    for (const sha of referenced) expect(sha256(readFileSync(blobPath(dir, sha))), sha).toBe(sha);

    // What went is logged and recorded in the trail, which still verifies.
    const collectedLog = logs
      .map((l) => JSON.parse(l) as { msg: string; collected?: { sha256: string }[] })
      .find((l) => l.collected);
    expect(collectedLog?.msg).toMatch(/^collected 2 evidence files no record refers to, stored more than 24 h ago/);
    expect(collectedLog!.collected!.map((c) => c.sha256).sort()).toEqual([...oldOrphans].sort());
    const removedLog = logs
      .map((l) => JSON.parse(l) as { msg: string; leftovers?: { path: string }[] })
      .find((l) => l.leftovers);
    expect(removedLog?.msg).toMatch(/^removed 6 leftovers of interrupted work/);
    expect(removedLog!.leftovers!.map((l) => path.relative(dir, l.path)).sort()).toEqual(
      [
        '.backup-K1ll3d',
        'archive-incoming/import-Ab12Cd',
        path.relative(dir, leftovers[0]!),
        'archive-outgoing/export-Xy34Zw',
        path.relative(dir, leftovers[4]!),
        path.relative(dir, leftovers[5]!),
      ].sort(),
    );
    const entry = app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE entity = 'evidence-store' AND action = 'collect'")
      .get() as { changes: string };
    for (const sha of oldOrphans) expect(entry.changes).toContain(sha);
    expect(verifyTrail(drizzle(app.conn.sqlite, { schema })).ok).toBe(true);

    // The restarted app still serves every kept file.
    const staff = new Client(app);
    await staff.login('staff@demo.tickmark.test');
    for (const id of ownEvidence) {
      expect((await staff.get(`/engagements/${w.eid}/evidence/${id}/download`)).statusCode).toBe(200);
    }
  });

  it('storing content that is already there, unreferenced and old, starts its grace period again', async () => {
    const w = await workpaper();
    const uploaded = storeOrphan(w.t.dir, 'Content a killed upload stored and never recorded.\n', 48);
    const imported = storeOrphan(w.t.dir, 'Content a killed import stored and never recorded.\n', 48);
    // An upload of the same content, and an import that finds its content already stored (EvidenceStorage.reuse).
    await upload(
      w.t.app,
      w.staff,
      `${w.url}/evidence`,
      {},
      { name: 'again.txt', content: 'Content a killed upload stored and never recorded.\n' },
    );
    expect(EvidenceStorage.under(w.t.dir).reuse(imported)).toBe(true);
    for (const sha of [uploaded, imported])
      expect(Date.now() - statSync(blobPath(w.t.dir, sha)).mtimeMs).toBeLessThan(HOUR);
    // Were the process killed before either was recorded, the next start keeps them for the grace period.
    w.t.app.conn.sqlite.prepare('DELETE FROM evidence_files WHERE sha256 = ?').run(uploaded);
    await w.t.app.close();
    restarted.push(await buildApp(w.t.config, { logger: false }));
    for (const sha of [uploaded, imported]) expect(existsSync(blobPath(w.t.dir, sha))).toBe(true);
  });
});
