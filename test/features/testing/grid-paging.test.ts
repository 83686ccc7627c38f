// A long grid a page at a time (issue 12, item 9): 100 items to a page, the page of an item found from the item,
// the figures over the whole sample, bulk marks on the page in view, and the kept page per page.
import { describe, expect, it } from 'vitest';
import { rows, workpaper } from './helpers.js';

const itemsOnPage = (html: string) => [...html.matchAll(/<td id="cell-(\d+)-A"/g)].map((m) => Number(m[1]));
const countOf = (w: Awaited<ReturnType<typeof workpaper>>, sql: string, ...args: unknown[]) =>
  Number(Object.values(rows(w.t, sql, ...args)[0]!)[0]);

describe('a grid of 250 items', () => {
  it('shows 100 items a page with links to the others, and any page asked for stays within the pages there are', async () => {
    const w = await workpaper({ rows: 400, size: 250 });
    const first = await w.staff.get(w.url);
    expect(itemsOnPage(first.body)).toEqual(w.items.slice(0, 100));
    expect(first.body).toContain('1–100 of 250 · page 1 of 3');
    expect(first.body).toContain(`href="${w.url}?page=2" rel="next"`);
    expect(first.body).toContain(`data-next-url="${w.url}?page=2"`);
    const last = await w.staff.get(`${w.url}?page=3`);
    expect(itemsOnPage(last.body)).toEqual(w.items.slice(200));
    expect(last.body).toContain(`data-prev-url="${w.url}?page=2"`);
    expect(last.body).not.toContain('data-next-url');
    for (const odd of ['0', 'abc', '-1', '1e3', '99', '3&page=1']) {
      const res = await w.staff.get(`${w.url}?page=${odd}`);
      expect([odd, res.statusCode]).toEqual([odd, 200]);
    }
    expect(itemsOnPage((await w.staff.get(`${w.url}?page=99`)).body)).toEqual(w.items.slice(200));
  });

  it('opens on the page holding an item, which is where a saved mark and the item page lead back to', async () => {
    const w = await workpaper({ rows: 400, size: 250 });
    const item = w.items[180]!;
    const page = await w.staff.get(`${w.url}?item=${item}`);
    expect(itemsOnPage(page.body)).toEqual(w.items.slice(100, 200));
    const itemPage = await w.staff.get(`${w.url}/items/${item}`);
    expect(itemPage.body).toContain(`href="${w.url}?item=${item}#cell-${item}-A"`);
    const saved = await w.staff.post(`${w.url}/cells`, {
      item: String(item),
      attribute: 'B',
      result: 'pass',
      version: '0',
      naReason: '',
    });
    expect(saved.headers.location).toBe(`${w.url}?item=${item}#cell-${item}-B`);
  });

  it('works the figures out over the whole sample and passes a column only on the page in view', async () => {
    const w = await workpaper({ rows: 400, size: 250 });
    const second = await w.staff.get(`${w.url}?page=2`);
    expect(second.body).toContain('<input type="hidden" name="page" value="2">');
    const passed = await w.staff.post(`${w.url}/bulk-pass`, { attribute: 'A', page: '2' }, { 'hx-request': 'true' });
    expect(passed.statusCode).toBe(200);
    expect(itemsOnPage(passed.body)).toEqual(w.items.slice(100, 200));
    expect(passed.body).toContain('100 blank cells marked as passed.');
    const ofSample = 'FROM test_results tr JOIN sample_items si ON si.id = tr.sample_item_id WHERE si.sample_id = ?';
    expect(countOf(w, `SELECT count(*) ${ofSample} AND tr.attribute = 'A' AND tr.result = 'pass'`, w.sampleId)).toBe(
      100,
    );
    const passedIds = rows(
      w.t,
      `SELECT tr.sample_item_id AS id ${ofSample} AND tr.attribute = 'A' ORDER BY tr.sample_item_id`,
      w.sampleId,
    ).map((r) => Number(r.id));
    expect(passedIds).toEqual([...w.items.slice(100, 200)].sort((a, b) => a - b));
    await w.mark(w.staff, w.items[0]!, 'A', 'exception');
    const evaluation = await w.staff.get(`${w.url}/evaluation`);
    expect(evaluation.body).toMatch(/<dt>Items in the sample<\/dt><dd>250/);
    expect(evaluation.body).toContain('649 blank cells');
    expect(evaluation.body).toMatch(/<dt>Deviations<\/dt><dd id="deviations">1 /);
    // Before "prepared": the first 60 items with blank cells by name, the others counted.
    expect(evaluation.body).toContain(`Item ${w.keyOf(w.items[1]!)}: attributes A, B, C not marked.`);
    expect(evaluation.body).toContain('… and 190 more items with blank cells.');
  });

  it('keeps each page apart in the page cache and shows a mark on the next load of its page', async () => {
    const w = await workpaper({ rows: 400, size: 250 });
    const one = await w.staff.get(w.url);
    const two = await w.staff.get(`${w.url}?page=2`);
    expect(itemsOnPage((await w.staff.get(w.url)).body)).toEqual(itemsOnPage(one.body));
    expect(itemsOnPage((await w.staff.get(`${w.url}?page=2`)).body)).toEqual(itemsOnPage(two.body));
    expect((await w.staff.get(`${w.url}?page=2`)).body).not.toContain(
      `id="cell-${w.items[150]}-A" class="cell is-pass`,
    );
    await w.mark(w.staff, w.items[150]!, 'A', 'pass');
    expect((await w.staff.get(`${w.url}?page=2`)).body).toContain(`id="cell-${w.items[150]}-A" class="cell is-pass`);
    expect((await w.staff.get(`${w.url}?item=${w.items[150]}`)).body).toContain(
      `id="cell-${w.items[150]}-A" class="cell is-pass`,
    );
  });
});
