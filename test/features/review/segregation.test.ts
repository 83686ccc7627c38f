// Issue 12, item 5: segregation of duties was keyed to a click. A senior who marked 119 of 120 cells and set the
// conclusion signed the review after a staff member pressed "Prepared".
import { describe, expect, it } from 'vitest';
import { loginAs } from '../../helpers/app.js';
import { upload } from '../../helpers/multipart.js';
import { formVersion, rows, workpaper } from '../testing/helpers.js';

describe('segregation of duties on review', () => {
  it('refuses the review to whoever recorded the work, whoever pressed Prepared, and says why (the replay)', async () => {
    const w = await workpaper({ size: 40 });
    const cells = w.items.flatMap((item) => ['A', 'B', 'C'].map((attribute) => ({ item, attribute })));
    expect(cells).toHaveLength(120);
    const senior = await loginAs(w.t.app, 'senior');
    await senior.get(w.url);
    for (const { item, attribute } of cells.slice(0, 119))
      expect((await w.mark(senior, item, attribute, 'pass')).statusCode).toBe(200);
    const concluded = await senior.post(`${w.url}/conclusion`, {
      conclusion: 'no-exceptions',
      reason: 'Every item tested met every attribute.',
      version: formVersion(w),
    });
    expect(concluded.statusCode).toBe(303);
    const last = cells[119]!;
    expect((await w.mark(w.staff, last.item, last.attribute, 'pass')).statusCode).toBe(200);
    await w.staff.get(w.url);
    expect((await w.staff.post(`${w.url}/prepared`)).statusCode).toBe(303);
    const wp = rows(w.t, 'SELECT id FROM workpapers WHERE sample_id = ?', w.sampleId)[0]!.id;
    const preparedBy = rows(
      w.t,
      'SELECT u.email FROM workpapers wp JOIN users u ON u.id = wp.prepared_by WHERE wp.id = ?',
      wp,
    )[0]!.email;
    expect(preparedBy).toBe('staff@demo.tickmark.test');

    const review = `/engagements/${w.eid}/workpapers/${wp}`;
    await senior.get(`${review}/review`);
    const refused = await senior.post(`${review}/signoffs`, { level: 'reviewed' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'You recorded test results (119 entries) and the conclusion or its wording on this workpaper, so you cannot review it: a reviewer must have done none of the work, whoever marked it prepared.',
    );
    expect(rows(w.t, 'SELECT count(*) AS n FROM signoffs WHERE workpaper_id = ?', wp)[0]!.n).toBe(0);

    const manager = await loginAs(w.t.app, 'manager');
    await manager.get(`${review}/review`);
    expect((await manager.post(`${review}/signoffs`, { level: 'reviewed' })).statusCode).toBe(303);
  });

  it('counts one cell, an exception record, an evidence file or item notes as work, read from the trail', async () => {
    const { workRecordedOn } = await import('../../../src/features/review/queries.js');
    const w = await workpaper();
    const manager = await loginAs(w.t.app, 'manager');
    await manager.get(w.url);
    const item = w.items[0]!;
    await w.mark(manager, item, 'B', 'exception');
    await manager.post(`${w.url}/items/${item}/exceptions/B`, {
      description: 'deployed before approval',
      status: 'open',
      version: '0',
    });
    await manager.post(`${w.url}/items/${item}/notes`, {
      evidenceRef: 'CHG ticket',
      notes: 'Inspected the ticket.',
      version: '0',
    });
    expect(
      (await upload(w.t.app, manager, `${w.url}/evidence`, {}, { name: 'approval.pdf', content: '%PDF-1.4\n%%EOF\n' }))
        .statusCode,
    ).toBe(303);
    const wp = rows(
      w.t,
      'SELECT id, engagement_id AS engagementId FROM workpapers WHERE sample_id = ?',
      w.sampleId,
    )[0] as { id: number; engagementId: number };
    const managerId = Number(rows(w.t, "SELECT id FROM users WHERE email = 'manager@demo.tickmark.test'")[0]!.id);
    const byKind = Object.fromEntries(
      workRecordedOn(w.t.app.conn.db, wp)
        .filter((r) => r.userId === managerId)
        .map((r) => [r.kind, r.entries]),
    );
    expect(byKind).toEqual({ result: 1, exception: 1, 'item-notes': 1, evidence: 1 });
    // Another workpaper's trail is not this one's.
    const other = rows(
      w.t,
      'SELECT id, engagement_id AS engagementId FROM workpapers WHERE id <> ? LIMIT 1',
      wp.id,
    )[0] as { id: number; engagementId: number };
    expect(workRecordedOn(w.t.app.conn.db, other).filter((r) => r.userId === managerId)).toEqual([]);
  });
});
