// The manager and the partner both open the engagement's form and both save: the second is refused with 409,
// shows what the first stored and who, keeps its own input, and writes nothing.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';

const form = (systemName: string, version: string) => ({
  clientName: 'Nimbus Ledger, Inc.',
  systemName,
  framework: 'soc2',
  reportType: 'type2',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  plannedReportDate: '2026-03-15',
  categories: ['availability'],
  status: 'fieldwork',
  version,
});

describe('the engagement edited by two people at once', () => {
  it('refuses the second save with the first one’s values, and lets it replace them deliberately', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const row = () =>
      t.app.conn.sqlite.prepare('SELECT system_name AS systemName, version FROM engagements WHERE id = ?').get(id) as {
        systemName: string;
        version: number;
      };
    const manager = await loginAs(t.app, 'manager');
    const partner = await loginAs(t.app, 'partner');
    const version = versionIn((await manager.get(`/engagements/${id}/edit`)).body);
    expect(versionIn((await partner.get(`/engagements/${id}/edit`)).body)).toBe(version);
    expect((await manager.post(`/engagements/${id}/edit`, form('Nimbus Ledger Platform', version))).statusCode).toBe(
      303,
    );
    const trail = (t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;

    const refused = await partner.post(`/engagements/${id}/edit`, form('Nimbus Ledger Cloud', version));
    expect(refused.statusCode).toBe(409);
    const managerName = (
      t.app.conn.sqlite.prepare("SELECT name FROM users WHERE email = 'manager@demo.tickmark.test'").get() as {
        name: string;
      }
    ).name;
    expect(refused.body).toContain(`${managerName} saved the engagement on`);
    expect(refused.body).toContain('<dt>System</dt><dd class="pre">Nimbus Ledger Platform</dd>');
    expect(refused.body).toContain('value="Nimbus Ledger Cloud"');
    expect(row().systemName).toBe('Nimbus Ledger Platform');
    expect((t.app.conn.sqlite.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n).toBe(trail);

    expect(versionIn(refused.body)).toBe(String(row().version));
    expect(
      (await partner.post(`/engagements/${id}/edit`, form('Nimbus Ledger Cloud', versionIn(refused.body)))).statusCode,
    ).toBe(303);
    expect(row().systemName).toBe('Nimbus Ledger Cloud');
  });

  it('a validation error keeps the version the form was based on, so a change made meanwhile is not swallowed', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    const partner = await loginAs(t.app, 'partner');
    const version = versionIn((await partner.get(`/engagements/${id}/edit`)).body);
    expect(
      (
        await manager.post(
          `/engagements/${id}/edit`,
          form('Changed by the manager', versionIn((await manager.get(`/engagements/${id}/edit`)).body)),
        )
      ).statusCode,
    ).toBe(303);
    const invalid = await partner.post(`/engagements/${id}/edit`, {
      ...form('Partner’s system', version),
      periodEnd: '2024-12-31',
    });
    expect(invalid.statusCode).toBe(422);
    expect(versionIn(invalid.body)).toBe(version);
    expect(
      (await partner.post(`/engagements/${id}/edit`, form('Partner’s system', versionIn(invalid.body)))).statusCode,
    ).toBe(409);
  });
});
