// What the hostile-input tests send, and the real ids they aim it at.
import fc from 'fast-check';
import type { TestApp } from '../helpers/app.js';

export const MARK = '<script>alert(1)</script>';

export const hostile = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    MARK,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE controls; --",
    '1 OR 1=1',
    '\u0000\u0007\u001b',
    '../../etc/passwd',
    '2025-02-30',
    '9999-99-99',
    '-1',
    '1e308',
    'NaN',
    '0',
    '999999999999999999999',
    '{"$gt":""}',
    '\u202eevil',
    '🧾'.repeat(50),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 5000, maxLength: 12000 }),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);

/** Real ids of the demo engagement's CC1.4-01 workpaper and its neighbours, by route parameter name. */
export function demoIds(t: TestApp, engagementId: number): Record<string, string> {
  const s = t.app.conn.sqlite;
  const one = (sql: string, ...args: unknown[]) =>
    String((s.prepare(sql).get(...args) as { id: number } | undefined)?.id ?? 999999);
  const controlId = one("SELECT id FROM controls WHERE reference = 'CC1.4-01' AND engagement_id = ?", engagementId);
  const populationId = one('SELECT id FROM populations WHERE control_id = ?', controlId);
  const sampleId = one('SELECT id FROM samples WHERE control_id = ?', controlId);
  return {
    engagementId: String(engagementId),
    controlId,
    populationId,
    sampleId,
    sampleItemId: one('SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence', sampleId),
    attribute: 'A',
    workpaperId: one('SELECT id FROM workpapers WHERE control_id = ?', controlId),
    evidenceId: one('SELECT id FROM evidence_files WHERE engagement_id = ?', engagementId),
    requestId: one('SELECT id FROM pbc_requests WHERE engagement_id = ?', engagementId),
    complementaryId: one('SELECT id FROM complementary_controls WHERE engagement_id = ?', engagementId),
    importId: '999999',
  };
}

export function fillParams(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? '999999'));
}
