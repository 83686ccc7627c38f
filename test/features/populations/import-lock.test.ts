// Background work and the lock (issue 12, item 3): an import that outlives an approval or an archiving commits
// nothing and writes no trail entry; approval and archiving refuse while a job of the engagement runs.
// The import reads from a named pipe the test writes to, so that "meanwhile" is exactly where the test says.
import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { buildControl, completeFieldwork, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';
import { approveOpinion } from '../../../src/features/opinion/service.js';
import { archiveEngagement } from '../../../src/features/archive/archive-state.js';
import { getEngagement } from '../../../src/core/engagement/queries.js';
import { EngagementJobs } from '../../../src/core/engagement/jobs.js';
import { loadActiveUser } from '../../../src/core/auth/current-user.js';

const n = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite
    .prepare(sql)
    .pluck()
    .get(...args) as number;

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An uploaded draft whose stored file is swapped for a named pipe: the import reads what the test writes. */
async function importFromPipe(
  t: TestApp,
  eid: number,
  senior: Client,
): Promise<{ populationId: number; pipe: WriteStream; run: Promise<unknown> }> {
  const controlId = buildControl(t, eid, { reference: 'CHG-PIPE' });
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'changes.csv', content: ticketsCsv(3) },
  );
  const mappingUrl = String(res.headers.location);
  const populationId = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
  await senior.get(mappingUrl);
  const fifo = path.join(t.dir, 'uploads', 'slow.fifo');
  execFileSync('mkfifo', [fifo]);
  t.app.conn.sqlite.prepare('UPDATE populations SET upload_path = ? WHERE id = ?').run(fifo, populationId);
  const run = senior.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
  const pipe = createWriteStream(fifo);
  // An import that stops early closes its end: what the test still writes then goes nowhere.
  pipe.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  pipe.write('Change ID,Deployed,Summary,Amount\n');
  await until(
    'the import to start',
    () => n(t, "SELECT count(*) FROM populations WHERE id = ? AND status = 'importing'", populationId) === 1,
  );
  return { populationId, pipe, run };
}

/** Rows of the ticket file from `from` on; written through the pipe in one go. */
const rowsFrom = (from: number, count: number) =>
  `${ticketsCsv(from + count - 1)
    .split('\n')
    .slice(from, from + count)
    .join('\n')}\n`;

async function readyToApprove(t: TestApp, eid: number) {
  completeFieldwork(t, eid);
  t.app.conn.sqlite.prepare("UPDATE review_notes SET status = 'cleared'").run();
  const partner = await loginAs(t.app, 'partner');
  const page = await partner.get(`/engagements/${eid}/opinion`);
  return { partner, proposed: /<option value="(\w+)" selected>/.exec(page.body)![1]! };
}

describe('background imports and the lock', () => {
  it('approval is refused while an import runs, naming it, and goes ahead once it has finished', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const { partner, proposed } = await readyToApprove(t, eid);
    const { populationId, pipe, run } = await importFromPipe(t, eid, await loginAs(t.app, 'senior'));
    pipe.write(rowsFrom(1, 6000));
    await until(
      'the first batch',
      () => n(t, 'SELECT count(*) FROM population_items WHERE population_id = ?', populationId) >= 5000,
    );

    const page = await partner.get(`/engagements/${eid}/opinion`);
    expect(page.body).toContain(
      'The engagement cannot be approved while work on it is still running (the import of changes.csv for CHG-PIPE)',
    );
    const refused = await partner.post(`/engagements/${eid}/opinion/approve`, { type: proposed });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'cannot be approved while work on it is still running (the import of changes.csv for CHG-PIPE)',
    );
    expect(getEngagement(t.app.conn.db, eid)!.lockedAt).toBeNull();

    pipe.end(rowsFrom(6001, 100));
    await run;
    await until(
      'the import to finish',
      () => n(t, "SELECT count(*) FROM populations WHERE id = ? AND status = 'draft'", populationId) === 1,
    );
    expect(n(t, 'SELECT row_count FROM populations WHERE id = ?', populationId)).toBe(6100);
    await partner.get(`/engagements/${eid}/opinion`);
    expect((await partner.post(`/engagements/${eid}/opinion/approve`, { type: proposed })).statusCode).toBe(303);
  });

  it('an import that outlives an approval and an archiving it did not hold up keeps no rows, and after the archive entry the trail holds only the removal of its rows', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const { proposed } = await readyToApprove(t, eid);
    const { populationId, pipe, run } = await importFromPipe(t, eid, await loginAs(t.app, 'senior'));
    pipe.write(rowsFrom(1, 6000));
    await until(
      'the first batch',
      () => n(t, 'SELECT count(*) FROM population_items WHERE population_id = ?', populationId) >= 5000,
    );

    // Approval and archiving by a path the app's job list does not see (another process, say).
    const partnerId = n(t, "SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'");
    const actor = loadActiveUser(t.app.conn.db, partnerId)!;
    const nobodyRunning = new EngagementJobs();
    approveOpinion(
      t.app.conn.db,
      actor,
      getEngagement(t.app.conn.db, eid)!,
      { type: proposed as never, proposed: proposed as never, reason: '' },
      nobodyRunning,
      t.config.rootDir,
    );
    archiveEngagement(t.app.conn.db, actor, eid, nobodyRunning);
    const archiveEntry = n(t, "SELECT max(id) FROM audit_entries WHERE engagement_id = ? AND action = 'archive'", eid);

    pipe.end(rowsFrom(6001, 20_000));
    await run;
    await until(
      'the import to stop',
      () => n(t, "SELECT count(*) FROM populations WHERE id = ? AND status = 'importing'", populationId) === 0,
    );
    expect(n(t, 'SELECT count(*) FROM population_items WHERE population_id = ?', populationId)).toBe(0);
    expect(
      t.app.conn.sqlite
        .prepare('SELECT status, row_count, import_error FROM populations WHERE id = ?')
        .get(populationId),
    ).toEqual({
      status: 'draft',
      row_count: 0,
      import_error: expect.stringMatching(
        /^The engagement was archived on \d{4}-\d{2}-\d{2} while the file was being imported; nothing was kept\.$/,
      ),
    });
    // Removing the rows that arrived is a change, so the trail says so: nothing else was written.
    expect(
      t.app.conn.sqlite
        .prepare('SELECT entity, entity_id AS entityId, action FROM audit_entries WHERE id > ?')
        .all(archiveEntry),
    ).toEqual([{ entity: 'population', entityId: String(populationId), action: 'import-failed' }]);
  });

  it('archiving is refused while a job of the engagement runs', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const { partner, proposed } = await readyToApprove(t, eid);
    expect((await partner.post(`/engagements/${eid}/opinion/approve`, { type: proposed })).statusCode).toBe(303);
    const end = t.app.engagementJobs.begin(eid, 'the export of the archive');
    const page = await partner.get(`/engagements/${eid}/archive`);
    expect(page.body).toContain(
      'The engagement cannot be archived while work on it is still running (the export of the archive)',
    );
    const refused = await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' });
    expect(refused.statusCode).toBe(422);
    expect(getEngagement(t.app.conn.db, eid)!.archivedAt).toBeNull();
    end();
    await partner.get(`/engagements/${eid}/archive`);
    expect((await partner.post(`/engagements/${eid}/archive`, { confirm: 'yes' })).statusCode).toBe(303);
  });
});
