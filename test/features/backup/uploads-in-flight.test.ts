// Backups taken while evidence uploads stream in, complete (moving out of incoming/ into the store) and are
// deleted: every backup completes, leaves the uploads still arriving out, and restores to a store that holds
// every file its database refers to.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { backup, BACKUP_WORK_PREFIX, restore } from '../../../src/features/backup/backup.js';
import type { Client } from '../../helpers/app.js';
import { rows, workpaper, type Workpaper } from '../testing/helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tickmark-backup-flight-'));
  dirs.push(d);
  return d;
};
/** Uploads streaming at once: enough for every backup to meet files arriving, finishing and deleted. */
const MAX_IN_FLIGHT = 6;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An evidence upload whose body arrives in small pieces, so its file sits half-written in incoming/ for a while. */
function slowUpload(
  w: Workpaper,
  client: Client,
  content: Buffer,
  pieces = 20,
  gapMs = 8,
): Promise<LightMyRequestResponse> {
  const boundary = `----tickmark${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note-${randomUUID().slice(0, 8)}.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const step = Math.ceil(content.length / pieces);
  async function* body() {
    yield head;
    for (let at = 0; at < content.length; at += step) {
      yield content.subarray(at, at + step);
      await pause(gapMs);
    }
    yield tail;
  }
  return w.t.app.inject({
    method: 'POST',
    url: `${w.url}/evidence`,
    payload: Readable.from(body()),
    headers: {
      cookie: client.cookie,
      'x-csrf-token': client.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
}

const incoming = (w: Workpaper) => {
  const dir = path.join(w.t.dir, 'evidence', 'incoming');
  return existsSync(dir) ? readdirSync(dir) : [];
};

/** Every evidence row of a restored database has its file, with the content its hash names. */
function assertStoreComplete(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'tickmark.db'), { readonly: true });
  const shas = (db.prepare('SELECT DISTINCT sha256 FROM evidence_files').all() as { sha256: string }[]).map(
    (r) => r.sha256,
  );
  db.close();
  for (const sha of shas) expect(sha256(readFileSync(path.join(dataDir, 'evidence', sha.slice(0, 2), sha)))).toBe(sha);
  return shas.length;
}

describe('backup with uploads in flight', () => {
  it('completes while uploads stream in, finish and are deleted, and restores to a store that holds every recorded file', async () => {
    const w = await workpaper();
    const dbPath = path.join(w.t.dir, 'tickmark.db');
    let uploading = true;
    const answers: Promise<LightMyRequestResponse>[] = [];
    let n = 0;
    const deleted = new Set<number>();
    // Uploads keep arriving, and some finished ones are deleted again (their files leave the store). At most a few
    // at once, so a slow machine (slower backups) does not pile up ever more uploads, each slower than the last.
    let inFlight = 0;
    const traffic = (async () => {
      while (uploading) {
        if (inFlight >= MAX_IN_FLIGHT) {
          await pause(5);
          continue;
        }
        const content = Buffer.from(`Inspected change ticket ${++n}.\n`.repeat(2000 + n));
        inFlight++;
        answers.push(slowUpload(w, w.staff, content).finally(() => inFlight--));
        if (n % 3 === 0) {
          const last = rows(
            w.t,
            "SELECT id FROM evidence_files WHERE original_name LIKE 'note-%' ORDER BY id DESC LIMIT 1",
          )[0];
          if (last && !deleted.has(Number(last.id))) {
            deleted.add(Number(last.id));
            answers.push(w.staff.post(`${w.url}/evidence/${last.id}/delete`, {}));
          }
        }
        await pause(15);
      }
    })();
    for (let i = 0; i < 200 && incoming(w).length === 0; i++) await pause(5);
    expect(incoming(w).length).toBeGreaterThan(0);

    const zips: string[] = [];
    for (let i = 0; i < 4; i++) {
      const zip = path.join(temp(), `backup-${i}.zip`);
      const manifest = await backup(dbPath, w.t.dir, zip);
      expect(manifest.files.filter((f) => f.name.startsWith('evidence/incoming'))).toEqual([]);
      expect(manifest.missingEvidence).toEqual([]);
      zips.push(zip);
    }
    uploading = false;
    await traffic;
    const settled = await Promise.all(answers);
    expect(settled.map((r) => r.statusCode).filter((c) => c !== 303)).toEqual([]);
    expect(n).toBeGreaterThan(4);
    expect(readdirSync(w.t.dir).filter((f) => f.startsWith(BACKUP_WORK_PREFIX))).toEqual([]);

    for (const zip of zips) {
      const target = temp();
      const result = await restore(zip, path.join(target, 'tickmark.db'), target);
      expect(result.auditEntries).toBeGreaterThan(0);
      expect(assertStoreComplete(target)).toBeGreaterThan(0);
      expect(existsSync(path.join(target, 'evidence', 'incoming'))).toBe(false);
    }
  });
});
