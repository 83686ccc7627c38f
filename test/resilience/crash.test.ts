// Kills the server with SIGKILL at random moments during grid saves and during a large population import,
// restarting it each time; afterwards the database is intact, every acknowledged save is there, no
// population is half-imported, and the audit trail verifies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema/index.js';
import { verifyTrail } from '../../src/core/audit/trail.js';
import { freePort, HttpClient, ServerProcess } from '../../scripts/lib/server-process.js';

const KILLS_DURING_SAVES = 10;
const KILLS_DURING_IMPORTS = 10;
const IMPORT_ROWS = 25_000;
const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dbFile = path.join(dir, 'tickmark.db');
const read = <T>(sql: string, ...args: unknown[]): T[] => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
};
const randomDelay = (min: number, max: number) => new Promise((r) => setTimeout(r, min + Math.random() * (max - min)));

function csv(rows: number): Blob {
  const lines = ['Key,Date,Description'];
  for (let i = 1; i <= rows; i++) lines.push(`T-${i},2025-${String((i % 12) + 1).padStart(2, '0')}-15,Ticket ${i}`);
  return new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' });
}

async function upload(
  server: ServerProcess,
  client: HttpClient,
  engagementId: number,
  controlId: number,
  rows: number,
): Promise<string> {
  await client.get(`/engagements/${engagementId}/controls/${controlId}/population`);
  const form = new FormData();
  form.append('_csrf', client.csrf);
  form.append('window', '0');
  form.append('file', csv(rows), 'tickets.csv');
  const res = await fetch(`${server.base}/engagements/${engagementId}/controls/${controlId}/populations/upload`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: client.cookie },
  });
  return res.headers.get('location')!;
}

/** The list's C&A recorded (its count tying to the import) and marked complete, as the senior does before sampling. */
async function completeCa(client: HttpClient, url: string, rows: number): Promise<void> {
  const versionOf = async () => /name="version" value="(\d+)"/.exec((await client.get(url)).body)![1]!;
  const evidence = {
    sourceSystem: 'Okta',
    reportUsed: 'User creation log, 2025',
    procedures: 'Agreed the count to the Okta console.',
    clientCount: String(rows),
  };
  await client.post(`${url}/ca`, { ...evidence, version: await versionOf(), _csrf: client.csrf });
  const res = await client.post(`${url}/ca/complete`, { version: await versionOf(), _csrf: client.csrf });
  if (res.status !== 303) throw new Error(`C&A completion failed: ${res.status}`);
}

/** A new-user access list of 300 requests, imported and sampled (60 items) through the app itself. */
async function sampledPopulation(
  server: ServerProcess,
  client: HttpClient,
  engagementId: number,
  controlId: number,
): Promise<number> {
  await client.login('senior@demo.tickmark.test');
  const mapping = await upload(server, client, engagementId, controlId, 300);
  await client.get(mapping);
  await client.post(mapping, {
    header: 'on',
    key: '0',
    date: '1',
    description: '2',
    dateFormat: 'iso',
    _csrf: client.csrf,
  });
  const id = Number(/populations\/(\d+)/.exec(mapping)![1]);
  await completeCa(client, `/engagements/${engagementId}/populations/${id}`, 300);
  await client.get(`/engagements/${engagementId}/controls/${controlId}/sampling`);
  const res = await client.post(`/engagements/${engagementId}/populations/${id}/samples`, {
    sizing: 'table',
    method: 'random',
    seed: '424242',
    _csrf: client.csrf,
  });
  if (res.status !== 303) throw new Error(`selection failed: ${res.status}`);
  return id;
}

describe('crashes', () => {
  it(`survives ${KILLS_DURING_SAVES + KILLS_DURING_IMPORTS} kills without losing an acknowledged write`, {
    timeout: 300_000,
  }, async () => {
    const server = new ServerProcess(dir, await freePort());
    const client = new HttpClient(() => server.base);
    await server.start();
    const [eng] = read<{ id: number }>("SELECT id FROM engagements WHERE client_name = 'Nimbus Ledger, Inc.'");
    const [control] = read<{ id: number }>("SELECT id FROM controls WHERE reference = 'CC6.2-01'");
    const population = { id: await sampledPopulation(server, client, eng!.id, control!.id) };
    const items = read<{ id: number }>(
      'SELECT si.id FROM sample_items si JOIN samples s ON s.id = si.sample_id WHERE s.population_id = ? ORDER BY si.sequence',
      population!.id,
    );
    const letters = read<{ letter: string }>(
      'SELECT letter FROM test_attributes WHERE control_id = ? ORDER BY letter',
      control!.id,
    ).map((a) => a.letter);
    const cells = items.flatMap((i) => letters.map((attribute) => ({ item: i.id, attribute })));
    const url = `/engagements/${eng!.id}/controls/${control!.id}/workpaper/${population!.id}/cells`;
    const acknowledged: { item: number; attribute: string }[] = [];
    let next = 0;

    for (let round = 0; round < KILLS_DURING_SAVES; round++) {
      await client.login('staff@demo.tickmark.test');
      await client.get(`/engagements/${eng!.id}/controls/${control!.id}/workpaper`);
      const killer = randomDelay(50, 600).then(() => server.kill());
      while (next < cells.length) {
        const cell = cells[next]!;
        try {
          const res = await client.post(
            url,
            { item: String(cell.item), attribute: cell.attribute, result: 'pass', version: '0' },
            { 'hx-request': 'true' },
          );
          if (res.status === 200) acknowledged.push(cell);
          next++;
        } catch {
          break; // the server died under this request: it was never acknowledged
        }
      }
      await killer;
      await server.start();
    }

    const imports: number[] = [];
    const [changes] = read<{ id: number }>("SELECT id FROM controls WHERE reference = 'CC7.4-01'");
    for (let round = 0; round < KILLS_DURING_IMPORTS; round++) {
      await client.login('senior@demo.tickmark.test');
      const mapping = await upload(server, client, eng!.id, changes!.id, IMPORT_ROWS);
      imports.push(Number(/populations\/(\d+)/.exec(mapping)![1]));
      await client.get(mapping);
      const started = client
        .post(mapping, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso', _csrf: client.csrf })
        .catch(() => null);
      await randomDelay(20, 900);
      await server.kill();
      await started;
      await server.start();
    }
    await server.kill();

    expect(read<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const saved = new Set(
      read<{ sample_item_id: number; attribute: string }>(
        "SELECT sample_item_id, attribute FROM test_results WHERE result = 'pass'",
      ).map((r) => `${r.sample_item_id}/${r.attribute}`),
    );
    const lost = acknowledged.filter((c) => !saved.has(`${c.item}/${c.attribute}`));
    expect(lost).toEqual([]);
    expect(read('SELECT id FROM populations WHERE status = ?', 'importing')).toEqual([]);
    for (const id of imports) {
      const [p] = read<{ row_count: number; n: number }>(
        'SELECT row_count, (SELECT count(*) FROM population_items WHERE population_id = p.id) AS n FROM populations p WHERE id = ?',
        id,
      );
      expect([id, p!.n]).toEqual([id, p!.row_count]);
      expect([0, IMPORT_ROWS]).toContain(p!.n);
    }
    const db = new Database(dbFile, { readonly: true });
    const trail = verifyTrail(drizzle(db, { schema }));
    db.close();
    expect(trail.ok).toBe(true);
    console.log(
      `crashes: ${KILLS_DURING_SAVES + KILLS_DURING_IMPORTS} kills survived, ${acknowledged.length} acknowledged saves checked, ${imports.length} interrupted imports left nothing half-written`,
    );
  });
});
