// npm run verify-audit-trail replays the trail of the rows recorded by structure: a result changed by raw SQL,
// behind the app's back, differs from its last entry and is reported.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRootDir } from '../../../src/config.js';
import { divergentRows } from '../../../src/core/audit/replay.js';
import { buildTestApp } from '../../helpers/app.js';

function verify(file: string): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(findRootDir(), 'scripts/verify-audit-trail.ts'), file],
        { encoding: 'utf8' },
      ),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

describe('replaying the trail against the rows', () => {
  it('finds the demo rows as their last entries left them, and reports a result changed by raw SQL', async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    expect(divergentRows(t.app.conn.db)).toEqual([]);
    const cell = s
      .prepare(
        "SELECT r.id, r.result FROM test_results r WHERE r.result = 'pass' AND EXISTS (SELECT 1 FROM audit_entries a WHERE a.entity = 'test-result' AND a.entity_id = CAST(r.id AS TEXT)) ORDER BY r.id LIMIT 1",
      )
      .get() as { id: number; result: string } | undefined;
    expect(cell).toBeDefined();
    s.prepare("UPDATE test_results SET result = 'exception' WHERE id = ?").run(cell!.id);
    expect(divergentRows(t.app.conn.db)).toEqual([
      { entity: 'test-result', entityId: String(cell!.id), column: 'result', trail: 'pass', current: 'exception' },
    ]);
    s.pragma('wal_checkpoint(TRUNCATE)');
    const run = verify(path.join(t.dir, 'tickmark.db'));
    expect(run.code).toBe(1);
    expect(run.out).toContain('Audit trail intact');
    expect(run.out).toContain(`- test-result ${cell!.id}, result: the trail says "pass", the row holds "exception"`);
  });
});
