// A failed or interrupted population import changes the population (the rows that arrived are removed, an
// earlier import's figures are gone), so the trail says so, as it says a successful import.
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { abandonInterruptedImports } from '../../../src/features/populations/import-abandon.js';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

const entries = (t: TestApp, id: number) =>
  (
    t.app.conn.sqlite
      .prepare(
        "SELECT user_id AS userId, action, changes FROM audit_entries WHERE entity = 'population' AND entity_id = ? ORDER BY id",
      )
      .all(String(id)) as { userId: number | null; action: string; changes: string }[]
  ).map((e) => ({ ...e, changes: JSON.parse(e.changes) as Record<string, [unknown, unknown]> }));
const items = (t: TestApp, id: number) =>
  (
    t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM population_items WHERE population_id = ?').get(id) as {
      n: number;
    }
  ).n;

const statusOf = (t: TestApp, id: number) =>
  (t.app.conn.sqlite.prepare('SELECT status FROM populations WHERE id = ?').get(id) as { status: string }).status;

async function uploaded(name: string, content: Buffer | string) {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CHG-TR' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name, content },
  );
  const mappingUrl = String(res.headers.location);
  await senior.get(mappingUrl);
  return { t, senior, mappingUrl, id: Number(/populations\/(\d+)/.exec(mappingUrl)![1]) };
}

describe('the trail of a population import that does not finish', () => {
  it('records a failure after a first batch was written, with what was removed and why', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Changes');
    ws.addRow(['Change ID', 'Deployed']);
    for (let i = 1; i <= 6000; i++)
      ws.addRow(
        i === 5500 ? [`CHG-${i}`, '2025-05-05', ...Array.from({ length: 600 }, () => 'x')] : [`CHG-${i}`, '2025-05-05'],
      );
    const { t, senior, mappingUrl, id } = await uploaded('changes.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    // 6,000 rows may outlast the 1.5 s the mapping route waits for before it shows progress instead.
    await vi.waitFor(() => expect(statusOf(t, id)).not.toBe('importing'), { timeout: 60_000, interval: 50 });
    expect(items(t, id)).toBe(0);
    const failed = entries(t, id).at(-1)!;
    expect(failed.action).toBe('import-failed');
    expect(failed.userId).toBe(
      (
        t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'senior@demo.tickmark.test'").get() as {
          id: number;
        }
      ).id,
    );
    expect(failed.changes).toMatchObject({
      status: ['importing', 'draft'],
      rowsWrittenThenRemoved: [5000, 0],
      importError: [null, expect.stringMatching(/Row 5,501 has more than 500 columns/)],
    });
  });

  it('records an import the server stopped in, found at start-up, and the earlier import it had removed', async () => {
    const { t, senior, mappingUrl, id } = await uploaded('changes.csv', ticketsCsv(30));
    expect(
      (
        await senior.post(mappingUrl, {
          header: 'on',
          key: '0',
          date: '1',
          description: '2',
          amount: '3',
          dateFormat: 'iso',
        })
      ).statusCode,
    ).toBeLessThan(400);
    expect(entries(t, id).at(-1)).toMatchObject({ action: 'import', changes: { rowCount: [null, 30] } });
    // What a process that died mid-import leaves: the population marked importing, some rows in.
    t.app.conn.sqlite.prepare("UPDATE populations SET status = 'importing' WHERE id = ?").run(id);
    expect(abandonInterruptedImports(t.app.conn.db)).toBe(1);
    expect(items(t, id)).toBe(0);
    expect(entries(t, id).at(-1)).toMatchObject({
      userId: null,
      action: 'import-interrupted',
      changes: {
        status: ['importing', 'draft'],
        rowCount: [30, 0],
        rowsWrittenThenRemoved: [30, 0],
        importError: [null, expect.stringMatching(/interrupted/)],
      },
    });
  });
});
