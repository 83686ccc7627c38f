import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFingerprint, loadInstanceKey } from '../../../src/core/signing/index.js';
import { buildTestApp, loginAs } from '../../helpers/app.js';

describe('Administration → Trusted keys', () => {
  it("shows this instance's key, adds and removes other instances' keys, each change in the audit trail", async () => {
    const t = await buildTestApp();
    const s = t.app.conn.sqlite;
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.get('/admin/trusted-keys');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(formatFingerprint(t.app.signingKey.publicKey.fingerprint));
    expect(page.body).toContain('-----BEGIN PUBLIC KEY-----');

    const other = loadInstanceKey(mkdirSync(path.join(t.dir, 'other'), { recursive: true })!);
    const added = await admin.post('/admin/trusted-keys', {
      label: 'Frankfurt office',
      publicKey: other.publicKey.pem,
    });
    expect(added.statusCode).toBe(303);
    expect((await admin.get('/admin/trusted-keys')).body).toContain(formatFingerprint(other.publicKey.fingerprint));
    const refusals: [Record<string, string>, string][] = [
      [{ label: 'Again', publicKey: other.publicKey.der }, 'already trusted, as “Frankfurt office”'],
      [{ label: 'Me', publicKey: t.app.signingKey.publicKey.pem }, 'this instance’s own key'],
      [{ label: 'Junk', publicKey: 'not a key' }, 'This is not a readable public key'],
      [{ label: 'Junk', publicKey: '<script>' }, 'Paste the public key as Tickmark shows it'],
      [{ label: '', publicKey: other.publicKey.pem }, 'Label is required'],
    ];
    for (const [form, message] of refusals) {
      const res = await admin.post('/admin/trusted-keys', form);
      expect([form.label, res.statusCode]).toEqual([form.label, 422]);
      expect(res.body).toContain(message);
    }
    expect(s.prepare('SELECT count(*) AS n FROM trusted_keys').get()).toEqual({ n: 1 });
    const id = (s.prepare('SELECT id FROM trusted_keys').get() as { id: number }).id;
    expect((await admin.post(`/admin/trusted-keys/${id}/remove`, {})).statusCode).toBe(303);
    expect((await admin.post(`/admin/trusted-keys/${id}/remove`, {})).statusCode).toBe(404);
    expect(s.prepare('SELECT count(*) AS n FROM trusted_keys').get()).toEqual({ n: 0 });
    const trail = s
      .prepare("SELECT action, changes FROM audit_entries WHERE entity = 'trusted-key' ORDER BY id")
      .all() as { action: string; changes: string }[];
    expect(trail.map((e) => e.action)).toEqual(['create', 'delete']);
    expect(JSON.parse(trail[0]!.changes)).toEqual({
      label: [null, 'Frankfurt office'],
      fingerprint: [null, other.publicKey.fingerprint],
    });

    const manager = await loginAs(t.app, 'manager');
    expect((await manager.get('/admin/trusted-keys')).statusCode).toBe(403);
    expect((await manager.post('/admin/trusted-keys', { label: 'x', publicKey: other.publicKey.pem })).statusCode).toBe(
      403,
    );
    expect(s.prepare('SELECT count(*) AS n FROM trusted_keys').get()).toEqual({ n: 0 });
  });
});
