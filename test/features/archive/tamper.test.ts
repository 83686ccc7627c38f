import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
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

type Tampering = [what: string, change: (e: Entries) => void, message: string];

const flipByte = (b: Buffer, at: number) => {
  const copy = Buffer.from(b);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('importing a tampered archive', () => {
  it('is refused with the first mismatching file named, and writes nothing', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const original = await unzip(await exportArchive(manager, eid));
    const evidence = [...original.keys()].find((n) => n.startsWith('evidence/'))!;
    const manifest = () =>
      JSON.parse(original.get('manifest.json')!.toString()) as {
        files: { name: string; size: number; sha256: string }[];
      };
    const tamperings: Tampering[] = [
      [
        'a changed byte in engagement.json',
        (e) => e.set('engagement.json', flipByte(e.get('engagement.json')!, 200)),
        'engagement.json does not match the SHA-256 and size in the manifest',
      ],
      [
        'altered evidence',
        (e) => e.set(evidence, flipByte(e.get(evidence)!, 10)),
        `${evidence} does not match the SHA-256 and size in the manifest`,
      ],
      [
        'a missing file',
        (e) => e.delete(evidence),
        `${evidence} is listed in the manifest but missing from the archive`,
      ],
      [
        'an extra file',
        (e) => e.set(`evidence/${sha256(Buffer.from('extra'))}`, Buffer.from('extra')),
        `evidence/${sha256(Buffer.from('extra'))} is in the archive but not in its manifest`,
      ],
      [
        'a file no archive holds',
        (e) => e.set('notes.txt', Buffer.from('x')),
        'The archive holds a file no engagement archive has: notes.txt',
      ],
      [
        'data edited and its manifest entry recomputed, breaking the original trail',
        (e) => {
          const trail = e.get('audit-trail.json')!.toString().replace('"action": "create"', '"action": "delete"');
          e.set('audit-trail.json', Buffer.from(trail));
          const m = manifest();
          const entry = m.files.find((f) => f.name === 'audit-trail.json')!;
          Object.assign(entry, { size: Buffer.byteLength(trail), sha256: sha256(Buffer.from(trail)) });
          e.set('manifest.json', Buffer.from(JSON.stringify(m)));
        },
        'the original audit trail is broken at entry',
      ],
      ['no manifest', (e) => e.delete('manifest.json'), 'The archive has no manifest.json'],
    ];
    const admin = await loginAs(t.app, 'admin');
    const before = rowCounts(t.app.conn.sqlite);
    const store = evidenceStore(t.config.dataDir);
    for (const [what, change, message] of tamperings) {
      const entries: Entries = new Map(original);
      change(entries);
      const res = await importArchive(t, admin, await rezip(entries));
      expect([what, res.statusCode]).toEqual([what, 422]);
      expect(res.body, what).toContain(message.replace(/&/g, '&amp;'));
      expect(rowCounts(t.app.conn.sqlite), what).toEqual(before);
      expect(evidenceStore(t.config.dataDir), what).toEqual(store);
    }
    // yazl will not write a path that climbs out, so the name is patched into the finished ZIP.
    const climbing = new Map(original).set('zz/zz/etc/passwd', Buffer.from('x'));
    const patched = Buffer.from(
      (await rezip(climbing)).toString('latin1').replaceAll('zz/zz/etc/passwd', '../../etc/passwd'),
      'latin1',
    );
    const unsafe = await importArchive(t, admin, patched);
    expect(unsafe.statusCode).toBe(422);
    expect(unsafe.body).toContain('It holds an unsafe path (invalid relative path: ../../etc/passwd)');
    const bomb = await importArchive(t, admin, await rezip(new Map([['engagement.json', Buffer.alloc(12 * 2 ** 20)]])));
    expect(bomb.statusCode).toBe(422);
    expect(bomb.body).toContain('zip bomb');
    const notZip = await importArchive(t, admin, Buffer.from('not a zip at all'));
    expect(notZip.statusCode).toBe(422);
    expect(notZip.body).toContain('not a readable ZIP file');
    expect(rowCounts(t.app.conn.sqlite)).toEqual(before);
    expect(readdirSync(path.join(t.config.dataDir, 'archive-incoming')), 'scratch files left behind').toEqual([]);
  });
});
