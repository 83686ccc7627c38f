// Well-formed but pathological population files (issue 12, item 2): a header of 25 MB of commas, 1,000 wide
// column names, rows wider than the header, values and names beyond the limits. Each is refused quickly, with
// the limit named, in bounded memory and without the database growing; a file at the limit still imports.
import { resourceUsage } from 'node:process';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

const MB = 1024 * 1024;

async function setup() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CHG-WIDE' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  return { t, eid, controlId, senior, uploadUrl: `/engagements/${eid}/controls/${controlId}/populations/upload` };
}

/** What a refusal must leave as it was: the rows that matter and the size of the database. */
function footprint(t: TestApp) {
  const s = t.app.conn.sqlite;
  const n = (table: string) => (s.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    populations: n('populations'),
    items: n('population_items'),
    trail: n('audit_entries'),
    bytes: (s.pragma('page_count', { simple: true }) as number) * (s.pragma('page_size', { simple: true }) as number),
  };
}

function expectUnchanged(t: TestApp, before: ReturnType<typeof footprint>) {
  const after = footprint(t);
  expect({ ...after, bytes: 0 }).toEqual({ ...before, bytes: 0 });
  // Sessions are touched by every request; anything near the file's size would be the upload itself.
  expect(after.bytes - before.bytes).toBeLessThan(256 * 1024);
}

/** Peak resident memory (kB) over the process's life: what a request added shows as a rise of the peak. */
const peakKb = () => resourceUsage().maxRSS;

function wideHeader(columns: number, width = 40): string {
  return Array.from({ length: columns }, (_, i) =>
    `Attribute ${String(i + 1).padStart(4, '0')} ${'of the wide export '.repeat(3)}`.slice(0, width),
  ).join(',');
}

async function importWith(
  t: TestApp,
  senior: Awaited<ReturnType<typeof loginAs>>,
  mappingUrl: string,
  form: Record<string, string>,
) {
  await senior.get(mappingUrl);
  const run = await senior.post(mappingUrl, form);
  expect(run.statusCode).toBe(303);
  // Imports that outlast the request finish in the background: wait for them.
  for (
    let i = 0;
    i < 600 &&
    (
      t.app.conn.sqlite.prepare("SELECT count(*) AS n FROM populations WHERE status = 'importing'").get() as {
        n: number;
      }
    ).n > 0;
    i++
  )
    await new Promise((r) => setTimeout(r, 50));
  return run;
}

