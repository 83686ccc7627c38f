import type { TestApp } from './app.js';

export interface ControlOverrides {
  reference?: string;
  frequency?: string;
  nature?: string;
  risk?: string;
  implementedFrom?: string;
  changedOn?: string | null;
}

/** A control on the demo engagement, inserted directly so a test does not depend on the matrix screens. */
export function buildControl(t: TestApp, engagementId: number, o: ControlOverrides = {}): number {
  const row = t.app.conn.sqlite
    .prepare(
      `INSERT INTO controls (engagement_id, reference, description, owner, frequency, nature, control_type, is_key, risk, implemented_from, changed_on, created_at, updated_at)
       VALUES (?, ?, 'Changes are approved before deployment.', 'Head of Engineering', ?, ?, 'preventive', 1, ?, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z') RETURNING id`,
    )
    .get(engagementId, o.reference ?? `T-${Math.random().toString(36).slice(2, 8)}`, o.frequency ?? 'event-driven', o.nature ?? 'manual', o.risk ?? 'lower', o.implementedFrom ?? '2025-01-01', o.changedOn ?? null) as { id: number };
  return row.id;
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
  return lines.join('\n') + '\n';
}
