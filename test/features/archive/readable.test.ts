// The archive reads without Tickmark: workpapers as PDF, Section IV and I in Word, the exceptions register in
// Excel, the client's population files and every evidence file under a readable name, and an index.html that
// links them all. Import still checks each against the signed manifest and takes the data once.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload } from '../../helpers/multipart.js';
import {
  evidenceStore,
  exportArchive,
  importArchive,
  rezip,
  rowCounts,
  sha256,
  unzip,
  type Entries,
} from './archive-helpers.js';

type Manifest = { files: { name: string; size: number; sha256: string }[] };
const manifestOf = (e: Entries) => JSON.parse(e.get('manifest.json')!.toString()) as Manifest;
const flipByte = (b: Buffer, at: number) => {
  const copy = Buffer.from(b);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};
const newest = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT max(id) AS id FROM engagements').get() as { id: number }).id;
const count = (t: TestApp, table: string, eid: number) =>
  (t.app.conn.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE engagement_id = ?`).get(eid) as { n: number }).n;

/** The demo with one more population uploaded, under a name that needs cleaning, then exported. */
async function exported() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CHG-T1' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const csv = Buffer.from(ticketsCsv(20));
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'Änderungen: Q1/Q2.csv', content: csv },
  );
  expect(res.statusCode).toBe(303);
  const manager = await loginAs(t.app, 'manager');
  const entries = await unzip(await exportArchive(manager, eid));
  return { t, eid, manager, entries, csv };
}

/** An archive as made before readable names: content under its hash, no readable files, no population source. */
function asOlderArchive(entries: Entries): Entries {
  const manifest = manifestOf(entries);
  const out: Entries = new Map();
  const files: Manifest['files'] = [];
  const data = JSON.parse(entries.get('engagement.json')!.toString()) as {
    tables: { populations: Record<string, unknown>[] };
  };
  for (const p of data.tables.populations) {
    delete p.source_sha256;
    delete p.source_size;
  }
  const dataBytes = Buffer.from(JSON.stringify(data));
  out.set('engagement.json', dataBytes);
  files.push({ name: 'engagement.json', size: dataBytes.length, sha256: sha256(dataBytes) });
  for (const f of manifest.files) {
    if (f.name === 'audit-trail.json' || f.name === 'trail-checkpoints.jsonl') {
      out.set(f.name, entries.get(f.name)!);
      files.push(f);
    } else if (f.name.startsWith('evidence/') && !out.has(`evidence/${f.sha256}`)) {
      out.set(`evidence/${f.sha256}`, entries.get(f.name)!);
      files.push({ name: `evidence/${f.sha256}`, size: f.size, sha256: f.sha256 });
    }
  }
  // The assertion's file was evidence-addressed too.
  const assertion = manifest.files.find((f) => f.name.startsWith('assertion/'))!;
  if (!out.has(`evidence/${assertion.sha256}`)) {
    out.set(`evidence/${assertion.sha256}`, entries.get(assertion.name)!);
    files.push({ name: `evidence/${assertion.sha256}`, size: assertion.size, sha256: assertion.sha256 });
  }
  out.set('manifest.json', Buffer.from(JSON.stringify({ ...manifest, files }, null, 2)));
  return out;
}

describe('the readable engagement archive', () => {
  it('holds the workpapers, reports, register, population files and evidence under readable names, each in the manifest with its SHA-256, all linked from an offline index.html', async () => {
    const { t, eid, entries, csv } = await exported();
    const names = [...entries.keys()];
    expect(names).toEqual(
      expect.arrayContaining([
        'index.html',
        'reports/section-iv.docx',
        'reports/section-i.docx',
        'reports/exceptions-register.xlsx',
        'workpapers/CC7.1-01.pdf',
        'assertion/management-assertion-signed.pdf',
        'populations/CC8.1-01 Whole period/jira-changes-2025.csv',
      ]),
    );
    expect(names.filter((n) => /^evidence\/[0-9a-f]{64}$/.test(n))).toEqual([]);
    // A window with nothing sampled and no workpaper record has no workpaper to print (CHG-T1: uploaded, not sampled).
    expect(names.filter((n) => n.startsWith('workpapers/CHG-T1') || n.startsWith('workpapers/CC9.1-01'))).toEqual([]);
    const evidence = names.filter((n) => n.startsWith('evidence/'));
    expect(evidence.length).toBe(count(t, 'evidence_files', eid));
    expect(evidence.some((n) => n.split('/').length === 4)).toBe(true);
    for (const n of evidence) expect(n).toMatch(/^evidence\/[A-Za-z0-9][^/]*(\/[A-Za-z0-9][^/]*){1,2}$/);
    // The client's file, byte for byte, its name made safe.
    const uploaded = names.filter((n) => n.startsWith('populations/CHG-T1 Whole period/'));
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toMatch(/^populations\/CHG-T1 Whole period\/[A-Za-z0-9][A-Za-z0-9 _.()+,#@&=-]*\.csv$/);
    expect(entries.get(uploaded[0]!)!.equals(csv)).toBe(true);
    for (const name of ['reports/section-iv.docx', 'reports/section-i.docx', 'reports/exceptions-register.xlsx'])
      expect(entries.get(name)!.subarray(0, 2).toString()).toBe('PK');
    for (const name of names.filter((n) => n.startsWith('workpapers/')))
      expect(entries.get(name)!.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const manifest = manifestOf(entries);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      names.filter((n) => n !== 'manifest.json' && n !== 'manifest.sig').sort(),
    );
    for (const f of manifest.files)
      expect([f.name, sha256(entries.get(f.name)!), entries.get(f.name)!.length]).toEqual([f.name, f.sha256, f.size]);

    const index = entries.get('index.html')!.toString();
    const links = [...index.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!.replace(/&amp;/g, '&')));
    for (const link of links) expect(entries.has(link), link).toBe(true);
    for (const name of names.filter((n) => n !== 'index.html')) expect(links, name).toContain(name);
    expect(index).not.toMatch(/<script|<link|src=|https?:/i);
    expect(index).toContain('Nimbus Ledger, Inc.');
    expect(index).toContain('2025-01-01 to 2025-12-31');
    expect(index).toMatch(/Opinion at export<\/dt><dd>(Not ready|[A-Z][a-z]+ proposed|[A-Z][a-z]+, approved)/);
    expect(index).toMatch(/fingerprint:<\/p><p><code>[0-9a-f ]{20,}<\/code>/i);
  });

  it('imports the data once, verifying the readable files by hash; a tampered PDF, Word file or evidence file refuses the import', async () => {
    const { t, eid, manager, entries } = await exported();
    const before = rowCounts(t.app.conn.sqlite);
    const store = evidenceStore(t.config.dataDir);
    const evidence = [...entries.keys()].find((n) => n.startsWith('evidence/'))!;
    for (const name of [
      'workpapers/CC7.1-01.pdf',
      'reports/section-iv.docx',
      'reports/exceptions-register.xlsx',
      'index.html',
      evidence,
      'populations/CC8.1-01 Whole period/jira-changes-2025.csv',
    ]) {
      const tampered = new Map(entries).set(name, flipByte(entries.get(name)!, 40));
      const res = await importArchive(t, manager, await rezip(tampered));
      expect([name, res.statusCode]).toEqual([name, 422]);
      expect(res.body).toContain(`${name} does not match the SHA-256 and size in the manifest`);
      expect(rowCounts(t.app.conn.sqlite), name).toEqual(before);
    }
    const res = await importArchive(t, manager, await rezip(entries));
    expect(res.statusCode, res.body).toBe(303);
    const copy = newest(t);
    expect(copy).not.toBe(eid);
    for (const table of ['evidence_files', 'populations', 'management_assertions'])
      expect([table, count(t, table, copy)]).toEqual([table, count(t, table, eid)]);
    // The content was already in the store: no file was added by the readable copies.
    expect(evidenceStore(t.config.dataDir)).toEqual(store);
  });

  it('an archive from before readable names (content under its hash, no population files) still imports', async () => {
    const { t, eid, manager, entries } = await exported();
    const res = await importArchive(t, manager, await rezip(asOlderArchive(entries)));
    expect(res.statusCode, res.body).toBe(303);
    const copy = newest(t);
    expect(count(t, 'evidence_files', copy)).toBe(count(t, 'evidence_files', eid));
    expect(
      (
        t.app.conn.sqlite
          .prepare('SELECT count(*) AS n FROM populations WHERE engagement_id = ? AND source_sha256 IS NOT NULL')
          .get(copy) as { n: number }
      ).n,
    ).toBe(0);
  });

  it('is not made at all without Chromium: the page says why, and no export is recorded', async () => {
    const t = await buildTestApp({ env: { TICKMARK_CHROMIUM: '/nonexistent/chromium' } });
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const exports = () =>
      (
        t.app.conn.sqlite.prepare("SELECT count(*) AS n FROM audit_entries WHERE action = 'export'").get() as {
          n: number;
        }
      ).n;
    const res = await manager.get(`/engagements/${eid}/archive/export`);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('this server cannot print PDFs');
    expect(exports()).toBe(0);
    const scratch = path.join(t.config.dataDir, 'archive-outgoing');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  });
});