describe('pathological population files', () => {
  // First in the file, so that the peak it measures is its own.
  it('a 25 MB header of commas is refused at once, naming the limit, in bounded memory, and the database does not grow', async () => {
    const { t, senior, uploadUrl } = await setup();
    const commas = Buffer.alloc(25 * MB - 4096, ',');
    const before = footprint(t);
    const peak = peakKb();
    const started = performance.now();
    const res = await upload(t.app, senior, uploadUrl, { window: '0' }, { name: 'commas.csv', content: commas });
    const ms = performance.now() - started;
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Line 1 has more than 500 columns, the most a file may have.');
    expectUnchanged(t, before);
    // Before the limits: 100 s and 6.6 GB. Receiving 25 MB to disk and reading its first chunk takes well under a second.
    expect(ms).toBeLessThan(10_000);
    expect((peakKb() - peak) / 1024).toBeLessThan(200);
    console.log(
      `25 MB comma header: refused in ${ms.toFixed(0)} ms, peak memory +${((peakKb() - peak) / 1024).toFixed(0)} MB`,
    );
  });

  it('a 5.9 MB file with 1,000 wide column names is refused at upload and stores nothing', async () => {
    const { t, senior, uploadUrl } = await setup();
    const row = Array.from({ length: 1000 }, (_, i) => `v${i}`).join(',');
    const lines = [wideHeader(1000, 60)];
    while (lines.join('\n').length < 5.9 * MB) lines.push(...Array.from({ length: 100 }, () => row));
    const before = footprint(t);
    const started = performance.now();
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'wide.csv', content: lines.join('\n') },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('more than 500 columns');
    expect(performance.now() - started).toBeLessThan(10_000);
    expectUnchanged(t, before);
  });

  it('an XLSX of 600 columns is refused at upload', async () => {
    const { t, senior, uploadUrl } = await setup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Wide');
    ws.addRow(Array.from({ length: 600 }, (_, i) => `Column name ${i + 1}`));
    ws.addRow(Array.from({ length: 600 }, (_, i) => `value ${i + 1}`));
    const before = footprint(t);
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'wide.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Row 1 has more than 500 columns');
    expectUnchanged(t, before);
  });

  it('a column name beyond 256 characters is refused with the column it is in', async () => {
    const { t, senior, uploadUrl } = await setup();
    const before = footprint(t);
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'long-name.csv', content: `Key,${'x'.repeat(300)},Date\nK-1,a,2025-01-05\n` },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The name of column 2 in the first row is longer than 256 characters');
    expectUnchanged(t, before);
  });

  it('a 500-column file imports, its column names stored once and each row by position', async () => {
    const { t, senior, uploadUrl } = await setup();
    const rows = 1000;
    const header = ['Key', 'Date', ...wideHeader(498, 45).split(',')];
    const lines = [header.join(',')];
    for (let i = 1; i <= rows; i++)
      lines.push(
        [
          `K-${i}`,
          `2025-03-${String((i % 28) + 1).padStart(2, '0')}`,
          ...Array.from({ length: 498 }, (_, c) => `r${i}c${c}`),
        ].join(','),
      );
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'five-hundred.csv', content: `${lines.join('\n')}\n` },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    const page = await senior.get(mappingUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(header[499]!);
    await importWith(t, senior, mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    const s = t.app.conn.sqlite;
    const population = s
      .prepare('SELECT status, row_count, sampleable_count, extra_columns FROM populations WHERE id = ?')
      .get(id) as { status: string; row_count: number; sampleable_count: number; extra_columns: string };
    expect(population).toMatchObject({ status: 'draft', row_count: rows, sampleable_count: rows });
    expect(JSON.parse(population.extra_columns)).toEqual(header.slice(2));
    const first = s
      .prepare('SELECT extra FROM population_items WHERE population_id = ? ORDER BY row_number LIMIT 1')
      .pluck()
      .get(id) as string;
    expect(JSON.parse(first)).toEqual(Array.from({ length: 498 }, (_, c) => `r1c${c}`));
    // The values and their separators, not 498 names of 45 characters on every row (22 KB each before).
    const stored = s
      .prepare('SELECT sum(length(extra)) FROM population_items WHERE population_id = ?')
      .pluck()
      .get(id) as number;
    expect(stored / rows).toBeLessThan(498 * 12);
  });

  it('a CSV row wider than the limit, far into the file, is refused at upload with its line', async () => {
    const { t, senior, uploadUrl } = await setup();
    const lines = ['Key,Date,Note'];
    for (let i = 1; i <= 20_000; i++) lines.push(`K-${i},2025-04-01,note ${i}`);
    lines[15_000] = `K-15000,2025-04-01,${Array.from({ length: 700 }, () => 'x').join(',')}`;
    const before = footprint(t);
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'one-wide-row.csv', content: `${lines.join('\n')}\n` },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Line 15,001 has more than 500 columns, the most a file may have.');
    expectUnchanged(t, before);
  });

  it('a CSV value beyond 32 KB is refused at upload with its line', async () => {
    const { t, senior, uploadUrl } = await setup();
    const before = footprint(t);
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      {
        name: 'long-value.csv',
        content: `Key,Date,Note\nK-1,2025-04-01,short\nK-2,2025-04-02,"${'y'.repeat(40 * 1024)}"\n`,
      },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Line 3 has a value longer than 32 KB, the most one value may hold.');
    expectUnchanged(t, before);
  });

  it('an XLSX row wider than the limit fails the import with its row, and nothing is kept', async () => {
    const { t, senior, uploadUrl } = await setup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Leavers');
    ws.addRow(['Key', 'Date', 'Note']);
    for (let i = 1; i <= 60; i++)
      ws.addRow(
        i === 41
          ? [`K-${i}`, '2025-04-01', ...Array.from({ length: 700 }, () => 'x')]
          : [`K-${i}`, '2025-04-01', `n${i}`],
      );
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'one-wide-row.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    const before = footprint(t);
    await importWith(t, senior, mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    const id = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
    const row = t.app.conn.sqlite
      .prepare('SELECT status, row_count, import_error FROM populations WHERE id = ?')
      .get(id);
    expect(row).toEqual({
      status: 'draft',
      row_count: 0,
      import_error:
        'Row 42 has more than 500 columns, the most a file may have. Remove the columns you do not need (empty ones included) and upload it again.',
    });
    // The failure is the one entry: the import changed the population, and the trail says it failed.
    expect(footprint(t)).toMatchObject({ items: before.items, trail: before.trail + 1 });
  });

  it('the mapping page of an upload stored before the limits says what is wrong instead of blocking or failing', async () => {
    const { t, eid, controlId, senior } = await setup();
    const { writeFileSync } = await import('node:fs');
    const file = `${t.dir}/old-upload.upload`;
    writeFileSync(file, Buffer.alloc(5 * MB, ','));
    const id = t.app.conn.sqlite
      .prepare(
        "INSERT INTO populations (engagement_id, control_id, kind, status, label, window_start, window_end, source_file, upload_path, upload_kind, columns, created_at, created_by) VALUES (?, ?, 'transaction', 'draft', 'Whole period', '2025-01-01', '2025-12-31', 'old.csv', ?, 'csv', '[]', 'now', 1) RETURNING id",
      )
      .pluck()
      .get(eid, controlId, file) as number;
    const started = performance.now();
    const page = await senior.get(`/engagements/${eid}/populations/${id}/mapping`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Line 1 has more than 500 columns');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('staff cannot upload or run a mapping: the role check the population’s other writes have', async () => {
    const { t, eid, senior, uploadUrl } = await setup();
    const res = await upload(
      t.app,
      senior,
      uploadUrl,
      { window: '0' },
      { name: 'ok.csv', content: 'Key,Date\nK-1,2025-01-05\n' },
    );
    const mappingUrl = String(res.headers.location);
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/controls`);
    const before = footprint(t);
    const refused = await upload(
      t.app,
      staff,
      uploadUrl,
      { window: '0' },
      { name: 'ok.csv', content: 'Key,Date\nK-1,2025-01-05\n' },
    );
    expect(refused.statusCode).toBe(403);
    const mapping = await staff.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' });
    expect(mapping.statusCode).toBe(403);
    expectUnchanged(t, before);
  });
});
