import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.js';
import { insertControl } from '../../src/features/controls/service.js';
import type { ControlRow } from '../../src/features/controls/queries.js';

export interface ControlOverrides {
  reference?: string;
  frequency?: ControlRow['frequency'];
  nature?: ControlRow['nature'];
  risk?: ControlRow['risk'];
  implementedFrom?: string;
  changedOn?: string | null;
}

/**
 * A control on the demo engagement, written by the controls service's insert (typed by the schema, so a new
 * required column fails the typecheck here), without the matrix screens or a trail entry of its own.
 */
export function buildControl(t: TestApp, engagementId: number, o: ControlOverrides = {}): number {
  return insertControl(t.app.conn.db, engagementId, {
    reference: o.reference ?? `T-${Math.random().toString(36).slice(2, 8)}`,
    description: 'Changes are approved before deployment.',
    owner: 'Head of Engineering',
    frequency: o.frequency ?? 'event-driven',
    nature: o.nature ?? 'manual',
    controlType: 'preventive',
    isKey: true,
    risk: o.risk ?? 'lower',
    implementedFrom: o.implementedFrom ?? '2025-01-01',
    changedOn: o.changedOn ?? null,
  }).id;
}

/** A change-ticket CSV of `n` rows over 2025, with the given rows moved outside the period. */
export function ticketsCsv(n: number, outside: number[] = []): string {
  const lines = ['Change ID,Deployed,Summary,Amount'];
  for (let i = 1; i <= n; i++) {
    const day = new Date(Date.UTC(2025, 0, 1 + Math.floor(((i - 1) * 365) / n)));
    let date = day.toISOString().slice(0, 10);
    if (outside.includes(i)) date = i % 2 ? '2024-12-31' : '2026-01-01';
    lines.push(`CHG-${String(i).padStart(5, '0')},${date},Change ${i},${(i % 97) + 0.5}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface WorkpaperOverrides {
  reference?: string;
  conclusion?: string | null;
  preparedBy?: string | null;
  preparedAt?: string | null;
  changedAt?: string;
}

/** A workpaper on a demo control's population, inserted directly (the testing screens are tested elsewhere). */
export function buildWorkpaper(t: TestApp, engagementId: number, o: WorkpaperOverrides = {}): number {
  const s = t.app.conn.sqlite;
  const control = s
    .prepare('SELECT id FROM controls WHERE engagement_id = ? AND reference = ?')
    .get(engagementId, o.reference ?? 'CC6.2-01') as { id: number };
  const population = s
    .prepare(
      `INSERT INTO populations (engagement_id, control_id, kind, status, label, window_start, window_end, created_at, created_by)
       VALUES (?, ?, 'transaction', 'frozen', 'Whole period', '2025-01-01', '2025-12-31', '2025-01-01', (SELECT id FROM users LIMIT 1)) RETURNING id`,
    )
    .get(engagementId, control.id) as { id: number };
  const preparer =
    o.preparedBy === null
      ? null
      : (
          s.prepare('SELECT id FROM users WHERE email = ?').get(o.preparedBy ?? 'staff@demo.tickmark.test') as {
            id: number;
          }
        ).id;
  const row = s
    .prepare(
      `INSERT INTO workpapers (engagement_id, control_id, population_id, conclusion, prepared_by, prepared_at, changed_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00.000Z') RETURNING id`,
    )
    .get(
      engagementId,
      control.id,
      population.id,
      o.conclusion === undefined ? 'no-exceptions' : o.conclusion,
      preparer,
      o.preparedAt === undefined ? '2025-03-02T00:00:00.000Z' : o.preparedAt,
      o.changedAt ?? '2025-03-01T00:00:00.000Z',
    ) as { id: number };
  return row.id;
}

/**
 * Finishes the demo engagement's fieldwork so that only its review notes stand between the partner and approval
 * (the demo is seeded mid-fieldwork): every control without a workpaper gets one concluded "no exceptions" on a
 * generated (periodic) population, every workpaper a conclusion, a fresh preparation and a review sign-off by
 * the senior after its latest change, and the description is concluded fairly presented. Inserted directly: the testing and review screens are tested elsewhere.
 */
export function completeFieldwork(t: { app: FastifyInstance }, engagementId: number): void {
  const s = t.app.conn.sqlite;
  const user = (email: string) => (s.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
  const [staff, senior] = [user('staff@demo.tickmark.test'), user('senior@demo.tickmark.test')];
  s.transaction(() => {
    const untested = s
      .prepare(
        'SELECT id FROM controls c WHERE engagement_id = ? AND NOT EXISTS (SELECT 1 FROM workpapers w WHERE w.control_id = c.id)',
      )
      .pluck()
      .all(engagementId) as number[];
    for (const controlId of untested) {
      const population = s
        .prepare(
          `INSERT INTO populations (engagement_id, control_id, kind, status, label, window_start, window_end, created_at, created_by) VALUES (?, ?, 'periodic', 'frozen', 'Whole period', '2025-01-01', '2025-12-31', '2025-01-01', ?) RETURNING id`,
        )
        .pluck()
        .get(engagementId, controlId, staff) as number;
      s.prepare(
        `INSERT INTO workpapers (engagement_id, control_id, population_id, conclusion, changed_at, created_at) VALUES (?, ?, ?, 'no-exceptions', '2025-03-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
      ).run(engagementId, controlId, population);
    }
    const later = (seconds: number) => `strftime('%Y-%m-%dT%H:%M:%fZ', changed_at, '+${seconds} seconds')`;
    s.prepare(
      `UPDATE workpapers SET conclusion = coalesce(conclusion, 'no-exceptions'), prepared_by = coalesce(prepared_by, ?), prepared_at = ${later(1)} WHERE engagement_id = ?`,
    ).run(staff, engagementId);
    s.prepare(
      `INSERT INTO signoffs (engagement_id, workpaper_id, level, user_id, signed_at) SELECT engagement_id, id, 'reviewed', ?, ${later(2)} FROM workpapers WHERE engagement_id = ?`,
    ).run(senior, engagementId);
    s.prepare(
      `INSERT INTO signoffs (engagement_id, workpaper_id, level, user_id, signed_at) SELECT w.engagement_id, w.id, 'second-review', (SELECT id FROM users WHERE email = 'manager@demo.tickmark.test'), strftime('%Y-%m-%dT%H:%M:%fZ', w.changed_at, '+3 seconds') FROM workpapers w JOIN engagements e ON e.id = w.engagement_id WHERE w.engagement_id = ? AND e.second_review_required = 1`,
    ).run(engagementId);
    // Element (a): the manager concludes the description fairly presents the system.
    s.prepare(
      `INSERT INTO description_presentations (engagement_id, fairly_presented, matters, concluded_by, concluded_at) VALUES (?, 1, '', (SELECT id FROM users WHERE email = 'manager@demo.tickmark.test'), '2025-03-01T00:00:00.000Z') ON CONFLICT DO NOTHING`,
    ).run(engagementId);
  })();
}
