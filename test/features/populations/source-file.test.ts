// The client's population file is kept as it was uploaded, in the evidence store, named by its SHA-256 on the
// population; the collector keeps it as live content.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectUnreferencedEvidence } from '../../../src/features/housekeeping/evidence-collector.js';
import { EvidenceStorage } from '../../../src/core/files/storage.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the uploaded population file', () => {
  it('is stored byte for byte with its SHA-256 on the population, survives the mapping and the collector, and is in the trail', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { reference: 'CHG-T1' });
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    const content = Buffer.from(ticketsCsv(40));
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes Q1.csv', content },
    );
    expect(res.statusCode).toBe(303);
    const mappingUrl = String(res.headers.location);
    const id = Number(/populations\/(\d+)\/mapping/.exec(mappingUrl)![1]);
    await senior.get(mappingUrl);
    expect((await senior.post(mappingUrl, { header: 'on', key: '0', date: '1', dateFormat: 'iso' })).statusCode).toBe(
      303,
    );
    const row = t.app.conn.sqlite
      .prepare('SELECT source_file, source_sha256, source_size FROM populations WHERE id = ?')
      .get(id) as Record<string, unknown>;
    expect(row).toEqual({ source_file: 'changes Q1.csv', source_sha256: sha256(content), source_size: content.length });
    const stored = path.join(t.config.dataDir, 'evidence', sha256(content).slice(0, 2), sha256(content));
    expect(readFileSync(stored).equals(content)).toBe(true);
    const trail = t.app.conn.sqlite
      .prepare("SELECT changes FROM audit_entries WHERE entity = 'population' AND entity_id = ? AND action = 'upload'")
      .get(String(id)) as { changes: string };
    expect(JSON.parse(trail.changes).sourceSha256).toEqual([null, sha256(content)]);
    // Collected only when nothing names it: a population does.
    const collected = await collectUnreferencedEvidence(
      t.app.conn.db,
      EvidenceStorage.under(t.config.dataDir),
      new Date(Date.now() + 3_600_000),
      0,
    );
    expect(collected.map((c) => c.sha256)).not.toContain(sha256(content));
    expect(readFileSync(stored).equals(content)).toBe(true);
  });

  it('a refused upload (a header beyond the column limit) stores nothing', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { reference: 'CHG-T2' });
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
    const content = Buffer.from(`${'x'.repeat(300)},Date\nA,2025-01-01\n`);
    const res = await upload(
      t.app,
      senior,
      `/engagements/${eid}/controls/${controlId}/populations/upload`,
      { window: '0' },
      { name: 'changes.csv', content },
    );
    expect(res.statusCode).toBe(422);
    expect(new EvidenceStorage(path.join(t.config.dataDir, 'evidence')).exists(sha256(content))).toBe(false);
  });
});
